"""Check eval question files against the corpus: python3 bench/eval/check.py [FILE ...].

Without FILE it checks every `*.yaml` in this folder. Needs only PyYAML, so it runs before the
project is installed. It confirms what the README's "How the set was made" promises:

- ids are unique across all files, and every item has a question and an ISO language code;
- every `relevant` doc is a file stem in corpus/documents/ and every `section` is a heading of it;
- every answerable item has a grade-3 passage and 1-3 `key_facts`, each alternative of which
  ("a | b") occurs, ignoring case, Markdown emphasis and spacing, in one of its grade >= 2
  passages (so an extractive answer can hold it);
- unanswerable items have no passages and a `note`;
- a conversation item has `previous` and a boolean `follow_up`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DOCUMENTS = HERE.parents[1] / "corpus" / "documents"
LANGUAGES = {"en", "fr", "es", "de", "it", "pl", "uk", "pt"}
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def normalise(text: str) -> str:
    """Lower case, Markdown emphasis and list marks dropped, dashes and quotes unified, spaces
    folded: how key facts are compared with passages and answers."""
    text = re.sub(r"[*_`]+", "", text.lower())
    text = re.sub(r"[‐-―−]", "-", text)
    text = re.sub(r"[‘’‚′]", "'", text)
    text = re.sub(r"[“”„«»″]", '"', text)
    return " ".join(text.split())


def sections(path: Path) -> dict[str, str]:
    """Innermost heading -> the text under it (up to the next heading of any level)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            current = found.setdefault(match.group(2).strip(), [])
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(lines) for heading, lines in found.items()}


def check(files: list[Path]) -> list[str]:
    """Every problem found, as 'file id: message' lines."""
    corpus = {p.stem: sections(p) for p in DOCUMENTS.glob("*.md") if p.name != "README.md"}
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for file in files:
        items = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        for item in items:
            qid = str(item.get("id", "?"))
            where = f"{file.name} {qid}"
            if qid in seen:
                problems.append(f"{where}: id also used in {seen[qid].name}")
            seen[qid] = file
            if not str(item.get("question", "")).strip():
                problems.append(f"{where}: no question")
            if item.get("language") not in LANGUAGES:
                problems.append(
                    f"{where}: language {item.get('language')!r} not one of {LANGUAGES}"
                )
            if "previous" in item or "follow_up" in item:
                if not str(item.get("previous", "")).strip():
                    problems.append(f"{where}: a conversation item needs `previous`")
                if not isinstance(item.get("follow_up"), bool):
                    problems.append(f"{where}: a conversation item needs `follow_up: true|false`")
            relevant = item.get("relevant") or []
            texts = []
            for passage in relevant:
                doc, section = str(passage.get("doc")), str(passage.get("section", "")).strip()
                if doc not in corpus:
                    problems.append(f"{where}: no document {doc!r}")
                elif section not in corpus[doc]:
                    problems.append(f"{where}: {doc!r} has no heading {section!r}")
                elif int(passage.get("grade", 0)) >= 2:
                    texts.append(normalise(corpus[doc][section]))
            if item.get("answerable", True):
                if not any(int(p.get("grade", 0)) == 3 for p in relevant):
                    problems.append(f"{where}: answerable but no grade-3 passage")
                facts = item.get("key_facts") or []
                if not 1 <= len(facts) <= 3:
                    problems.append(f"{where}: needs 1-3 key_facts, has {len(facts)}")
                for fact in facts:
                    for alternative in str(fact).split(" | "):
                        if not any(normalise(alternative) in t for t in texts):
                            problems.append(
                                f"{where}: key fact {alternative!r} is in none of its passages"
                            )
            else:
                if relevant:
                    problems.append(f"{where}: unanswerable but lists passages")
                if not str(item.get("note", "")).strip():
                    problems.append(f"{where}: unanswerable needs a note saying why")
    return problems


def main() -> int:
    files = [Path(a) for a in sys.argv[1:]] or sorted(HERE.glob("*.yaml"))
    problems = check(files)
    for line in problems:
        print(line)
    print(f"{len(problems)} problems in {len(files)} files")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
