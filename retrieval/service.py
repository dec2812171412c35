"""The retrieval public API: ask, search, ingest, list and remove documents.

`build_qa_service` is the only constructor others need. The service is thread-safe (the bot
calls it from worker threads) and lazy: nothing heavy happens until the first question or
ingest, and each model loads on its first use.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.answer import (
    MISSING_ANSWER_TYPE,
    MISSING_SPECIFICS,
    AbstentionPolicy,
    closest_topics,
    extractive_answer,
    missing_answer_type,
    missing_specifics,
    names_count,
)
from retrieval.chunking import CHUNK_SIZE, Chunk
from retrieval.conversation import is_elliptical
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

#: The shipped configuration, chosen on the eval set's tuning part by bench/retrieval.py.
DEFAULT_EMBEDDERS = ("e5",)
DEFAULT_ABSTENTION = AbstentionPolicy({"e5": 0.849, "e5@xl": 0.804})

#: The bundled documents' language (names count as specific subjects only in it).
CORPUS_LANGUAGE = "en"

#: Suffix of evidence keys for questions in another language than the corpus.
CROSS_LINGUAL = "@xl"

#: Sections whose text is checked for the question's specific subjects.
SPECIFICS_DEPTH = 3

#: A message of at most this many words may be a fragment to read with the previous question.
FRAGMENT_WORDS = 4
#: Passages shown, marked as not an answer, with "not covered".
NEAREST_SHOWN = 3

_CITATION = re.compile(r"\[(\d+)\]")

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
    #: True when the text is this project's digest of the document, not the original.
    digest: bool = False


@dataclass(frozen=True)
class Answer:
    """An answer with its sources; `answer` cites them as [n], n 1-based into `sources`, and
    every source is cited. A "not covered" answer has no sources but its `nearest` passages
    (shown as such, never as an answer) and their `closest_topics`."""

    question: str
    answer: str
    answered: bool
    language: str
    sources: list[Source]
    closest_topics: list[str]
    nearest: list[Source] = dataclasses.field(default_factory=list)
    #: The question as searched: with the previous one when it was read as a follow-up.
    searched: str = ""

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

        `previous` is the same user's previous question: a message that cannot stand alone
        ("and for schools?") is searched together with it (see `retrieve`).
        """
        question = " ".join(question.split())
        language = detect_language(question)
        if not any(ch.isalnum() for ch in question):
            return self._not_covered(question, language, Retrieval([], {}), question)
        retrieval, searched = self.retrieve_turn(question, k=k, previous=previous)
        if not retrieval.hits or self._abstention.is_weak(retrieval.evidence):
            return self._not_covered(question, language, retrieval, searched)
        text = None
        if self._writer is not None:
            sections = [dataclasses.replace(h.chunk, text=h.text) for h in retrieval.hits]
            context = previous if searched != question else None
            text = self._writer.write(question, language, sections, context)
            if text == NOT_COVERED:
                return self._not_covered(question, language, retrieval, searched)
        if text is None:
            text = extractive_answer(searched, retrieval.hits)
        text, sources = _cited(text, [self._source(hit) for hit in retrieval.hits])
        return Answer(question, text, True, language, sources, [], searched=searched)

    def retrieve(
        self, question: str, *, k: int = 5, previous: str | None = None, language: str = ""
    ) -> Retrieval:
        """The ranked sections for a question and the evidence the abstention decision weighs
        (what `ask` uses; the eval gate measures exactly this)."""
        return self.retrieve_turn(question, k=k, previous=previous, language=language)[0]

    def retrieve_turn(
        self, question: str, *, k: int = 5, previous: str | None = None, language: str = ""
    ) -> tuple[Retrieval, str]:
        """`retrieve`, and the query actually searched.

        A message is read with the previous question only when it cannot stand alone: it
        opens like a continuation ("and for schools?", "et à Lyon ?") or, being a fragment of
        a few words, finds nothing convincing alone while the two together do. A question that
        stands alone is never merged, whatever its length.
        """
        language = language or detect_language(question)
        alone = self._retrieve(question, k, language)
        if not previous or not previous.strip():
            return alone, question
        joint_text = f"{' '.join(previous.split())} {question}"
        if is_elliptical(question):
            return self._retrieve(joint_text, k, language, subject=question), joint_text
        if len(question.split()) <= FRAGMENT_WORDS and self._abstention.is_weak(alone.evidence):
            joint = self._retrieve(joint_text, k, language, subject=question)
            if not self._abstention.is_weak(joint.evidence):
                return joint, joint_text
        return alone, question

    def _retrieve(self, query: str, k: int, language: str, subject: str = "") -> Retrieval:
        """Search `query`; `subject` is the message itself when `query` adds the previous
        question to it (its words are emphasised, and it alone is checked for specifics)."""
        retrieval = self.retriever.search(
            query, max(k, 1), methods=self.methods_for(language), emphasis=subject
        )
        evidence = abstention_evidence(retrieval, subject or query, language)
        return Retrieval(retrieval.hits, evidence)

    @property
    def abstention(self) -> AbstentionPolicy:
        """The policy deciding when the evidence is too weak to answer."""
        return self._abstention

    def methods_for(self, language: str) -> list[str]:
        """The rankings fused for a question in `language` (see `retrieval_methods`)."""
        return retrieval_methods(language, self._embedder_names)

    def _not_covered(
        self, question: str, language: str, retrieval: Retrieval, searched: str
    ) -> Answer:
        return Answer(
            question=question,
            answer=NOT_COVERED_TEXT,
            answered=False,
            language=language,
            sources=[],
            closest_topics=closest_topics(retrieval.hits),
            nearest=[self._source(hit) for hit in retrieval.hits[:NEAREST_SHOWN]],
            searched=searched,
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
            text=hit.text,
            score=hit.score,
            digest=chunk.digest,
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


def abstention_evidence(retrieval: Retrieval, question: str, language: str) -> dict[str, float]:
    """The retrieval's evidence, qualified by the question's language, plus how many of the
    question's specific subjects the best sections never mention.

    Questions in another language than the corpus share few words with it and their
    similarities run lower, so their scores are keyed `<method>@xl` and get their own bars.
    """
    suffix = "" if language == CORPUS_LANGUAGE else CROSS_LINGUAL
    evidence: dict[str, float] = {f"{m}{suffix}": v for m, v in retrieval.evidence.items()}
    missing = missing_specifics(
        question, retrieval.hits[:SPECIFICS_DEPTH], names=names_count(language)
    )
    evidence[MISSING_SPECIFICS] = len(missing)
    evidence[MISSING_ANSWER_TYPE] = int(
        missing_answer_type(question, retrieval.hits[:SPECIFICS_DEPTH])
    )
    return evidence


def _cited(text: str, sources: list[Source]) -> tuple[str, list[Source]]:
    """The answer renumbered so that only cited sources are listed, each once, in the order
    they are first cited."""
    order: list[int] = []
    for match in _CITATION.finditer(text):
        number = int(match.group(1))
        if 1 <= number <= len(sources) and number not in order:
            order.append(number)
    renumber = {old: new for new, old in enumerate(order, 1)}

    def replace(match: re.Match[str]) -> str:
        new = renumber.get(int(match.group(1)))
        return f"[{new}]" if new else ""

    return _CITATION.sub(replace, text), [sources[n - 1] for n in order]


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
