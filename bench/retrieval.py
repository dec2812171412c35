"""Retrieval quality on the team's eval set: BM25, each dense model, and their fusions.

Prints one table (recall@5, MRR@10, recall@5 per language, abstention rates) and the ratio of
the hybrid to the best single method, all measured in this run. The index is built (or
incrementally refreshed) under data/bench/ with the real models.

    .venv/bin/python bench/retrieval.py [--chunk-size 800] [--misses] [--questions FILE]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.chunking import CHUNK_SIZE  # noqa: E402
from retrieval.embedders import EMBEDDERS  # noqa: E402
from retrieval.evaluation import EvalQuestion, Scores, calibrate, evaluate, load_eval_set  # noqa: E402
from retrieval.hybrid import Retrieval  # noqa: E402
from retrieval.language import detect_language  # noqa: E402
from retrieval.service import (  # noqa: E402
    CROSS_LINGUAL,
    DEFAULT_ABSTENTION,
    DEFAULT_EMBEDDERS,
    QAService,
    abstention_evidence,
    retrieval_methods,
)


def service_methods() -> list[str]:
    """The rankings the shipped service fuses."""
    return ["bm25", *DEFAULT_EMBEDDERS]


LANGUAGES = ("en", "fr", "es", "de", "it", "pl", "uk", "pt")


def _configs(methods: list[str]) -> list[tuple[str, ...]]:
    """Every non-empty combination of methods, singles first."""
    return [c for n in range(1, len(methods) + 1) for c in itertools.combinations(methods, n)]


def _row(name: str, scores: Scores) -> str:
    by_lang = " ".join(
        f"{scores.recall_by_language.get(lang, float('nan')):5.2f}" for lang in LANGUAGES
    )
    return (
        f"{name:<26} {scores.recall_at_5:5.3f} {scores.mrr:5.3f} {by_lang} "
        f"{scores.non_english_recall_at_5:6.3f} {scores.abstain_unanswerable:6.2f} "
        f"{scores.abstain_answerable:6.2f}"
    )


def main() -> int:
    """Build or refresh the bench index, run every configuration, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
    parser.add_argument("--questions", type=Path, default=ROOT / "bench/eval/questions.yaml")
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--misses", action="store_true", help="list the shipped config's misses")
    args = parser.parse_args()

    index_dir = args.index_dir or ROOT / "data" / "bench" / f"index-{args.chunk_size}"
    # Every model gets a collection, so each can be measured alone and fused.
    service = QAService(index_dir=index_dir, embedders=tuple(EMBEDDERS), chunk_size=args.chunk_size)
    started = time.perf_counter()
    report = service.ingest(progress=True)
    chunks = len(service.retriever.chunks())
    print(
        f"index: {index_dir} ({chunks} chunks of <= {args.chunk_size} chars;"
        f" ingest {time.perf_counter() - started:.1f} s, {report.chunks_added} embedded)"
    )
    questions = load_eval_set(args.questions)
    retriever = service.retriever
    rankings = {q.qid: retriever.rankings(q.question) for q in questions}
    languages = {q.qid: detect_language(q.question) for q in questions}
    text = {q.qid: q.question for q in questions}

    def qualified(qid: str, fused: Retrieval) -> Retrieval:
        """The fused ranking with the evidence the service would weigh for this question."""
        evidence = abstention_evidence(retriever, fused, text[qid], languages[qid])
        return Retrieval(fused.hits, evidence)

    def runs(config: tuple[str, ...], fusion: str) -> dict[str, Retrieval]:
        out = {}
        for qid, ranked in rankings.items():
            out[qid] = qualified(
                qid, retriever.fuse({m: ranked[m] for m in config}, 10, fusion=fusion)
            )
        return out

    langs = " ".join(f"{lang:>5}" for lang in LANGUAGES)
    print(
        f"\n{len(questions)} questions ({sum(q.answerable for q in questions)} answerable);"
        " recall@5 per language; abstention bars calibrated per row (<= 5% of answerable)\n"
    )
    print(f"{'method':<26} {'R@5':>5} {'MRR':>5} {langs} {'non-en':>6} {'abst-U':>6} {'abst-A':>6}")
    results: dict[str, Scores] = {}
    variants = [(f"{' + '.join(c)}", c, "rrf") for c in _configs(retriever.methods)]
    variants += [
        (f"{' + '.join(c)} (score)", c, "score")
        for c in _configs(retriever.methods)
        if len(c) > 1 and "e5" in c
    ]
    policies = {}
    for name, config, fusion in variants:
        fused = runs(config, fusion)
        bars = [m for c in config for m in (c, f"{c}{CROSS_LINGUAL}")]
        policy = calibrate(questions, {q: r.evidence for q, r in fused.items()}, bars)
        policies[name] = policy
        results[name] = evaluate(questions, lambda q, fused=fused: fused[q.qid], policy)
        print(_row(name, results[name]))

    def shipped_run(question: EvalQuestion) -> Retrieval:
        ranked = rankings[question.qid]
        methods = retrieval_methods(languages[question.qid], DEFAULT_EMBEDDERS)
        return qualified(question.qid, retriever.fuse({m: ranked[m] for m in methods}, 10))

    shipped = evaluate(questions, shipped_run, DEFAULT_ABSTENTION)
    shipped_evidence = {q.qid: shipped_run(q).evidence for q in questions}
    policies["shipped"] = calibrate(
        questions, shipped_evidence, [m for m in ("e5", "bm25") for m in (m, f"{m}{CROSS_LINGUAL}")]
    )
    print(_row("shipped: " + " + ".join(service_methods()) + " (score)", shipped))

    singles = [name for name, config, _ in variants if len(config) == 1]
    best = max(singles, key=lambda n: (results[n].recall_at_5, results[n].mrr))
    base = results[best]
    print(
        f"\nbaseline = best single method ({best}), same run; shipped/baseline:"
        f" recall@5 x{shipped.recall_at_5 / base.recall_at_5:.3f},"
        f" MRR x{shipped.mrr / base.mrr:.3f},"
        " non-English recall@5"
        f" x{shipped.non_english_recall_at_5 / base.non_english_recall_at_5:.3f}"
    )
    print(f"bars shipped in retrieval/service.py: {DEFAULT_ABSTENTION}")
    for name in policies:
        print(f"  calibrated for {name}: {dict(policies[name].thresholds)}")
    if args.misses:
        for question in questions:
            run = shipped_run(question)
            if DEFAULT_ABSTENTION.is_weak(run.evidence) == question.answerable:
                terms = retriever.unknown_terms(question.question)
                print(
                    f"  wrong abstention {question.qid} answerable={question.answerable}"
                    f" evidence={dict(run.evidence)} unknown={terms}: {question.question}"
                )
        for question in questions:
            rank = shipped.per_question.get(question.qid, 0)
            if question.answerable and (rank is None or rank > 5):
                print(
                    f"  miss {question.qid} [{question.language}] rank={rank}: {question.question}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
