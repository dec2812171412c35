"""Incremental ingest: only new or changed documents are embedded, and a change is a swap.

A document is identified by its id (file stem) and versioned by the SHA-256 of its bytes, both
stored on every chunk. An unchanged file is skipped before it is even parsed. A changed file's
new chunks (whose ids carry the new hash) are written first and its old chunks deleted after,
so the document is searchable throughout; if anything fails before the old chunks go, the new
ones are deleted again and the previous index keeps serving.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from retrieval.chunking import CHUNK_SIZE, Chunk, chunk_document
from retrieval.embedders import Embedder
from retrieval.errors import DocumentError
from retrieval.loaders import (
    SUPPORTED_SUFFIXES,
    LoadedDocument,
    content_hash,
    doc_id_for,
    load_document,
)
from retrieval.stores import ChunkStore
from retrieval.vector_cache import VectorCache

log = logging.getLogger(__name__)

#: Passages per embedding call: large enough to keep both cores busy, small for a smooth bar.
EMBED_BATCH = 32


@dataclass
class IngestPlan:
    """What an ingest will do, decided before any embedding."""

    documents: list[LoadedDocument] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files given directly, plus supported files found (recursively, sorted) in folders."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not p.name.startswith(".")
                and p.name.lower() != "readme.md"
            )
        else:
            yield path


def plan_ingest(paths: Iterable[Path], indexed: dict[str, str]) -> IngestPlan:
    """Load what changed; `indexed` maps doc id -> content hash of what the index holds."""
    plan = IngestPlan()
    seen: dict[str, str] = {}
    for path in expand_paths(paths):
        doc_id = doc_id_for(path)
        if doc_id in seen:
            plan.errors.append((path.name, f"same document id as {seen[doc_id]}; rename one"))
            continue
        seen[doc_id] = path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            plan.errors.append((path.name, f"cannot be read ({exc.strerror or exc})"))
            continue
        if indexed.get(doc_id) == content_hash(data):
            plan.unchanged.append(doc_id)
            continue
        try:
            plan.documents.append(load_document(path, data=data))
        except DocumentError as exc:
            log.warning("skipping %s", exc)
            plan.errors.append((exc.filename, exc.reason))
    return plan


def embed_chunks(
    chunks: Sequence[Chunk],
    embedders: Sequence[Embedder],
    *,
    caches: Mapping[str, VectorCache] | None = None,
    progress: bool = False,
) -> dict[str, np.ndarray]:
    """Vectors of `chunks` for every embedder: cached ones looked up, the rest embedded in
    batches (with an optional tqdm bar over what is actually embedded)."""
    texts = [c.indexed_text for c in chunks]
    rows: dict[str, list[np.ndarray | None]] = {}
    for embedder in embedders:
        cache = (caches or {}).get(embedder.name)
        rows[embedder.name] = [cache.get(t) if cache else None for t in texts]
    missing = sum(v is None for found in rows.values() for v in found)
    bar = None
    if progress and missing:
        bar = tqdm(total=missing, desc="embedding", unit="passage")
    try:
        for embedder in embedders:
            found = rows[embedder.name]
            todo = [i for i, v in enumerate(found) if v is None]
            for start in range(0, len(todo), EMBED_BATCH):
                batch = todo[start : start + EMBED_BATCH]
                vectors = embedder.embed_passages([texts[i] for i in batch])
                for i, vector in zip(batch, vectors, strict=True):
                    found[i] = vector
                if bar is not None:
                    bar.update(len(batch))
    finally:
        if bar is not None:
            bar.close()
    log.info(
        "embedded %d passages, %d from the vector cache",
        missing,
        len(texts) * len(embedders) - missing,
    )
    done = {name: [v for v in found if v is not None] for name, found in rows.items()}
    return {
        name: (np.vstack(vectors) if vectors else np.zeros((0, 384), np.float32))
        for name, vectors in done.items()
    }


def apply_documents(
    store: ChunkStore,
    documents: Sequence[LoadedDocument],
    embedders: Sequence[Embedder],
    old_chunk_ids: dict[str, list[str]],
    *,
    chunk_size: int = CHUNK_SIZE,
    caches: Mapping[str, VectorCache] | None = None,
    progress: bool = False,
) -> int:
    """Embed and write `documents`, then drop their previous chunks. Returns the passages
    (units) written, section summaries not counted."""
    chunks = [c for document in documents for c in chunk_document(document, chunk_size=chunk_size)]
    vectors = embed_chunks(chunks, embedders, caches=caches, progress=progress)
    try:
        store.add(chunks, vectors)
    except Exception:
        log.exception("writing new chunks failed; removing the partial write")
        store.delete([c.chunk_id for c in chunks])
        raise
    new_ids = {c.chunk_id for c in chunks}
    stale = [
        chunk_id
        for document in documents
        for chunk_id in old_chunk_ids.get(document.doc_id, [])
        if chunk_id not in new_ids
    ]
    store.delete(stale)
    return sum(not c.is_section for c in chunks)
