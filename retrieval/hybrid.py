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

import numpy as np

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
class DenseMatrix:
    """One embedder's stored vectors of the snapshot's chunks, unit length, one row per id.

    Dense rankings are computed here, exactly, rather than by Chroma's HNSW index: HNSW is
    approximate, and its graph depends on insertion order and thread timing, so two copies of
    the same index (a replica's Chroma server, another process's embedded copy) could each
    miss a different near neighbour and show a user different passages for the same question.
    Our corpus is a few thousand passages at most: a matrix product over all of them costs
    well under a millisecond and gives every process the same ranking.
    """

    ids: Sequence[str]
    unit: np.ndarray

    @classmethod
    def of(cls, vectors: Mapping[str, np.ndarray]) -> DenseMatrix:
        """The matrix of `vectors`, rows in id order (so ties break the same way everywhere)."""
        ids = sorted(vectors)
        if not ids:
            return cls([], np.empty((0, 0)))
        matrix = np.stack([np.asarray(vectors[i], dtype=np.float64) for i in ids])
        return cls(ids, matrix / _norms(matrix))

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The `k` ids most cosine-similar to `vector`, best first (ties: lower id first)."""
        if not self.ids:
            return []
        query = np.asarray(vector, dtype=np.float64)
        similarities = self.unit @ (query / (np.linalg.norm(query) or 1.0))
        order = np.argsort(-similarities, kind="stable")[:k]
        return [(self.ids[i], float(similarities[i])) for i in order]


def _norms(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.where(norms == 0.0, 1.0, norms)


@dataclass(frozen=True)
class _Snapshot:
    chunks: Mapping[str, Chunk]
    bm25: BM25Index
    dense: Mapping[str, DenseMatrix] = field(default_factory=dict)


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
        """Reload chunks and their vectors from the store and rebuild BM25 (after any change
        to the index)."""
        chunks = {c.chunk_id: c for c in self._store.chunks()}
        ordered = sorted(chunks)
        bm25 = BM25Index(ordered, [chunks[i].indexed_text for i in ordered])
        dense = {
            name: DenseMatrix.of(self._store.vectors(name, ordered)) for name in self._embedders
        }
        with self._lock:
            self._snapshot = _Snapshot(chunks, bm25, dense)
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

        Dense rankings are exact, over the snapshot's vectors (see `DenseMatrix`). The store's
        own nearest neighbours serve only to notice chunks added by another process: a hit the
        snapshot does not know means reload and search again, once.
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
                    stored = self._store.query(method, vector, CANDIDATES)
                    unknown = unknown or any(i not in snapshot.chunks for i, _ in stored)
                    matrix = snapshot.dense.get(method)
                    scored = matrix.nearest(vector, CANDIDATES) if matrix else []
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
