"""The search index one process opens: the chunk store and its in-memory snapshot.

`QAService` (questions) and `DocumentLibrary` (ingest, removal, listing) share one
`SearchIndex`, so a process loads each embedding model once and an upload is seen by the next
question. Opening is lazy: nothing heavy happens until the first question or ingest.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from retrieval.embedders import make_embedders
from retrieval.hybrid import HybridRetriever
from retrieval.stores import COLLECTION_PREFIX, ChunkStore, open_store

#: The embedding models the shipped configuration searches with (bench/retrieval.py).
DEFAULT_EMBEDDERS = ("e5",)


class SearchIndex:
    """The store and the retriever over it, opened once and shared between threads."""

    def __init__(
        self,
        *,
        index_dir: Path,
        chroma_url: str | None = None,
        embedders: Sequence[str] = DEFAULT_EMBEDDERS,
        collection_prefix: str = COLLECTION_PREFIX,
    ) -> None:
        self._index_dir = index_dir
        self._chroma_url = chroma_url
        self.embedder_names = tuple(embedders)
        self._collection_prefix = collection_prefix
        self._opened: tuple[ChunkStore, HybridRetriever] | None = None
        self._lock = threading.Lock()
        #: Held by every writer: one ingest or removal at a time in this process.
        self.write_lock = threading.RLock()

    def opened(self) -> tuple[ChunkStore, HybridRetriever]:
        """The store and the retriever, opened and loaded on first use."""
        with self._lock:
            if self._opened is None:
                store = open_store(
                    self._index_dir,
                    self._chroma_url,
                    self.embedder_names,
                    prefix=self._collection_prefix,
                )
                retriever = HybridRetriever(store, make_embedders(self.embedder_names))
                retriever.refresh()
                self._opened = (store, retriever)
            return self._opened

    @property
    def store(self) -> ChunkStore:
        """Where the chunks and their vectors live."""
        return self.opened()[0]

    @property
    def retriever(self) -> HybridRetriever:
        """The snapshot searched by questions (refreshed when the index version moves)."""
        return self.opened()[1]
