"""The write side of retrieval: ingest, replace, remove and list the indexed documents.

`DocumentLibrary` owns everything that changes the index: loading and chunking files,
embedding only what the shipped vectors (or the index itself) do not already hold, writing
into the store and refreshing this process's snapshot. Other processes notice through the
store's version (see retrieval.stores).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.chunking import CHUNK_SIZE, Chunk, chunk_document
from retrieval.embedders import make_embedders
from retrieval.errors import DocumentError, Reason
from retrieval.hybrid import HybridRetriever
from retrieval.index import DEFAULT_EMBEDDERS, SearchIndex
from retrieval.ingest import apply_documents, embed_chunks, expand_paths, plan_ingest
from retrieval.loaders import LoadedDocument, doc_id_for, load_document
from retrieval.stores import ChunkStore
from retrieval.vector_cache import SHIPPED_DIR, VectorCache, save_vector_cache

log = logging.getLogger(__name__)

#: The documents shipped with the product (see corpus/README.md).
BUNDLED_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"


@dataclass(frozen=True)
class DocumentInfo:
    """An indexed document."""

    doc_id: str
    title: str
    short_title: str
    source_url: str
    chunks: int
    pages: int | None


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did; `errors` pairs a file name with the reason it was skipped."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    chunks_added: int
    pages: int
    errors: list[tuple[str, str]]
    #: Short titles of the digests whose original this ingest added: their passages now give
    #: way to the original's (see `retrieval.originals`).
    originals_of: list[str] = field(default_factory=list)


class DocumentLibrary:
    """Ingest, removal and listing over the shared index. Safe to share between threads."""

    def __init__(
        self,
        index: SearchIndex,
        *,
        bundled_dir: Path = BUNDLED_CORPUS,
        chunk_size: int = CHUNK_SIZE,
        vectors_dir: Path | None = SHIPPED_DIR,
    ) -> None:
        self._index = index
        self._bundled_dir = bundled_dir
        self._chunk_size = chunk_size
        self._vectors_dir = vectors_dir
        self._caches: dict[str, VectorCache] | None = None
        self._write_lock = index.write_lock

    def _ready(self) -> tuple[ChunkStore, HybridRetriever]:
        return self._index.opened()

    @property
    def retriever(self) -> HybridRetriever:
        """The snapshot this library writes through (and refreshes)."""
        return self._index.retriever

    @property
    def index(self) -> SearchIndex:
        """The index this library writes to (a `QAService` over it sees every change)."""
        return self._index

    # -- the index -----------------------------------------------------------------------
    def ingest(
        self, paths: Sequence[Path] = (), *, include_bundled: bool = True, progress: bool = False
    ) -> IngestReport:
        """Index the bundled corpus (optionally) and `paths`; skips unchanged documents.

        Unreadable files are reported in `errors` and skipped; the rest still goes in.
        """
        targets = ([self._bundled_dir] if include_bundled else []) + [Path(p) for p in paths]
        with self._write_lock:
            retriever = self.retriever
            indexed = self._indexed_hashes(retriever)
            plan = plan_ingest(targets, indexed)
            report = self._apply(plan.documents, plan.unchanged, plan.errors, indexed, progress)
            self._complete_vectors(progress)
            return report

    def _complete_vectors(self, progress: bool) -> None:
        """Give every chunk a vector of every model: an index made before a model joined
        the shipped set (the latent terms) gains it here, from the shipped vectors or by
        embedding, while the vectors it has are kept."""
        store, retriever = self._ready()
        lacking = retriever.lacking_vectors()
        if not lacking:
            return
        log.info("index: %d passages lack a model's vector; adding them", len(lacking))
        caches = self._caches_with(lacking, store, retriever)
        vectors = embed_chunks(lacking, retriever.embedders, caches=caches, progress=progress)
        store.add(lacking, vectors)
        retriever.refresh()

    def ingest_file(self, path: Path, *, max_bytes: int, max_pages: int) -> IngestReport:
        """Index one uploaded file, enforcing size limits. Raises DocumentError if unusable."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DocumentError(path.name, Reason.UNREADABLE) from exc
        if size > max_bytes:
            raise DocumentError(path.name, Reason.TOO_BIG, limit=max_bytes // 1_000_000 or 1)
        document = load_document(path)
        if document.pages is not None and document.pages > max_pages:
            raise DocumentError(path.name, Reason.TOO_MANY_PAGES, limit=max_pages)
        with self._write_lock:
            _, retriever = self._ready()
            indexed = self._indexed_hashes(retriever)
            if indexed.get(document.doc_id) == document.content_hash:
                return self._apply([], [document.doc_id], [], indexed, False)
            # A file named like an indexed document replaces it (a newer version of it).
            return self._apply([document], [], [], indexed, False)

    def _apply(
        self,
        documents: Sequence[LoadedDocument],
        unchanged: list[str],
        errors: list[tuple[str, str]],
        indexed: dict[str, str],
        progress: bool,
    ) -> IngestReport:
        store, retriever = self._ready()
        old_ids: dict[str, list[str]] = {}
        for chunk in retriever.chunks():
            old_ids.setdefault(chunk.doc_id, []).append(chunk.chunk_id)
        written = 0
        if documents:
            written = apply_documents(
                store,
                documents,
                retriever.embedders,
                old_ids,
                chunk_size=self._chunk_size,
                caches=self._caches_for(documents, store, retriever),
                progress=progress,
            )
            retriever.refresh()
        new = {d.doc_id for d in documents}
        titles = {c.doc_id: c.short_title for c in retriever.chunks() if c.digest}
        report = IngestReport(
            added=[d.doc_id for d in documents if d.doc_id not in indexed],
            updated=[d.doc_id for d in documents if d.doc_id in indexed],
            unchanged=unchanged,
            chunks_added=written,
            pages=sum(d.pages or 0 for d in documents),
            errors=errors,
            originals_of=sorted(
                titles.get(digest, digest)
                for digest, original in retriever.originals().items()
                if original in new
            ),
        )
        log.info(
            "ingest: %d added, %d updated, %d unchanged, %d chunks, %d errors",
            len(report.added),
            len(report.updated),
            len(report.unchanged),
            written,
            len(errors),
        )
        return report

    def _caches_for(
        self, documents: Sequence[LoadedDocument], store: ChunkStore, retriever: HybridRetriever
    ) -> dict[str, VectorCache]:
        """Shipped vectors plus the indexed vectors of the documents being replaced, so an
        edit re-embeds only the passages whose text actually changed."""
        replaced = {d.doc_id for d in documents}
        old = [c for c in retriever.chunks() if c.doc_id in replaced]
        return self._caches_with(old, store, retriever)

    def _caches_with(
        self, chunks: Sequence[Chunk], store: ChunkStore, retriever: HybridRetriever
    ) -> dict[str, VectorCache]:
        """Shipped vectors plus the stored vectors of `chunks`, per model, keyed by text."""
        caches = self._vector_caches(retriever)
        if not chunks:
            return caches
        merged = {}
        for embedder in retriever.embedders:
            stored = store.vectors(embedder.name, [c.chunk_id for c in chunks])
            kept = [c for c in chunks if c.chunk_id in stored]
            base = caches.get(embedder.name) or VectorCache(embedder.model_id, {})
            merged[embedder.name] = base.merged(
                [c.indexed_text for c in kept], [stored[c.chunk_id] for c in kept]
            )
        return merged

    def _vector_caches(self, retriever: HybridRetriever) -> dict[str, VectorCache]:
        """The shipped vectors of the bundled corpus, per embedder (loaded once, on demand);
        none when `vectors_dir` is None (the latency bench times a full embedding that way)."""
        if self._caches is None:
            folder = self._vectors_dir
            self._caches = {
                e.name: VectorCache.load(folder / f"{e.name}.npz", e.model_id)
                for e in retriever.embedders
                if folder is not None
            }
        return self._caches

    @staticmethod
    def _indexed_hashes(retriever: HybridRetriever) -> dict[str, str]:
        return {c.doc_id: c.doc_hash for c in retriever.chunks()}

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents, by short title."""
        grouped: dict[str, list[Chunk]] = {}
        for chunk in self.retriever.chunks():
            if not chunk.is_section:
                grouped.setdefault(chunk.doc_id, []).append(chunk)
        infos = []
        for doc_id, chunks in grouped.items():
            first = chunks[0]
            pages = [c.page for c in chunks if c.page]
            infos.append(
                DocumentInfo(
                    doc_id=doc_id,
                    title=first.title,
                    short_title=first.short_title,
                    source_url=first.source_url,
                    chunks=len(chunks),
                    pages=max(pages) if pages else None,
                )
            )
        return sorted(infos, key=lambda d: d.short_title.lower())

    def remove(self, doc_id: str) -> int:
        """Remove a document from the index; returns how many passages (units) it had."""
        with self._write_lock:
            store, retriever = self._ready()
            chunks = [c for c in retriever.chunks() if c.doc_id == doc_id]
            store.delete([c.chunk_id for c in chunks])
            retriever.refresh()
            return sum(not c.is_section for c in chunks)

    def ensure_index(self) -> None:
        """Ingest the bundled corpus when the index is empty (first start, fresh clone); else
        re-read the bundled documents it holds whose file, or the way documents are read
        (`READING_VERSION`), changed since: a new release takes effect at the next start. A
        bundled document the secretariat removed stays removed."""
        with self._write_lock:
            indexed = self._indexed_hashes(self.retriever)
            if not indexed:
                self.ingest(include_bundled=True, progress=False)
                return
            held = [p for p in expand_paths([self._bundled_dir]) if doc_id_for(p) in indexed]
            if held:  # unchanged files are skipped by their hash, before they are parsed
                self.ingest(held, include_bundled=False, progress=False)  # completes vectors too
            else:
                self._complete_vectors(progress=False)


def rebuild_shipped_vectors(folder: Path = SHIPPED_DIR, *, progress: bool = True) -> list[Path]:
    """Embed the bundled corpus with the shipped embedders and write the vector files that
    ship with it (run after editing a digest: a test fails until you do). Passages whose
    text the current files already hold keep their vectors: only edits are embedded."""

    chunks = [
        chunk
        for path in expand_paths([BUNDLED_CORPUS])
        for chunk in chunk_document(load_document(path))
    ]
    written = []
    for embedder in make_embedders(DEFAULT_EMBEDDERS):
        target = folder / f"{embedder.name}.npz"
        current = {embedder.name: VectorCache.load(target, embedder.model_id)}
        found = embed_chunks(chunks, [embedder], caches=current, progress=progress)
        vectors = found[embedder.name]
        save_vector_cache(target, embedder.model_id, [c.indexed_text for c in chunks], vectors)
        written.append(target)
    return written
