"""Answer quality on the eval set's tuning and test parts, beside a plain e5 search.

The baseline, measured in the same run, is a plain multilingual-e5 search over 200-word windows
(stride 100) of the same documents; a window matches a graded passage when it overlaps it.
The shipped pipeline is `QAService` exactly as the bot runs it (small-to-big hybrid search,
abstention, follow-up reading, extractive answer). Bars are chosen on the tuning part by
5-fold cross-validation (the CV estimate is printed) and then on the whole tuning part; the
test part is only ever scored.

    .venv/bin/python bench/retrieval.py [--part tune|test|both] [--misses]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from retrieval.answer import AbstentionPolicy  # noqa: E402
from retrieval.chunking import Chunk  # noqa: E402
from retrieval.embedders import E5Embedder  # noqa: E402
from retrieval.evaluation import (  # noqa: E402
    EvalQuestion,
    Outcome,
    Scores,
    calibrate,
    evaluate,
    fold_of,
    load_eval_set,
    pipeline_outcome,
)
from retrieval.hybrid import Hit  # noqa: E402
from retrieval.ingest import expand_paths  # noqa: E402
from retrieval.loaders import load_document  # noqa: E402
from retrieval.qa import BLENDED  # noqa: E402
from retrieval.service import (  # noqa: E402
    BUNDLED_CORPUS,
    CROSS_LINGUAL,
    DEFAULT_ABSTENTION,
    QAService,
    build_retrieval,
)
from retrieval.vector_cache import VectorCache, save_vector_cache  # noqa: E402

LANGUAGES = ("en", "fr", "es", "de", "it", "pl", "uk", "pt")
WINDOW_WORDS, WINDOW_STRIDE = 200, 100
FOLDS = 5


@dataclass(frozen=True)
class Window:
    text: str
    sections: frozenset[tuple[str, str]]


def windows() -> list[Window]:
    """200-word windows over each document's sections (headings included), stride 100."""
    out = []
    for path in expand_paths([BUNDLED_CORPUS]):
        document = load_document(path)
        words: list[tuple[str, tuple[str, str]]] = []
        for section in document.sections:
            label = (document.doc_id, section.headings[-1] if section.headings else "")
            text = " ".join(section.headings) + " " + section.text
            words.extend((word, label) for word in text.split())
        for start in range(0, max(1, len(words) - WINDOW_STRIDE), WINDOW_STRIDE):
            part = words[start : start + WINDOW_WORDS]
            out.append(Window(" ".join(w for w, _ in part), frozenset(lab for _, lab in part)))
    return out


class WindowSearch:
    """The plain baseline: e5 over windows, best first, no abstention, no answer text."""

    def __init__(self, embedder: E5Embedder, cache_file: Path) -> None:
        self._embedder = embedder
        self._windows = windows()
        texts = [w.text for w in self._windows]
        cache = VectorCache.load(cache_file, embedder.model_id)
        missing = [t for t in texts if cache.get(t) is None]
        if missing:
            print(f"embedding {len(missing)} baseline windows (cached afterwards)...")
            cache = cache.merged(missing, list(embedder.embed_passages(missing)))
            vectors = np.stack([cache.get(t) for t in texts])
            save_vector_cache(cache_file, embedder.model_id, texts, vectors)
        self._matrix = np.stack([cache.get(t) for t in texts])

    def run(self, question: EvalQuestion) -> Outcome:
        query = (
            f"{question.previous} {question.question}" if question.follow_up else question.question
        )
        order = np.argsort(-(self._matrix @ self._embedder.embed_query(query)))[:10]
        hits = _window_ranked(order, self._windows, question)
        return Outcome(hits, answered=True, merged=bool(question.follow_up))


def _window_ranked(
    order: Sequence[int], wins: Sequence[Window], question: EvalQuestion
) -> list[Hit]:
    """One hit per window, labelled with a relevant section it overlaps when it has one."""
    hits = []
    for i in order:
        sections = sorted(wins[i].sections)
        label = next((s for s in sections if s in question.relevant), sections[0])
        hits.append(Hit(Chunk(str(i), label[0], "", "", label[1], None, "", "en", "", "", ""), 0.0))
    return hits


def _row(name: str, s: Scores) -> str:
    langs = " ".join(f"{s.recall_by_language.get(lang, float('nan')):5.2f}" for lang in LANGUAGES)
    return (
        f"{name:<22} {s.recall_at_5:5.3f} {s.mrr:5.3f} {s.non_english_recall_at_5:6.3f} {langs}"
        f" {s.key_facts:5.2f} {s.abstain_unanswerable:6.2f} {s.abstain_answerable:6.2f}"
        f" {s.conversations_right:5.2f} {s.markdown_answers:3d}"
    )


HEADER = (
    f"{'pipeline':<22} {'R@5':>5} {'MRR':>5} {'non-en':>6} "
    + " ".join(f"{lang:>5}" for lang in LANGUAGES)
    + f" {'facts':>5} {'abs-U':>6} {'abs-A':>6} {'conv':>5} {'md':>3}"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("tune", "test", "both"), default="both")
    parser.add_argument("--questions", type=Path, default=ROOT / "bench/eval")
    parser.add_argument("--index-dir", type=Path, default=ROOT / "data/bench/index")
    parser.add_argument("--misses", action="store_true", help="list misses of the tuning part")
    args = parser.parse_args()

    sides = build_retrieval(index_dir=args.index_dir, chroma_url=None, llm=None)
    service = sides.qa
    started = time.perf_counter()
    report = sides.library.ingest(progress=False)
    print(
        f"index: {len(service.retriever.chunks())} units"
        f" (ingest {time.perf_counter() - started:.1f} s, {report.chunks_added} embedded)"
    )
    items = load_eval_set(args.questions)
    tune = [q for q in items if q.part == "tune"]
    test = [q for q in items if q.part == "test"]
    print(f"{len(items)} items: tuning part {len(tune)}, test part {len(test)}")

    # Bars: evidence of the standalone tuning questions, 5-fold CV, then the whole part.
    standalone = [q for q in tune if q.previous is None]
    evidence = {q.qid: service.retrieve(q.question, k=10).evidence for q in standalone}
    keys = [BLENDED, f"e5{CROSS_LINGUAL}"]
    base = AbstentionPolicy({})
    cv_u: list[bool] = []
    cv_a: list[bool] = []
    for fold in range(FOLDS):
        fit = [q for q in standalone if fold_of(q.qid, FOLDS) != fold]
        held = [q for q in standalone if fold_of(q.qid, FOLDS) == fold]
        policy = calibrate(fit, evidence, keys, base=base)
        for q in held:
            (cv_a if q.answerable else cv_u).append(policy.is_weak(evidence[q.qid]))
    policy = calibrate(standalone, evidence, keys, base=base)
    print(
        f"bars from the tuning part: {dict(policy.thresholds)}"
        f" (5-fold CV on it: abstains on {np.mean(cv_u):.2f} of out-of-scope,"
        f" {np.mean(cv_a):.2f} of answerable)"
    )
    print(f"bars shipped in retrieval/service.py: {dict(DEFAULT_ABSTENTION.thresholds)}")

    baseline = WindowSearch(E5Embedder(), ROOT / "data/bench/windows-e5.npz")
    parts = {"tune": tune, "test": test}
    chosen = ["tune", "test"] if args.part == "both" else [args.part]
    for name in chosen:
        questions = parts[name]
        shipped = evaluate(questions, lambda q: pipeline_outcome(service, q))
        plain = evaluate(questions, baseline.run)
        print(f"\n{name} part: {shipped.counts}")
        print(HEADER)
        print(_row("plain e5, 200-word win", plain))
        print(_row("shipped", shipped))
        print(
            f"shipped/plain: recall@5 x{shipped.recall_at_5 / plain.recall_at_5:.3f}"
            f" (+{100 * (shipped.recall_at_5 - plain.recall_at_5):.1f} points),"
            f" MRR x{shipped.mrr / plain.mrr:.3f}"
        )
        print(
            f"answers shown as tentative: {shipped.tentative_answerable:.2f} of those to"
            f" answerable questions, {shipped.tentative_unanswerable:.2f} of those to"
            " out-of-scope ones"
        )
        if args.misses and name == "tune":
            _print_misses(service, questions, shipped)
    return 0


def _print_misses(service: QAService, questions: Sequence[EvalQuestion], scores: Scores) -> None:
    """Tuning-part items the shipped pipeline got wrong (never run on the test part)."""
    for q in questions:
        answer = service.ask(q.question, previous=q.previous)
        rank = scores.per_question.get(q.qid)
        if q.previous is None and answer.answered != q.answerable:
            print(f"  abstention {q.qid} [{q.language}] answered={answer.answered}: {q.question}")
        elif q.answerable and q.previous is None and (rank is None or rank > 5):
            print(f"  ranking {q.qid} [{q.language}] rank={rank}: {q.question}")


if __name__ == "__main__":
    raise SystemExit(main())
