"""Hybrid search: BM25 and dense rankings, merged by score fusion or reciprocal rank fusion.

Two fusions, compared by bench/retrieval.py:
- "score" (shipped): the dense cosine similarity plus a small bonus for BM25, normalised by the
  query's best BM25 score. The cosine carries most of the signal; BM25 breaks near-ties in
  favour of passages that use the question's own words (names, acronyms, numbers).
- "rrf": weighted reciprocal rank fusion, which ignores score scales entirely; it measured
  lower here because it flattens the dense model's confident margins.
The raw top score of every method is kept as evidence for the abstention decision.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from retrieval.chunking import Chunk
from retrieval.embedders import Embedder
from retrieval.lexical import BM25Index
from retrieval.stores import ChunkStore

#: The usual RRF constant: damps the difference between rank 1 and rank 2 of a single method.
RRF_K = 60
#: How deep each method's ranking goes into the fusion.
CANDIDATES = 30
#: How often a search checks whether another process (a second replica sharing the Chroma
#: server, or `icc-assistant ingest`) changed the index, by comparing chunk counts.
STALE_CHECK_SECONDS = 30.0
#: Score fusion: weight of the normalised BM25 score next to the cosine (measured: 0.02-0.04
#: beat both 0 and 0.06+, see bench/README.md).
LEXICAL_WEIGHT = 0.03


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and each method's own score for it."""

    chunk: Chunk
    score: float
    signals: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Retrieval:
    """The fused ranking plus the best raw score each method found (the evidence)."""

    hits: list[Hit]
    evidence: Mapping[str, float]


@dataclass(frozen=True)
class _Snapshot:
    chunks: Mapping[str, Chunk]
    bm25: BM25Index


def rrf(rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float]) -> dict[str, float]:
    """Weighted reciprocal rank fusion: sum over methods of weight / (RRF_K + rank)."""
    fused: dict[str, float] = {}
    for method, ids in rankings.items():
        weight = weights.get(method, 1.0)
        for rank, chunk_id in enumerate(ids, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + rank)
    return fused


def score_fusion(
    rankings: Mapping[str, Sequence[tuple[str, float]]], lexical_weight: float = LEXICAL_WEIGHT
) -> dict[str, float]:
    """Mean dense cosine plus `lexical_weight` x BM25 / best BM25 of this query.

    A chunk that a dense ranking did not return gets that ranking's lowest returned score: it
    is at most that similar, and no query is embedded twice to find out.
    """
    dense = {m: dict(r) for m, r in rankings.items() if m != "bm25" and r}
    lexical = dict(rankings.get("bm25", []))
    top_lexical = max(lexical.values(), default=0.0) or 1.0
    floors = {m: min(scores.values()) for m, scores in dense.items()}
    fused: dict[str, float] = {}
    for chunk_id in set(lexical).union(*dense.values()):
        cosine = (
            sum(scores.get(chunk_id, floors[m]) for m, scores in dense.items()) / len(dense)
            if dense
            else 0.0
        )
        fused[chunk_id] = cosine + lexical_weight * lexical.get(chunk_id, 0.0) / top_lexical
    return fused


class HybridRetriever:
    """Searches the store's chunks with BM25 and every configured embedder, then fuses.

    The chunk map and BM25 index form one immutable snapshot, swapped whole by `refresh`, so
    concurrent searches never see a half-rebuilt index.
    """

    def __init__(
        self,
        store: ChunkStore,
        embedders: Sequence[Embedder],
        *,
        weights: Mapping[str, float] | None = None,
        fusion: str = "score",
    ) -> None:
        if fusion not in ("score", "rrf"):
            raise ValueError(f"unknown fusion {fusion!r}")
        self._fusion = fusion
        self._store = store
        self._embedders = {e.name: e for e in embedders}
        self._weights = dict(weights or {})
        self._snapshot = _Snapshot({}, BM25Index([], []))
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    @property
    def embedders(self) -> list[Embedder]:
        """The models this retriever searches with (ingest reuses them: each loads once)."""
        return list(self._embedders.values())

    @property
    def methods(self) -> list[str]:
        """Every ranking this retriever can produce: "bm25" and the embedder names."""
        return ["bm25", *self._embedders]

    def refresh(self) -> None:
        """Reload chunks from the store and rebuild BM25 (after any change to the index)."""
        chunks = {c.chunk_id: c for c in self._store.chunks()}
        ordered = sorted(chunks)
        bm25 = BM25Index(ordered, [chunks[i].indexed_text for i in ordered])
        with self._lock:
            self._snapshot = _Snapshot(chunks, bm25)
            self._checked = time.monotonic()

    def _current(self) -> _Snapshot:
        """The snapshot, reloaded first if the store's chunk count moved since the last check."""
        if time.monotonic() - self._checked > STALE_CHECK_SECONDS:
            self._checked = time.monotonic()
            if self._store.count() != len(self._snapshot.chunks):
                self.refresh()
        return self._snapshot

    def chunks(self) -> list[Chunk]:
        """Every indexed chunk (from the current snapshot)."""
        return list(self._snapshot.chunks.values())

    def rankings(
        self, query: str, *, methods: Sequence[str] | None = None
    ) -> dict[str, list[tuple[str, float]]]:
        """Each method's own top candidates for `query`, as (chunk id, raw score), best first.

        A dense hit the snapshot does not know means another process added chunks: reload
        and search again, once.
        """
        for attempt in range(2):
            snapshot = self._current()
            found: dict[str, list[tuple[str, float]]] = {}
            unknown = False
            for method in methods or self.methods:
                if method == "bm25":
                    scored = snapshot.bm25.search(query, CANDIDATES)
                else:
                    vector = self._embedders[method].embed_query(query)
                    scored = self._store.query(method, vector, CANDIDATES)
                    unknown = unknown or any(i not in snapshot.chunks for i, _ in scored)
                found[method] = [(i, s) for i, s in scored if i in snapshot.chunks]
            if not unknown or attempt:
                return found
            self.refresh()
        return found

    def unknown_terms(self, query: str) -> list[str]:
        """Terms of `query` that appear in no indexed chunk (see BM25Index.unknown_terms)."""
        return self._snapshot.bm25.unknown_terms(query)

    def fuse(
        self,
        rankings: Mapping[str, Sequence[tuple[str, float]]],
        k: int,
        *,
        weights: Mapping[str, float] | None = None,
        fusion: str | None = None,
    ) -> Retrieval:
        """Merge per-method rankings into the top `k` hits, keeping each method's best score."""
        snapshot = self._current()
        signals: dict[str, dict[str, float]] = {}
        for method, scored in rankings.items():
            for chunk_id, score in scored:
                signals.setdefault(chunk_id, {})[method] = score
        if (fusion or self._fusion) == "rrf":
            fused = rrf(
                {m: [i for i, _ in r] for m, r in rankings.items()}, weights or self._weights
            )
        else:
            fused = score_fusion(rankings)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        evidence = {m: max((s for _, s in r), default=0.0) for m, r in rankings.items()}
        hits = [Hit(snapshot.chunks[i], fused[i], signals[i]) for i in best if i in snapshot.chunks]
        return Retrieval(hits, evidence)

    def search(self, query: str, k: int, *, methods: Sequence[str] | None = None) -> Retrieval:
        """Fused top-`k` chunks for `query`, using `methods` (default: all)."""
        return self.fuse(self.rankings(query, methods=methods), k)
