"""The vector store: what retrieval needs of it (`ChunkStore`) and Chroma behind it.

One collection per embedding model (vectors of different models must never meet). Chroma's
default embedding function is never used: every write passes `embeddings=`. Two stores share
one implementation: `EmbeddedChromaStore` (a `PersistentClient` under the index directory, the
default) and `ServerChromaStore` (a Chroma server through `HttpClient`, `chroma_url` set).
The store is the source of truth for which documents are indexed and at which content hash,
so a second process, or a second replica sharing a Chroma server, sees the same index.

Every write bumps the store's **version**, which readers compare with the version of their
snapshot instead of asking Chroma on every question whether anything changed: the embedded
store keeps it in a small file beside the index (reading it is no Chroma call), the server
store in a one-record collection on the server, read at most every `VERSION_TTL` seconds.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from retrieval.chunking import Chunk

log = logging.getLogger(__name__)

#: Collection names are `<prefix>-<embedder name>`.
COLLECTION_PREFIX = "icc-chunks"
#: How long a server store trusts the version it last read (replicas see a change within it).
VERSION_TTL = 5.0
_PAGE = 500


class ChunkStore(Protocol):
    """What retrieval needs of a store of chunks with one vector per embedder."""

    def count(self) -> int:
        """Number of chunks."""
        ...

    def add(self, chunks: Sequence[Chunk], vectors: dict[str, np.ndarray]) -> None:
        """Write (upsert) chunks with their vectors, and bump the version."""
        ...

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunks by id, and bump the version."""
        ...

    def chunks(self, *, doc_id: str | None = None) -> Iterator[Chunk]:
        """Every stored chunk (or one document's)."""
        ...

    def vectors(self, embedder: str, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by chunk id."""
        ...

    def version(self) -> str:
        """A token that changes whenever any process writes to the store."""
        ...

    def copy_to(self, target: ChunkStore) -> int:
        """Copy every chunk with its vectors into `target`; returns the chunk count."""
        ...


def open_store(
    index_dir: Path,
    chroma_url: str | None,
    embedder_names: Sequence[str],
    *,
    prefix: str = COLLECTION_PREFIX,
) -> ChunkStore:
    """The server store for `chroma_url` when given, else the embedded store in `index_dir`."""
    client = open_chroma_client(index_dir, chroma_url)
    if chroma_url:
        return ServerChromaStore(client, embedder_names, prefix=prefix)
    return EmbeddedChromaStore(client, embedder_names, prefix=prefix, folder=index_dir)


def open_chroma_client(index_dir: Path, chroma_url: str | None) -> Any:
    """An HttpClient for `chroma_url` when given, else a PersistentClient in `index_dir`/chroma."""
    # lazy: chromadb takes about a second to import; only a store needs it
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


class _ChromaStore:
    """Chunks with one vector per embedder, kept in step across the embedders' collections
    (the version's keeping is the subclasses')."""

    def __init__(
        self, client: Any, embedder_names: Sequence[str], *, prefix: str = COLLECTION_PREFIX
    ) -> None:
        if not embedder_names:
            raise ValueError("the store needs at least one embedder")
        self._client = client
        self._prefix = prefix
        self._names = list(embedder_names)
        self._collections = self._open_collections()

    def _open_collections(self) -> dict[str, Any]:
        return {
            name: self._client.get_or_create_collection(
                f"{self._prefix}-{name}",
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
        self._bump()

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunks by id from every collection."""
        if not chunk_ids:
            return
        for start in range(0, len(chunk_ids), _PAGE):
            batch = list(chunk_ids[start : start + _PAGE])
            for collection in self._collections.values():
                collection.delete(ids=batch)
        self._bump()

    def _bump(self) -> None:
        raise NotImplementedError

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


def reopen_embedded_client(client: Any, folder: Path) -> Any:
    """A fresh embedded client for `folder`, reading what other processes wrote.

    chromadb shares one in-memory "system" per directory between its clients, and only
    reopening that system reloads the vector segments. This reaches into chromadb's
    `SharedSystemClient` registry (private: tests/retrieval/test_index_version.py fails loudly
    if an upgrade moves it); clients of other directories are untouched, and every client of
    this directory resolves to the new system.
    """
    # lazy: chromadb takes about a second to import; only a store needs it
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = client._identifier
    SharedSystemClient._identifier_to_system.pop(identifier, None)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    return open_chroma_client(folder, None)


class EmbeddedChromaStore(_ChromaStore):
    """The store in a local directory; its version is a file beside the Chroma files, so
    checking it costs a file read, never a Chroma call.

    Another process may write to the same directory (`icc-assistant ingest` while the bot
    runs). Chroma's embedded client keeps its vector segments in memory and would not find
    the new ids, so when the version moved and this store did not move it, the store reopens
    its client before reading (see `reopen_embedded_client`).
    """

    def __init__(
        self,
        client: Any,
        embedder_names: Sequence[str],
        *,
        prefix: str = COLLECTION_PREFIX,
        folder: Path,
    ) -> None:
        super().__init__(client, embedder_names, prefix=prefix)
        self._folder = folder
        self._version_file = folder / f"{prefix}.version"
        self._seen = self.version()

    def _synced(self) -> None:
        """Reopen the client first if another process wrote since this store last looked."""
        current = self.version()
        if current != self._seen:
            self._client = reopen_embedded_client(self._client, self._folder)
            self._collections = self._open_collections()
            self._seen = current

    def count(self) -> int:
        """Number of chunks, as stored now (by any process)."""
        self._synced()
        return super().count()

    def chunks(self, *, doc_id: str | None = None) -> Iterator[Chunk]:
        """Every stored chunk (or one document's), as stored now (by any process)."""
        self._synced()
        return super().chunks(doc_id=doc_id)

    def vectors(self, embedder: str, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by chunk id, as stored now (by any process)."""
        self._synced()
        return super().vectors(embedder, chunk_ids)

    def version(self) -> str:
        """The token the last writer left (empty before the first write)."""
        try:
            return self._version_file.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def _bump(self) -> None:
        temporary = self._version_file.with_suffix(f".{uuid.uuid4().hex}.tmp")
        token = uuid.uuid4().hex
        temporary.write_text(token, encoding="utf-8")
        os.replace(temporary, self._version_file)  # atomic: a reader sees old or new
        self._seen = token


class ServerChromaStore(_ChromaStore):
    """The store on a Chroma server shared by replicas; its version is a one-record
    collection there, read at most every `VERSION_TTL` seconds."""

    _RECORD = "index-version"

    def __init__(
        self, client: Any, embedder_names: Sequence[str], *, prefix: str = COLLECTION_PREFIX
    ) -> None:
        super().__init__(client, embedder_names, prefix=prefix)
        self._meta = client.get_or_create_collection(f"{prefix}-meta", embedding_function=None)
        self._read: tuple[float, str] | None = None

    def version(self) -> str:
        """The token the last writer left, as read at most `VERSION_TTL` seconds ago."""
        now = time.monotonic()
        if self._read is None or now - self._read[0] > VERSION_TTL:
            found = self._meta.get(ids=[self._RECORD], include=["documents"])
            token = found["documents"][0] if found["ids"] else ""
            self._read = (now, str(token or ""))
        return self._read[1]

    def _bump(self) -> None:
        token = uuid.uuid4().hex
        self._meta.upsert(ids=[self._RECORD], documents=[token], embeddings=[[0.0]])
        self._read = (time.monotonic(), token)
