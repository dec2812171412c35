"""The vector store: Chroma collections holding our chunks and our own embeddings.

One collection per embedding model (vectors of different models must never meet). Chroma's
default embedding function is never used: every write passes `embeddings=` and every query
`query_embeddings=`. The same class works with an embedded `PersistentClient` (the default,
under the index directory) and with a Chroma server through `HttpClient` (`chroma_url` set).
The store is also the source of truth for which documents are indexed and at which content
hash, so a second process, or a second replica sharing a Chroma server, sees the same index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from retrieval.chunking import Chunk

log = logging.getLogger(__name__)

#: Collection names are `<prefix>-<embedder name>`.
COLLECTION_PREFIX = "icc-chunks"
_PAGE = 500


def open_chroma_client(index_dir: Path, chroma_url: str | None) -> Any:
    """An HttpClient for `chroma_url` when given, else a PersistentClient in `index_dir`/chroma."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        ssl = url.scheme == "https"
        port = url.port or (443 if ssl else 8000)
        log.info("using the Chroma server at %s:%s", url.hostname, port)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1", port=port, ssl=ssl, settings=settings
        )
    path = index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class ChunkStore:
    """Chunks with one vector per embedder, kept in step across the embedders' collections."""

    def __init__(
        self, client: Any, embedder_names: Sequence[str], *, prefix: str = COLLECTION_PREFIX
    ) -> None:
        if not embedder_names:
            raise ValueError("the store needs at least one embedder")
        self._names = list(embedder_names)
        self._collections = {
            name: client.get_or_create_collection(
                f"{prefix}-{name}",
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "embedder": name},
            )
            for name in self._names
        }

    @property
    def _primary(self) -> Any:
        return self._collections[self._names[0]]

    def count(self) -> int:
        """Number of chunks (every collection holds the same ids)."""
        return int(self._primary.count())

    def add(self, chunks: Sequence[Chunk], vectors: dict[str, np.ndarray]) -> None:
        """Write chunks with their vectors into every collection (upsert: a retry is harmless)."""
        if not chunks:
            return
        ids = [c.chunk_id for c in chunks]
        documents = [c.text for c in chunks]
        metadatas = [c.metadata() for c in chunks]
        for name, collection in self._collections.items():
            matrix = vectors[name]
            for start in range(0, len(ids), _PAGE):
                end = start + _PAGE
                collection.upsert(
                    ids=ids[start:end],
                    embeddings=matrix[start:end].tolist(),
                    documents=documents[start:end],
                    metadatas=metadatas[start:end],
                )

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunks by id from every collection."""
        for start in range(0, len(chunk_ids), _PAGE):
            batch = list(chunk_ids[start : start + _PAGE])
            for collection in self._collections.values():
                collection.delete(ids=batch)

    def query(self, embedder: str, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """About the `k` nearest chunk ids to `vector` in that embedder's space, with cosine
        sims: Chroma's HNSW index is approximate, so rank exactly elsewhere (hybrid.DenseMatrix)."""
        collection = self._collections[embedder]
        n = min(k, collection.count())
        if n == 0:
            return []
        result = collection.query(
            query_embeddings=[vector.tolist()], n_results=n, include=["distances"]
        )
        return [
            (chunk_id, 1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def chunks(self, *, doc_id: str | None = None) -> Iterator[Chunk]:
        """Every stored chunk (or one document's), read in pages so a big index stays cheap."""
        where = {"doc_id": doc_id} if doc_id else None
        offset = 0
        while True:
            page = self._primary.get(
                where=where, limit=_PAGE, offset=offset, include=["documents", "metadatas"]
            )
            for chunk_id, text, meta in zip(
                page["ids"], page["documents"], page["metadatas"], strict=True
            ):
                yield Chunk.from_stored(chunk_id, text, dict(meta))
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE

    def vectors(self, embedder: str, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by chunk id (lets a re-ingest reuse embeddings of unchanged text)."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(chunk_ids), _PAGE):
            page = self._collections[embedder].get(
                ids=list(chunk_ids[start : start + _PAGE]), include=["embeddings"]
            )
            for chunk_id, vector in zip(page["ids"], page["embeddings"], strict=True):
                found[chunk_id] = np.asarray(vector, dtype=np.float32)
        return found

    def copy_to(self, target: ChunkStore) -> int:
        """Copy every chunk with its stored vectors into ``target``; returns the chunk count.

        Moving an index to a Chroma server this way costs seconds, where ingesting through the
        server would embed every passage again, and both stores then serve identical vectors.
        """
        chunks = list(self.chunks())
        ids = [c.chunk_id for c in chunks]
        vectors = {}
        for name in self._names:
            stored = self.vectors(name, ids)
            vectors[name] = np.stack([stored[i] for i in ids]) if ids else np.empty((0, 0))
        target.add(chunks, vectors)
        return len(chunks)
