"""Hybrid small-to-big search: units are matched, sections are ranked.

Every method (BM25 and each dense model) scores the small units; a section's score is its best
unit's dense similarity, pulled halfway toward its second best (a section with two matching
statements beats one whose single lucky sentence matches), plus a small bonus for BM25 on
English questions, normalised by the query's best BM25 score, so names, acronyms and numbers
break near-ties. A sparse model (the latent terms) is not a similarity of its own: its score
is added, weighted, to every unit's dense similarity, in the ranking and in the choice of
quoted units, while the evidence stays the dense models' (the bars are on their scale).
The weights were chosen on the eval set's tuning part (bench/retrieval.py).
A hit is a whole section, with every unit's score, so the answer can quote the statement
that answers and its neighbours. The raw top score of every method is kept as evidence for
the abstention decision.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse  # already loaded: bm25s (retrieval.lexical) computes with it

from retrieval.chunking import Chunk, is_cut, join_units
from retrieval.embedders import TERMS_FEATURES, Embedder, LatentTermsEmbedder, unpack_terms
from retrieval.lexical import BM25Index
from retrieval.markdown import BULLET
from retrieval.originals import originals
from retrieval.stores import ChunkStore

#: The lexical ranking's method name, and the latent terms' (`embedders.LatentTermsEmbedder`).
LEXICAL, TERMS = "bm25", LatentTermsEmbedder.name
#: How deep the BM25 ranking goes (dense rankings score every unit: it costs microseconds).
CANDIDATES = 50
#: Weight of the normalised BM25 score next to the cosine (tuning part: 0.01-0.03 best).
LEXICAL_WEIGHT = 0.02
#: How far a section's score moves from its best unit toward its second best (tuning: 0.3-0.5).
SECOND_UNIT_PULL = 0.5
#: Weight of the whole section's similarity next to its units' (tuning: 0.35-0.5 best; it
#: lifted non-English recall@5 from 0.86 to 0.93).
SECTION_WEIGHT = 0.4
#: Weight of a follow-up's own embedding added to that of "previous question + follow-up"
#: (tuning part, follow-ups: MRR 0.75 without, 0.79 at 0.5; 1.0 lost recall@5).
FOLLOW_UP_EMPHASIS = 0.5
#: Score a digest's section gives up once the original it summarises is uploaded: the original's
#: passage on the same point wins unless the digest's is clearly closer. No eval question has
#: an uploaded original to tune on, so it is set from the ranking's scale: on the tuning part the
#: gap between a question's first and third section has median 0.020 and upper quartile 0.032.
#: A digest section the original lacks (our digests add ICC material) still ranks.
DIGEST_YIELD = 0.03
#: What a section the document wrote as its own summary for readers ("Quick answer: how do I
#: start an anti-rumours strategy?", "Key messages", "Key facts at a glance", "Checklist for
#: local authorities", "The Faro Convention in brief") gains: it answers
#: in the document's chosen words. Tuning part, MRR / key facts / follow-ups' key facts: 0.8741
#: / 0.7158 / 0.7526 without; 0.8768 / 0.7188 / 0.7548 at 0.002 and 0.003; 0.8791 / 0.7158 /
#: 0.7526 at 0.005; 0.8789 / 0.7148 / 0.7459 at 0.008 (out of scope refused 0.837 -> 0.829).
SUMMARY_PRIOR = 0.003
_SUMMARY = re.compile(
    r"\b(?:quick answer|key messages|key facts at a glance|checklist for local|in brief)\b",
    re.IGNORECASE,
)
#: Weight of a unit's latent-terms similarity added to its dense one (tuning part, R@5 / MRR /
#: key facts: 0.969 / 0.869 / 0.71 without; 0.973 / 0.880 / 0.723 at 0.05; 0.973 / 0.879 /
#: 0.724 at 0.1; 0.977 / 0.881 / 0.72 at 0.15; 0.977 / 0.894 / 0.705 at 0.25). Not shipped:
#: the terms' own forward pass made a warm question's p95 x1.74 its e5 embedding's (target
#: x1.5), even computed beside it; see bench/README.md.
TERMS_WEIGHT = 0.15
#: Query embeddings kept (recent questions: a follow-up's first, alone, search included).
EMBEDDING_CACHE = 512


@dataclass(frozen=True)
class Hit:
    """A retrieved section: its best unit (`chunk`), fused score, every unit in reading order
    and each unit's dense similarity to the query (`unit_scores`, by chunk id)."""

    chunk: Chunk
    score: float
    signals: Mapping[str, float] = field(default_factory=dict)
    units: Sequence[Chunk] = ()
    unit_scores: Mapping[str, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole section as plain text (its units rejoined)."""
        return join_units(self.units) if self.units else self.chunk.text


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
    #: Unit-length rows (a sparse matrix for `TermsMatrix`).
    unit: np.ndarray | sparse.csr_matrix

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


@dataclass(frozen=True)
class TermsMatrix(DenseMatrix):
    """A sparse embedder's packed passage terms as one unit-length sparse matrix, ranked like
    a `DenseMatrix`: a question's terms meet every passage in one product."""

    @classmethod
    def of(cls, vectors: Mapping[str, np.ndarray]) -> TermsMatrix:
        """The matrix of packed rows (see `embedders.pack_terms`), rows in id order."""
        ids = sorted(vectors)
        if not ids:
            return cls([], sparse.csr_matrix((0, TERMS_FEATURES)))
        rows, columns, values = [], [], []
        for row, chunk_id in enumerate(ids):
            indices, weights = unpack_terms(vectors[chunk_id])
            kept = weights > 0
            rows.append(np.full(int(kept.sum()), row))
            columns.append(indices[kept])
            values.append(weights[kept] / (float(np.linalg.norm(weights[kept])) or 1.0))
        matrix = sparse.csr_matrix(
            (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
            shape=(len(ids), TERMS_FEATURES),
        )
        return cls(ids, matrix)


def _norms(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.where(norms == 0.0, 1.0, norms)


@dataclass(frozen=True)
class _Snapshot:
    chunks: Mapping[str, Chunk]
    bm25: BM25Index
    dense: Mapping[str, DenseMatrix] = field(default_factory=dict)
    #: Each section's units in reading order (what a hit quotes and answers from).
    sections: Mapping[tuple[str, str, int], tuple[Chunk, ...]] = field(default_factory=dict)
    #: The store's version this snapshot was read at.
    version: str = ""
    #: Digest doc id -> the uploaded original that supersedes it (see `retrieval.originals`).
    originals: Mapping[str, str] = field(default_factory=dict)
    #: Fragment id -> the unit whose sentence it ends (see `_fragments`).
    fragments: Mapping[str, str] = field(default_factory=dict)


#: A unit of at most this many words that ends a sentence begun in the unit before it
#: ("Loures).", "the Russian version),") is a leftover: too short to mean anything alone.
LEFTOVER_WORDS = 4


def _fragments(
    sections: Mapping[tuple[str, str, int], Sequence[Chunk]],
) -> dict[str, str]:
    """Each fragment's id -> the id of the unit whose sentence it ends (see `LEFTOVER_WORDS`).

    An embedding of two or three leftover words sits close to almost any question (one scored
    0.90 against "What is the anti-rumours method?", above every unit that answers it), so a
    fragment is scored no higher than the unit it continues."""
    found: dict[str, str] = {}
    for units in sections.values():
        for before, unit in itertools.pairwise(units):
            if (
                is_cut(before)
                and before.block == unit.block
                and not unit.text.startswith(BULLET)
                and len(unit.text.split()) <= LEFTOVER_WORDS
            ):
                found[unit.chunk_id] = before.chunk_id
    return found


def _sections(chunks: Mapping[str, Chunk]) -> dict[tuple[str, str, int], tuple[Chunk, ...]]:
    grouped: dict[tuple[str, str, int], list[Chunk]] = {}
    for chunk in chunks.values():
        if not chunk.is_section:
            grouped.setdefault(chunk.section_key, []).append(chunk)
    return {key: tuple(sorted(units, key=lambda u: u.ordinal)) for key, units in grouped.items()}


def section_scores(
    chunks: Mapping[str, Chunk],
    rankings: Mapping[str, Sequence[tuple[str, float]]],
    similarities: Mapping[str, float],
) -> dict[tuple[str, str, int], float]:
    """Each section's fused score from its units' and its own `similarities` (those of
    `chunk_similarities`) and the lexical ranking (see the module doc)."""
    units: dict[tuple[str, str, int], list[float]] = {}
    whole: dict[tuple[str, str, int], float] = {}
    for chunk_id, cosine in similarities.items():
        chunk = chunks[chunk_id]
        if chunk.is_section:
            whole[chunk.section_key] = cosine
        else:
            units.setdefault(chunk.section_key, []).append(cosine)
    fused = {}
    for key, values in units.items():
        values.sort(reverse=True)
        second = values[1] if len(values) > 1 else values[0]
        pulled = values[0] + SECOND_UNIT_PULL * (second - values[0])
        fused[key] = (1 - SECTION_WEIGHT) * pulled + SECTION_WEIGHT * whole.get(key, pulled)
    lexical = rankings.get(LEXICAL, [])
    top_lexical = max((s for _, s in lexical), default=0.0) or 1.0
    bonus: dict[tuple[str, str, int], float] = {}
    for chunk_id, score in lexical:
        key = chunks[chunk_id].section_key
        bonus[key] = max(bonus.get(key, 0.0), score / top_lexical)
    for key, value in bonus.items():
        fused[key] = fused.get(key, 0.0) + LEXICAL_WEIGHT * value
    return fused


def chunk_similarities(rankings: Mapping[str, Sequence[tuple[str, float]]]) -> dict[str, float]:
    """Each chunk's similarity to the query: the mean over the dense models, plus the latent
    terms' similarity at `TERMS_WEIGHT` when that ranking is present."""
    dense = [dict(r) for m, r in rankings.items() if m not in (LEXICAL, TERMS) and r]
    terms = dict(rankings.get(TERMS, ()))
    return {
        chunk_id: sum(d.get(chunk_id, 0.0) for d in dense) / len(dense)
        + TERMS_WEIGHT * terms.get(chunk_id, 0.0)
        for chunk_id in (dense[0] if dense else {})
    }


class HybridRetriever:
    """Searches the store's chunks with BM25 and every configured embedder, then fuses.

    The chunk map and BM25 index form one immutable snapshot, swapped whole by `refresh`, so
    concurrent searches never see a half-rebuilt index.
    """

    def __init__(
        self,
        store: ChunkStore,
        embedders: Sequence[Embedder],
    ) -> None:
        self._store = store
        self._embedders = {e.name: e for e in embedders}
        self._embedded: dict[tuple[str, str], np.ndarray] = {}
        self._snapshot = _Snapshot({}, BM25Index([], []), version="\0unread")
        self._lock = threading.Lock()
        #: Runs the other models' query embeddings while this thread runs the first's.
        others = len(embedders) - 1
        self._pool = ThreadPoolExecutor(others, "query-embedding") if others else None

    @property
    def embedders(self) -> list[Embedder]:
        """The models this retriever searches with (ingest reuses them: each loads once)."""
        return list(self._embedders.values())

    @property
    def methods(self) -> list[str]:
        """Every ranking this retriever can produce: "bm25" and the embedder names."""
        return [LEXICAL, *self._embedders]

    def refresh(self) -> None:
        """Reload chunks and their vectors from the store and rebuild BM25 (after any change
        to the index)."""
        version = self._store.version()
        chunks = {c.chunk_id: c for c in self._store.chunks()}
        ordered = sorted(chunks)
        # Section summaries only repeat their units' words: BM25 scores the units alone.
        lexical = [i for i in ordered if not chunks[i].is_section]
        bm25 = BM25Index(lexical, [chunks[i].indexed_text for i in lexical])
        dense = {
            name: (TermsMatrix if name == TERMS else DenseMatrix).of(
                self._store.vectors(name, ordered)
            )
            for name, embedder in self._embedders.items()
        }
        sections = _sections(chunks)
        with self._lock:
            self._snapshot = _Snapshot(
                chunks, bm25, dense, sections, version, originals(chunks), _fragments(sections)
            )

    def _current(self) -> _Snapshot:
        """The snapshot, reloaded first if any process wrote to the store since it was taken
        (the store's version moved: a file read, or a cached read on a server store)."""
        if self._store.version() != self._snapshot.version:
            self.refresh()
        return self._snapshot

    def originals(self) -> dict[str, str]:
        """Digest doc id -> the uploaded original its passages give way to."""
        return dict(self._current().originals)

    def chunks(self) -> list[Chunk]:
        """Every indexed chunk (from the current snapshot)."""
        return list(self._current().chunks.values())

    def lacking_vectors(self) -> list[Chunk]:
        """Chunks some model has no vector for (indexed before that model joined)."""
        snapshot = self._current()
        held = [set(matrix.ids) for matrix in snapshot.dense.values()]
        return [c for i, c in sorted(snapshot.chunks.items()) if any(i not in h for h in held)]

    def _query_vector(self, method: str, query: str, emphasis: str) -> np.ndarray:
        """The query's embedding, plus `FOLLOW_UP_EMPHASIS` times that of `emphasis` (a
        follow-up's own words, which the previous question would otherwise drown out).

        Embeddings are cached per text: a follow-up reuses the vector of the message it was
        first searched as, so reading it in context costs one embedding, not two.
        """
        vector = self._embedding(method, query)
        if emphasis:
            vector = vector + FOLLOW_UP_EMPHASIS * self._embedding(method, emphasis)
        return vector

    def _query_vectors(
        self, methods: Sequence[str], query: str, emphasis: str
    ) -> dict[str, np.ndarray]:
        """`_query_vector` for each model, the models running side by side: each has its own
        engine, which releases the GIL, so a question costs about its slowest model, not
        their sum (the machine has two cores)."""
        if self._pool is None or len(methods) < 2:  # one model: nothing runs beside it
            return {m: self._query_vector(m, query, emphasis) for m in methods}
        futures = {
            m: self._pool.submit(self._query_vector, m, query, emphasis) for m in methods[1:]
        }
        vectors = {methods[0]: self._query_vector(methods[0], query, emphasis)}
        vectors.update((m, future.result()) for m, future in futures.items())
        return vectors

    def _embedding(self, method: str, text: str) -> np.ndarray:
        key = (method, text)
        with self._lock:
            cached = self._embedded.pop(key, None)
            if cached is not None:
                self._embedded[key] = cached  # most recently used last
                return cached
        vector = self._embedders[method].embed_query(text)
        with self._lock:
            self._embedded[key] = vector
            while len(self._embedded) > EMBEDDING_CACHE:
                self._embedded.pop(next(iter(self._embedded)))
        return vector

    def rankings(
        self, query: str, *, methods: Sequence[str] | None = None, emphasis: str = ""
    ) -> dict[str, list[tuple[str, float]]]:
        """Each method's own candidates for `query`, as (chunk id, raw score), best first:
        BM25's top `CANDIDATES`, and every unit for a dense model (see `_query_vector` for
        `emphasis`).

        Dense rankings are exact, over the snapshot's vectors (see `DenseMatrix`); the store is
        not asked anything unless its version moved.
        """
        snapshot = self._current()
        wanted = list(methods or self.methods)
        vectors = self._query_vectors([m for m in wanted if m != LEXICAL], query, emphasis)
        found: dict[str, list[tuple[str, float]]] = {}
        for method in wanted:
            if method == LEXICAL:
                scored = snapshot.bm25.search(query, CANDIDATES)
            else:
                vector = vectors[method]
                matrix = snapshot.dense.get(method)
                scored = matrix.nearest(vector, len(matrix.ids)) if matrix else []
            found[method] = [(i, s) for i, s in scored if i in snapshot.chunks]
        return found

    def fuse(self, rankings: Mapping[str, Sequence[tuple[str, float]]], k: int) -> Retrieval:
        """The top `k` sections for per-method unit rankings, keeping each method's best score."""
        snapshot = self._current()
        chunks = snapshot.chunks
        unit_scores = chunk_similarities(rankings)
        for fragment, whole in snapshot.fragments.items():
            if fragment in unit_scores and whole in unit_scores:
                unit_scores[fragment] = min(unit_scores[fragment], unit_scores[whole])
        fused = section_scores(chunks, rankings, unit_scores)
        for key in fused:
            if key[0] in snapshot.originals:
                fused[key] -= DIGEST_YIELD
            if _SUMMARY.search(key[1].rsplit(" › ", 1)[-1]):
                fused[key] += SUMMARY_PRIOR
        best = sorted(fused, key=lambda key: (-fused[key], key))[:k]
        signals: dict[str, dict[str, float]] = {}
        for method, scored in rankings.items():
            for chunk_id, score in scored:
                signals.setdefault(chunk_id, {})[method] = score
        hits = []
        for key in best:
            units = snapshot.sections.get(key, ())
            if not units:
                continue
            top = max(units, key=lambda u: (unit_scores.get(u.chunk_id, 0.0), -u.ordinal))
            scores = {u.chunk_id: unit_scores.get(u.chunk_id, 0.0) for u in units}
            hits.append(Hit(top, fused[key], signals.get(top.chunk_id, {}), units, scores))
        evidence = {
            m: max((s for i, s in r if not chunks[i].is_section), default=0.0)
            for m, r in rankings.items()
            if m != TERMS
        }
        return Retrieval(hits, evidence)

    def search(
        self, query: str, k: int, *, methods: Sequence[str] | None = None, emphasis: str = ""
    ) -> Retrieval:
        """Fused top-`k` sections for `query`, using `methods` (default: all)."""
        return self.fuse(self.rankings(query, methods=methods, emphasis=emphasis), k)
