"""Cut a loaded document into small retrieval units that remember their section and block.

Small-to-big retrieval: what is embedded and matched is a small unit (a sentence or two of a
paragraph, one list item, one table row), so a question meets the one statement that answers
it instead of a diluted 800-character window; what is ranked, quoted and answered from is the
unit's whole section, reassembled from its units (`section_text`). Every unit carries its
section path and the index of its block (a paragraph, a list with its lead-in, a table), so
the answer can keep a list whole and start at the sentence that answers.

Units are plain text (see retrieval.markdown): no Markdown reaches an answer. Sections that
describe the digest rather than the document ("About this digest") are not indexed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from retrieval.loaders import LoadedDocument
from retrieval.markdown import BULLET, Block, blocks

#: Longest unit, in characters. A paragraph's sentences are grouped up to this size; a longer
#: sentence or list item is cut (LangChain's splitter) at clause, then word boundaries.
UNIT_CHARS = 320
#: Kept for callers that still pass a chunk size (bench, ingest): it now bounds a unit.
CHUNK_SIZE = UNIT_CHARS
#: `block` of a section's summary entry: the whole section, embedded once, whose similarity
#: joins its units' in the section's score (it carries the topic a single sentence lacks).
SECTION_BLOCK = -1
#: Headings of sections about the digest itself: never evidence for an answer.
META_SECTIONS = re.compile(r"^about this digest$", re.IGNORECASE)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])")
_ABBREVIATION = re.compile(
    r"\b(?:e\.g|i\.e|pp?|no|nos|cf|etc|vol|art|paras?|ch|fig|st|dr|mr|ms)\.$", re.I
)


@dataclass(frozen=True)
class Chunk:
    """One retrievable unit and everything needed to cite it and rebuild its section."""

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
    #: Index of the unit's block within its section (units of one block are contiguous).
    block: int = 0
    #: The document is this project's digest of the original (see LoadedDocument.digest).
    digest: bool = False

    @property
    def is_section(self) -> bool:
        """Whether this entry is a section summary rather than a unit (see SECTION_BLOCK)."""
        return self.block == SECTION_BLOCK

    @property
    def heading(self) -> str:
        """Where the unit sits: "Short title — Section › Subsection"."""
        return f"{self.short_title} — {self.section}" if self.section else self.short_title

    @property
    def indexed_text(self) -> str:
        """What gets embedded and BM25-indexed: the heading path gives a short unit its topic."""
        return f"{self.heading}\n{self.text}"

    @property
    def section_key(self) -> tuple[str, str, int]:
        """The section the unit belongs to (the "big" side of small-to-big)."""
        return (self.doc_id, self.section, self.page or 0)

    @property
    def ordinal(self) -> int:
        """Reading position within the document (the chunk id ends with it)."""
        return int(self.chunk_id.rsplit(":", 1)[-1])

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
            "block": self.block,
            "digest": int(self.digest),
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
            block=int(str(meta.get("block") or 0)),
            digest=bool(meta.get("digest")),
        )


def ends_in_abbreviation(text: str) -> bool:
    """Whether `text` ends on an abbreviation ("e.g.", "pp.", "Art."), not a sentence's end."""
    return bool(_ABBREVIATION.search(text))


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph (abbreviations such as "e.g." and "pp." do not end one)."""
    pieces = [p for p in _SENTENCE_END.split(text) if p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and ends_in_abbreviation(sentences[-1]):
            sentences[-1] += " " + piece.strip()
        else:
            sentences.append(piece.strip())
    return sentences


def _bounded(texts: Iterable[str], limit: int) -> list[str]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=limit,
        chunk_overlap=0,
        separators=["; ", ", ", " – ", " ", ""],
        keep_separator="end",
    )
    out: list[str] = []
    for text in texts:
        out.extend(p.strip() for p in ([text] if len(text) <= limit else splitter.split_text(text)))
    return [t for t in out if t]


def block_units(block: Block, limit: int = UNIT_CHARS) -> list[str]:
    """A block's units: grouped sentences of a paragraph, or one per list item or table row."""
    if block.kind != "paragraph":
        lead = split_sentences(block.lead) if block.lead else []
        return _bounded(lead + list(block.lines), limit)
    units: list[str] = []
    for sentence in _bounded(split_sentences(block.lines[0]), limit):
        if units and len(units[-1]) + 1 + len(sentence) <= limit // 2:
            units[-1] += " " + sentence  # very short sentences travel in pairs
        else:
            units.append(sentence)
    return units


def chunk_document(document: LoadedDocument, *, chunk_size: int = UNIT_CHARS) -> list[Chunk]:
    """Split every section of `document` into units carrying its citation metadata.

    Chunk ids embed the document's content hash, so a changed document's new chunks never
    collide with the old ones while both exist during a replace.
    """
    chunks: list[Chunk] = []

    def add(section_path: str, page: int | None, text: str, block: int) -> None:
        ordinal = len(chunks)
        chunks.append(
            Chunk(
                chunk_id=f"{document.doc_id}:{document.content_hash[:12]}:{ordinal:04d}",
                doc_id=document.doc_id,
                title=document.title,
                short_title=document.short_title,
                section=section_path,
                page=page,
                source_url=document.source_url,
                language=document.language,
                doc_hash=document.content_hash,
                content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
                text=text,
                block=block,
                digest=document.digest,
            )
        )

    for section in document.sections:
        if section.headings and META_SECTIONS.match(section.headings[-1]):
            continue
        section_path = " › ".join(section.headings)
        first = len(chunks)
        for number, block in enumerate(blocks(section.text)):
            for text in block_units(block, chunk_size):
                add(section_path, section.page, text, number)
        if len(chunks) > first:
            add(section_path, section.page, join_units(chunks[first:]), SECTION_BLOCK)
    return chunks


#: How a complete sentence (or a list's lead-in) ends; a unit ending otherwise was cut.
_SENTENCE_ENDS = (".", "!", "?", "…", ":", ";", '"', "”", ")", "»")


def is_cut(unit: Chunk) -> bool:
    """Whether a unit does not end a statement (a long sentence or list item split at a comma
    or a semicolon; a list item may end on ";"); callers check that the next unit continues
    it rather than opening a new item."""
    text = unit.text.rstrip()
    return not text.endswith(_SENTENCE_ENDS) or (text.endswith(";") and not text.startswith(BULLET))


def join_units(units: Sequence[Chunk]) -> str:
    """Units of one section, in reading order, as its text: a block's sentences on one line,
    each list item and table row on its own, blocks on separate lines."""
    lines: list[str] = []
    previous: Chunk | None = None
    for unit in sorted(units, key=lambda u: u.ordinal):
        continues = (
            previous is not None
            and previous.block == unit.block
            and not previous.text.endswith(":")
        )
        if continues and not unit.text.startswith(BULLET):
            lines[-1] += " " + unit.text
        else:
            lines.append(unit.text)
        previous = unit
    return "\n".join(lines)
