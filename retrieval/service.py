"""The retrieval public API: ask, search, ingest, list and remove documents.

`build_qa_service` is the only constructor others need. The service is thread-safe (the bot
calls it from worker threads) and lazy: nothing heavy happens until the first question or
ingest, and each model loads on its first use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.answer import UNKNOWN_TERMS, AbstentionPolicy, closest_topics, extractive_answer
from retrieval.chunking import CHUNK_SIZE, Chunk
from retrieval.errors import DocumentError
from retrieval.hybrid import Hit, HybridRetriever, Retrieval
from retrieval.ingest import apply_documents, plan_ingest
from retrieval.language import detect_language
from retrieval.llm import NOT_COVERED, LLMWriter
from retrieval.loaders import LoadedDocument, doc_id_for, load_document
from retrieval.stores import COLLECTION_PREFIX, ChunkStore, open_chroma_client
from retrieval.vector_cache import SHIPPED_DIR, VectorCache

log = logging.getLogger(__name__)

#: The documents shipped with the product (see corpus/README.md).
BUNDLED_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"

#: The shipped configuration, chosen by bench/retrieval.py (see bench/README.md).
DEFAULT_EMBEDDERS = ("e5",)
DEFAULT_ABSTENTION = AbstentionPolicy({"e5": 0.85, "e5@xl": 0.81})

#: The bundled documents' language (what the unknown-term check compares against).
CORPUS_LANGUAGE = "en"

#: Suffix of evidence keys for questions in another language than the corpus.
CROSS_LINGUAL = "@xl"

#: A question this short that follows another is read as a follow-up ("and in schools?").
FOLLOW_UP_MAX_WORDS = 8

NOT_COVERED_TEXT = "The ICC documents I have do not cover this question."


@dataclass(frozen=True)
class Source:
    """One cited passage."""

    doc_id: str
    title: str
    short_title: str
    section: str
    page: int | None
    url: str
    text: str
    score: float


@dataclass(frozen=True)
class Answer:
    """An answer with its sources; `answer` cites them as [n], n 1-based into `sources`."""

    question: str
    answer: str
    answered: bool
    language: str
    sources: list[Source]
    closest_topics: list[str]

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON shape (a contract other checks rely on)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "language": self.language,
            "sources": [
                {
                    "title": s.title,
                    "section": s.section,
                    "page": s.page,
                    "url": s.url,
                    "text": s.text,
                    "score": round(s.score, 6),
                }
                for s in self.sources
            ],
        }


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


class QAService:
    """Question answering over the indexed documents. Safe to share between threads."""

    def __init__(
        self,
        *,
        index_dir: Path,
        chroma_url: str | None = None,
        embedders: Sequence[str] = DEFAULT_EMBEDDERS,
        abstention: AbstentionPolicy = DEFAULT_ABSTENTION,
        writer: LLMWriter | None = None,
        bundled_dir: Path = BUNDLED_CORPUS,
        chunk_size: int = CHUNK_SIZE,
        collection_prefix: str = COLLECTION_PREFIX,
        vectors_dir: Path | None = SHIPPED_DIR,
    ) -> None:
        self._index_dir = index_dir
        self._chroma_url = chroma_url
        self._embedder_names = tuple(embedders)
        self._abstention = abstention
        self._writer = writer
        self._bundled_dir = bundled_dir
        self._chunk_size = chunk_size
        self._collection_prefix = collection_prefix
        self._vectors_dir = vectors_dir
        self._caches: dict[str, VectorCache] | None = None
        self._retriever: HybridRetriever | None = None
        self._store: ChunkStore | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.RLock()

    # -- setup ---------------------------------------------------------------------------
    def _ready(self) -> tuple[ChunkStore, HybridRetriever]:
        """Open the store and load the chunk snapshot once (models still load lazily)."""
        with self._open_lock:
            if self._store is None or self._retriever is None:
                from retrieval.embedders import make_embedders

                client = open_chroma_client(self._index_dir, self._chroma_url)
                store = ChunkStore(client, self._embedder_names, prefix=self._collection_prefix)
                retriever = HybridRetriever(store, make_embedders(self._embedder_names))
                retriever.refresh()
                self._store, self._retriever = store, retriever
            return self._store, self._retriever

    @property
    def retriever(self) -> HybridRetriever:
        """The underlying retriever (the benchmarks compare its methods)."""
        return self._ready()[1]

    # -- questions -----------------------------------------------------------------------
    def search(self, query: str, *, k: int = 5) -> list[Source]:
        """The `k` best passages for `query`, best first."""
        methods = self.methods_for(detect_language(query))
        return [self._source(hit) for hit in self.retriever.search(query, k, methods=methods).hits]

    def ask(self, question: str, *, k: int = 5, previous: str | None = None) -> Answer:
        """Answer `question` from the documents, or say they do not cover it.

        `previous` is the same user's previous question: a short follow-up ("and for
        schools?") is searched together with it, but answered as asked.
        """
        question = " ".join(question.split())
        language = detect_language(question)
        if not any(ch.isalnum() for ch in question):
            return self._not_covered(question, language, Retrieval([], {}))
        retrieval = self.retrieve(question, k=k, previous=previous, language=language)
        sources = [self._source(hit) for hit in retrieval.hits]
        if not retrieval.hits or self._abstention.is_weak(retrieval.evidence):
            return self._not_covered(question, language, retrieval)
        text = None
        if self._writer is not None:
            chunks = [h.chunk for h in retrieval.hits]
            text = self._writer.write(question, language, chunks, previous)
            if text == NOT_COVERED:
                return self._not_covered(question, language, retrieval)
        if text is None:
            text = extractive_answer(question, retrieval.hits)
        return Answer(question, text, True, language, sources, [])

    def retrieve(
        self, question: str, *, k: int = 5, previous: str | None = None, language: str = ""
    ) -> Retrieval:
        """The ranked passages for a question and the evidence the abstention decision weighs
        (what `ask` uses; the eval gate measures exactly this)."""
        language = language or detect_language(question)
        query = question
        if previous and len(question.split()) <= FOLLOW_UP_MAX_WORDS:
            query = f"{' '.join(previous.split())} {question}"
        retrieval = self.retriever.search(query, max(k, 1), methods=self.methods_for(language))
        evidence = abstention_evidence(self.retriever, retrieval, question, language)
        return Retrieval(retrieval.hits, evidence)

    @property
    def abstention(self) -> AbstentionPolicy:
        """The policy deciding when the evidence is too weak to answer."""
        return self._abstention

    def methods_for(self, language: str) -> list[str]:
        """The rankings fused for a question in `language` (see `retrieval_methods`)."""
        return retrieval_methods(language, self._embedder_names)

    def _not_covered(self, question: str, language: str, retrieval: Retrieval) -> Answer:
        topics = closest_topics(retrieval.hits)
        return Answer(
            question=question,
            answer=NOT_COVERED_TEXT,
            answered=False,
            language=language,
            sources=[],
            closest_topics=topics,
        )

    @staticmethod
    def _source(hit: Hit) -> Source:
        chunk = hit.chunk
        return Source(
            doc_id=chunk.doc_id,
            title=chunk.title,
            short_title=chunk.short_title,
            section=chunk.section,
            page=chunk.page,
            url=chunk.source_url,
            text=chunk.text,
            score=hit.score,
        )

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
            return self._apply(plan.documents, plan.unchanged, plan.errors, indexed, progress)

    def ingest_file(self, path: Path, *, max_bytes: int, max_pages: int) -> IngestReport:
        """Index one uploaded file, enforcing size limits. Raises DocumentError if unusable."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DocumentError(path.name, "the file cannot be read") from exc
        if size > max_bytes:
            raise DocumentError(
                path.name, f"the file is larger than the {max_bytes // 1_000_000 or 1} MB limit"
            )
        document = load_document(path)
        if document.pages is not None and document.pages > max_pages:
            raise DocumentError(path.name, f"the document has more than {max_pages} pages")
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
        report = IngestReport(
            added=[d.doc_id for d in documents if d.doc_id not in indexed],
            updated=[d.doc_id for d in documents if d.doc_id in indexed],
            unchanged=unchanged,
            chunks_added=written,
            pages=sum(d.pages or 0 for d in documents),
            errors=errors,
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
        caches = self._vector_caches(retriever)
        if not old:
            return caches
        merged = {}
        for embedder in retriever.embedders:
            stored = store.vectors(embedder.name, [c.chunk_id for c in old])
            kept = [c for c in old if c.chunk_id in stored]
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
        """Remove a document's chunks from the index; returns how many were removed."""
        with self._write_lock:
            store, retriever = self._ready()
            ids = [c.chunk_id for c in retriever.chunks() if c.doc_id == doc_id]
            store.delete(ids)
            retriever.refresh()
            return len(ids)

    def ensure_index(self) -> None:
        """Ingest the bundled corpus when the index is empty (first start, fresh clone)."""
        with self._write_lock:
            if not self.retriever.chunks():
                self.ingest(include_bundled=True, progress=False)


def retrieval_methods(language: str, embedders: Sequence[str]) -> list[str]:
    """BM25 joins the dense models only for questions in the corpus's language: measured, it
    cost French recall, sharing too few words with the English passages to help."""
    return (["bm25"] if language == CORPUS_LANGUAGE else []) + list(embedders)


def abstention_evidence(
    retriever: HybridRetriever, retrieval: Retrieval, question: str, language: str
) -> dict[str, float]:
    """The retrieval's evidence, qualified by the question's language.

    For questions in the corpus language it adds the count of terms the corpus never uses. For
    other languages that count means nothing (they share few words with the corpus) and the
    similarities run lower, so their scores are keyed `<method>@xl` and get their own bars.
    """
    if language != CORPUS_LANGUAGE:
        return {f"{method}{CROSS_LINGUAL}": v for method, v in retrieval.evidence.items()}
    evidence = dict(retrieval.evidence)
    evidence[UNKNOWN_TERMS] = len(retriever.unknown_terms(question))
    return evidence


def build_qa_service(*, index_dir: Path, chroma_url: str | None, llm: str | None) -> QAService:
    """The service for these settings: shipped retrieval configuration, optional chat model."""
    writer = LLMWriter(llm) if llm else None
    return QAService(index_dir=index_dir, chroma_url=chroma_url, writer=writer)


__all__ = [
    "Answer",
    "DocumentError",
    "DocumentInfo",
    "IngestReport",
    "QAService",
    "Source",
    "build_qa_service",
    "doc_id_for",
]
