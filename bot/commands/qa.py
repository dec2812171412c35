"""`icc-assistant ingest [PATH ...]`, `ask ["QUESTION"] [--json] [-k N]` and `vectors`.

A thin transport over retrieval's two sides: `DocumentLibrary` ingests (and `vectors`
rebuilds the passage vectors shipped with the bundled corpus), `QAService` answers.

Without a QUESTION, `ask` reads one question per line from standard input and writes one
JSON object per line, with the model loaded once, so other tools can drive it as a pipe. The
JSON shape is a contract: {"question", "answer", "answered", "language", "sources":
[{"title", "section", "page", "url", "text", "score"}]}, the cited sources in citation order.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.core.errors import UserFacingError

if TYPE_CHECKING:
    from bot.services import Services
    from retrieval.service import Answer, QAService

log = logging.getLogger(__name__)

#: Longest question accepted; longer input is cut (a pasted document is not a question).
MAX_QUESTION_CHARS = 2000


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `ingest` and `ask` subcommands."""
    ingest = subparsers.add_parser(
        "ingest", help="index the bundled ICC documents plus any files or folders given"
    )
    ingest.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ingest.set_defaults(func=run_ingest)

    ask = subparsers.add_parser(
        "ask", help="answer a question (without QUESTION: one per stdin line, JSON lines out)"
    )
    ask.add_argument("question", nargs="?", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("-k", type=int, default=5, metavar="N", help="sources to return (1-20)")
    ask.set_defaults(func=run_ask)

    vectors = subparsers.add_parser(
        "vectors", help="rebuild the passage vectors shipped with the bundled corpus"
    )
    vectors.set_defaults(func=run_vectors)


def _services() -> Services:
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.services import build_services

    return build_services()


def run_vectors(args: argparse.Namespace) -> int:
    """Embed the bundled corpus and rewrite corpus/documents/vectors/ (after editing a digest)."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from retrieval.library import rebuild_shipped_vectors

    for path in rebuild_shipped_vectors(progress=True):
        print(f"wrote {path}")
    return 0


def run_ingest(args: argparse.Namespace) -> int:
    """Ingest and summarise; exit 1 when some file could not be indexed."""
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UserFacingError(f"no such file or folder: {', '.join(missing)}")
    report = _services().library.ingest(args.paths, include_bundled=True, progress=True)
    print(
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged; {report.chunks_added} passages indexed"
    )
    for filename, reason in report.errors:
        print(f"skipped {filename}: {reason}", file=sys.stderr)
    return 1 if report.errors else 0


def run_ask(args: argparse.Namespace) -> int:
    """Answer one question, or a stream of them from stdin."""
    if not 1 <= args.k <= 20:
        raise UserFacingError("-k must be between 1 and 20")
    services = _services()
    services.library.ensure_index()
    qa = services.qa
    if args.question is None:
        return _answer_lines(qa, sys.stdin, sys.stdout, k=args.k)
    question = args.question.strip()
    if not question:
        raise UserFacingError("the question is empty")
    answer = qa.ask(question[:MAX_QUESTION_CHARS], k=args.k)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def _answer_lines(qa: QAService, lines: TextIO, out: TextIO, *, k: int) -> int:
    """One JSON object per non-empty input line, flushed at once so a pipe can converse."""
    for line in lines:
        question = line.strip()
        if not question:
            continue
        answer = qa.ask(question[:MAX_QUESTION_CHARS], k=k)
        out.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def format_answer(answer: Answer) -> str:
    """The answer and its numbered sources, for a terminal."""
    caveat = "(Closest match only: the documents may not answer exactly this.)"
    lines = [caveat, answer.answer] if answer.tentative else [answer.answer]
    if answer.answered:
        lines.append("")
        for number, source in enumerate(answer.sources, 1):
            where = (
                f"{source.short_title} — {source.section}" if source.section else source.short_title
            )
            page = f", p. {source.page}" if source.page else ""
            lines.append(f"[{number}] {where}{page}  {source.url}".rstrip())
    else:
        if answer.about_today:
            lines.append(
                "(The documents say how things stood when written, not how they stand today.)"
            )
        if answer.closest_topics:
            lines.append("Closest topics: " + "; ".join(answer.closest_topics))
    return "\n".join(lines)
