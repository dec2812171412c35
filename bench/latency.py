"""Latency and cost: warm per-question time, cold and unchanged ingest, peak memory.

Every figure comes with a floor measured in the same run, so the ratio is meaningful on a
noisy shared machine: a question against the bare query-embedding time (the model's own cost),
an ingest against the time to merely read and chunk the corpus.

    .venv/bin/python bench/latency.py [--no-cache]

Each eval question is asked once: the retriever keeps recent query embeddings (a follow-up
reuses its message's), so a repeated question would time a cache hit, not a question.

`--no-cache` also measures a cold ingest that embeds every passage (minutes on two cores),
instead of using the vectors shipped in corpus/documents/vectors/. Set OMP_NUM_THREADS to
measure the e5 engine with another thread count.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.chunking import chunk_document  # noqa: E402
from retrieval.embedders import E5Embedder  # noqa: E402
from retrieval.evaluation import load_eval_set  # noqa: E402
from retrieval.ingest import expand_paths  # noqa: E402
from retrieval.loaders import load_document  # noqa: E402
from retrieval.service import (  # noqa: E402
    BUNDLED_CORPUS,
    DocumentLibrary,
    SearchIndex,
    build_retrieval,
)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _timed(action: object) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    """Run every measurement once and print them with their same-run floors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "bench/eval")
    parser.add_argument("--no-cache", action="store_true", help="also time a full embedding")
    args = parser.parse_args()
    items = load_eval_set(args.questions)
    questions = list(dict.fromkeys(q.question for q in items))
    turns = list(dict.fromkeys((q.previous, q.question) for q in items if q.previous))
    print(f"{len(questions)} distinct questions, each asked once; {len(turns)} chat turns\n")

    floor_read = _timed(
        lambda: [chunk_document(load_document(p)) for p in expand_paths([BUNDLED_CORPUS])]
    )
    with tempfile.TemporaryDirectory() as scratch:
        index_dir = Path(scratch) / "index"
        cold = _timed(lambda: DocumentLibrary(SearchIndex(index_dir=index_dir)).ingest())
        unchanged = _timed(lambda: DocumentLibrary(SearchIndex(index_dir=index_dir)).ingest())
        full = None
        if args.no_cache:
            bare = SearchIndex(index_dir=Path(scratch) / "bare")
            full = _timed(DocumentLibrary(bare, vectors_dir=None).ingest)

        service = build_retrieval(index_dir=index_dir, chroma_url=None, llm=None).qa
        service.ask("warm-up: load the model and the index")
        embedder = E5Embedder()
        embedder.embed_query("warm-up")
        # A chat turn first, while its message is new to the service: the previous message
        # was asked just before (its embedding is cached, as in the bot); the turn embeds its
        # message with and without the previous one, one embedding more than a question alone.
        follow_ups: list[float] = []
        for previous, question in turns:
            service.ask(previous)
            follow_ups.append(_timed(lambda p=previous, q=question: service.ask(q, previous=p)))
        service = build_retrieval(index_dir=index_dir, chroma_url=None, llm=None).qa
        service.ask("warm-up: load the model and the index")
        asks: list[float] = []
        embeds: list[float] = []
        for question in questions:
            embeds.append(_timed(lambda q=question: embedder.embed_query(q)))
            asks.append(_timed(lambda q=question: service.ask(q)))
        chunks = sum(1 for _ in service.retriever.chunks())

    ask_p50, ask_p95 = _percentiles(asks)
    emb_p50, emb_p95 = _percentiles(embeds)
    turn_p50, turn_p95 = _percentiles(follow_ups)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("question, warm (ask)", f"p50 {ask_p50 * 1000:6.1f} ms", f"p95 {ask_p95 * 1000:6.1f} ms"),
        (
            "floor: query embedding",
            f"p50 {emb_p50 * 1000:6.1f} ms",
            f"p95 {emb_p95 * 1000:6.1f} ms",
        ),
        ("  ratio ask / floor", f"p50 x{ask_p50 / emb_p50:6.2f}", f"p95 x{ask_p95 / emb_p95:6.2f}"),
        (
            "chat turn, warm (ask, previous)",
            f"p50 {turn_p50 * 1000:6.1f} ms",
            f"p95 {turn_p95 * 1000:6.1f} ms",
        ),
        (
            "  ratio turn / floor",
            f"p50 x{turn_p50 / emb_p50:6.2f}",
            f"p95 x{turn_p95 / emb_p95:6.2f}",
        ),
        ("cold ingest (shipped vectors)", f"{cold:8.2f} s", f"{chunks} passages"),
        ("unchanged ingest (new service)", f"{unchanged:8.2f} s", ""),
        ("floor: read + chunk corpus", f"{floor_read:8.2f} s", ""),
        ("  ratio cold / floor", f"x{cold / floor_read:8.2f}", ""),
        ("  ratio unchanged / floor", f"x{unchanged / floor_read:8.2f}", ""),
    ]
    if full is not None:
        rows.append(
            ("cold ingest (embed everything)", f"{full:8.2f} s", f"x{full / cold:.1f} cached")
        )
    rows.append(("peak memory (RSS)", f"{peak_mb:8.0f} MB", ""))
    for name, first, second in rows:
        print(f"{name:<32} {first:<16} {second}")
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    print(f"\ne5 engine OpenMP threads: {threads}")
    print("targets: p95 <= 120 ms, cold ingest <= 20 s, unchanged ingest <= 2 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
