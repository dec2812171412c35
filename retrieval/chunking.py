"""Cut a loaded document into retrieval chunks that never straddle a heading or a page.

Sections come from the heading tree (or PDF pages); LangChain's recursive splitter then cuts long
sections at paragraph, line, then sentence boundaries. The size was chosen by measurement
(bench/retrieval.py --chunk-size): see `CHUNK_SIZE`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from retrieval.loaders import LoadedDocument

#: Characters per chunk. Measured with 800/1200/1600 on the eval set (bench/README.md): equal
#: recall, and 800 separates unanswerable questions best (a passage is about one thing).
CHUNK_SIZE = 800
#: Overlap keeps a sentence that straddles a cut findable from either side.
CHUNK_OVERLAP = 150
#: Fragments shorter than this (a lone sub-heading line) are folded into the next chunk's context.
MIN_CHUNK_CHARS = 40


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage and everything needed to cite it."""

    chunk_id: str
    doc_id: str
    title: str
    short_title: str
    section: str
    page: int | None
    source_url: str
    language: str
    doc_hash: str
    content_hash: str
    text: str

    @property
    def indexed_text(self) -> str:
        """What gets embedded and BM25-indexed: the heading path gives a short passage its topic."""
        heading = f"{self.short_title} — {self.section}" if self.section else self.short_title
        return f"{heading}\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (Chroma accepts no None values)."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "short_title": self.short_title,
            "section": self.section,
            "page": self.page or 0,
            "source_url": self.source_url,
            "language": self.language,
            "doc_hash": self.doc_hash,
            "content_hash": self.content_hash,
        }

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, meta: dict[str, object]) -> Chunk:
        """Rebuild a chunk from what the store returns (inverse of `metadata`)."""
        page = int(str(meta.get("page") or 0))
        return cls(
            chunk_id=chunk_id,
            doc_id=str(meta["doc_id"]),
            title=str(meta.get("title", "")),
            short_title=str(meta.get("short_title", "")),
            section=str(meta.get("section", "")),
            page=page or None,
            source_url=str(meta.get("source_url", "")),
            language=str(meta.get("language", "")),
            doc_hash=str(meta.get("doc_hash", "")),
            content_hash=str(meta.get("content_hash", "")),
            text=text,
        )


def chunk_document(
    document: LoadedDocument, *, chunk_size: int = CHUNK_SIZE, chunk_overlap: int = CHUNK_OVERLAP
) -> list[Chunk]:
    """Split every section of `document` into chunks carrying the document's citation metadata.

    Chunk ids embed the document's content hash, so a changed document's new chunks never
    collide with the old ones while both exist during a replace.
    """
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=min(chunk_overlap, chunk_size // 4),
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    chunks: list[Chunk] = []
    for section in document.sections:
        section_path = " › ".join(section.headings)
        for piece in splitter.split_text(section.text):
            text = piece.strip()
            if len(text) < MIN_CHUNK_CHARS and not section_path:
                continue
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=f"{document.doc_id}:{document.content_hash[:12]}:{ordinal:04d}",
                    doc_id=document.doc_id,
                    title=document.title,
                    short_title=document.short_title,
                    section=section_path,
                    page=section.page,
                    source_url=document.source_url,
                    language=document.language,
                    doc_hash=document.content_hash,
                    content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
                    text=text,
                )
            )
    return chunks
