"""The retrieval public API: build the question side and the document side over one index.

`QAService` (retrieval.qa) answers and searches; `DocumentLibrary` (retrieval.library)
ingests, removes and lists documents. `build_retrieval` builds both over one shared
`SearchIndex`; `build_qa_service` is the shortcut for callers that only ask. Everything is lazy
and thread-safe: the bot calls it from worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import DocumentError
from retrieval.index import DEFAULT_EMBEDDERS, SearchIndex
from retrieval.library import BUNDLED_CORPUS, DocumentInfo, DocumentLibrary, IngestReport
from retrieval.llm import LLMWriter
from retrieval.loaders import doc_id_for
from retrieval.qa import (
    CORPUS_LANGUAGE,
    CROSS_LINGUAL,
    DEFAULT_ABSTENTION,
    NOT_COVERED_TEXT,
    Answer,
    QAService,
    Source,
)


@dataclass(frozen=True)
class IndexServices:
    """The two sides of retrieval over one index."""

    qa: QAService
    library: DocumentLibrary


def build_retrieval(*, index_dir: Path, chroma_url: str | None, llm: str | None) -> IndexServices:
    """Questions and documents over one shared index, with the shipped configuration."""
    index = SearchIndex(index_dir=index_dir, chroma_url=chroma_url)
    writer = LLMWriter(llm) if llm else None
    return IndexServices(QAService(index, writer=writer), DocumentLibrary(index))


def build_qa_service(*, index_dir: Path, chroma_url: str | None, llm: str | None) -> QAService:
    """The question side alone (benchmarks, tests, the terminal)."""
    return build_retrieval(index_dir=index_dir, chroma_url=chroma_url, llm=llm).qa


__all__ = [
    "BUNDLED_CORPUS",
    "CORPUS_LANGUAGE",
    "CROSS_LINGUAL",
    "DEFAULT_ABSTENTION",
    "DEFAULT_EMBEDDERS",
    "NOT_COVERED_TEXT",
    "Answer",
    "DocumentError",
    "DocumentInfo",
    "DocumentLibrary",
    "IndexServices",
    "IngestReport",
    "QAService",
    "SearchIndex",
    "Source",
    "build_qa_service",
    "build_retrieval",
    "doc_id_for",
]
