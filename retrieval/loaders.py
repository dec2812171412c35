"""Turn a file (Markdown, PDF, HTML, DOCX, plain text) into a document with a heading tree.

Every format ends up as the same `LoadedDocument`: metadata plus sections, each section the text
under one heading path (and, for PDFs, one page). HTML and DOCX are first rewritten as Markdown
headings so one heading parser serves them all. Anything unreadable raises `DocumentError`
naming the file and a `Reason`; a loader never returns an empty document. The files come from
uploads, so the parsers meet hostile input: DOCX packages are unpacked within limits first
(`retrieval.safe_zip`), and whatever a third-party parser raises on a malformed file becomes
a refusal that names the file, never a traceback.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from retrieval.errors import DocumentError, Reason
from retrieval.language import detect_language
from retrieval.safe_zip import unpacked_safely

log = logging.getLogger(__name__)

#: File suffixes we can read, lower case.
SUPPORTED_SUFFIXES = (".md", ".markdown", ".pdf", ".html", ".htm", ".docx", ".txt")

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    """The text under one heading path; `page` is set for PDFs (1-based)."""

    headings: tuple[str, ...]
    text: str
    page: int | None = None


@dataclass(frozen=True)
class LoadedDocument:
    """A parsed document: what every chunk of it inherits, plus its sections in reading order."""

    doc_id: str
    title: str
    short_title: str
    source_url: str
    language: str
    content_hash: str
    sections: tuple[Section, ...]
    pages: int | None = None
    filename: str = ""
    #: The file is this project's digest of a document (front matter `kind: digest` or a
    #: `note` calling it one), not the document itself: answers say so.
    digest: bool = False


#: How documents become passages (reading, Markdown blocks, chunking). It is part of every
#: document's hash, so bumping it after such a change makes an existing index re-read its
#: documents at the next ingest instead of keeping passages cut the old way.
READING_VERSION = "2"


def content_hash(data: bytes) -> str:
    """A document's identity in the index: its bytes, as read by this `READING_VERSION`."""
    return hashlib.sha256(READING_VERSION.encode() + b"\0" + data).hexdigest()


def doc_id_for(path: Path) -> str:
    """A stable id from the file name: lower-case slug of the stem (the eval set refers to it)."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "document"


def load_document(path: Path, *, data: bytes | None = None) -> LoadedDocument:
    """Load one file by its suffix. Raises DocumentError for anything that yields no usable text."""
    name = path.name
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise DocumentError(name, Reason.UNSUPPORTED_TYPE, suffix=suffix or "(none)")
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(name, Reason.UNREADABLE) from exc
    if not data.strip():
        raise DocumentError(name, Reason.EMPTY)
    meta, sections, pages = reader(name, data)
    kept = tuple(s for s in sections if s.text.strip())
    if not kept:
        raise DocumentError(name, Reason.NO_TEXT)
    fallback_title = path.stem.replace("-", " ").replace("_", " ").strip() or name
    title = str(meta.get("title") or fallback_title).strip()
    sample = " ".join(s.text for s in kept[:5])[:3000]
    return LoadedDocument(
        doc_id=doc_id_for(path),
        title=title,
        short_title=str(meta.get("short_title") or title[:60]).strip(),
        source_url=str(meta.get("source_url") or "").strip(),
        language=str(meta.get("language") or detect_language(sample)),
        content_hash=content_hash(data),
        sections=kept,
        pages=pages,
        filename=name,
        digest=str(meta.get("kind", "")).lower() == "digest"
        or "digest" in str(meta.get("note", "")).lower(),
    )


Reader = Callable[[str, bytes], tuple[dict[str, object], list[Section], int | None]]


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise DocumentError(name, Reason.BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(name, Reason.NOT_UTF8) from exc


def sections_from_markdown(text: str) -> list[Section]:
    """Split Markdown into sections along its heading tree (headings inside code fences ignored).

    A lone top-level heading is the document's own title, so it is left out of section paths.
    """
    lines = text.splitlines()
    in_fence = False
    marks: list[tuple[int, int, str]] = []  # (line number, level, heading text)
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)):
            marks.append((number, len(match.group(1)), match.group(2).strip()))
    drop_top = sum(1 for _, level, _ in marks if level == 1) == 1
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    starts = [m[0] for m in marks] + [len(lines)]
    if (marks and marks[0][0] > 0) or not marks:
        preamble = "\n".join(lines[: starts[0]]).strip()
        sections.append(Section((), preamble))
    for index, (number, level, heading) in enumerate(marks):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading))
        path = tuple(h for lvl, h in stack if not (drop_top and lvl == 1))
        body = "\n".join(lines[number + 1 : starts[index + 1]]).strip()
        sections.append(Section(path, body))
    return sections


def _read_markdown(name: str, data: bytes) -> tuple[dict[str, object], list[Section], None]:
    text = _decode(name, data)
    meta: dict[str, object] = {}
    if match := _FRONT_MATTER.match(text):
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise DocumentError(name, Reason.BAD_FRONT_MATTER) from exc
        if isinstance(loaded, dict):
            meta = {str(k): v for k, v in loaded.items()}
        text = text[match.end() :]
    sections = sections_from_markdown(text)
    if "title" not in meta:
        tops = [s for s in sections if len(s.headings) == 1]
        first = next((line for line in text.splitlines() if line.startswith("# ")), "")
        if first:
            meta["title"] = first[2:].strip()
        elif tops:
            meta["title"] = tops[0].headings[0]
    return meta, sections, None


def _read_text(name: str, data: bytes) -> tuple[dict[str, object], list[Section], None]:
    return {}, [Section((), _decode(name, data).strip())], None


def _read_pdf(name: str, data: bytes) -> tuple[dict[str, object], list[Section], int]:
    # lazy: each format's parser loads only for a file of that format
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Official PDFs are often encrypted with an empty user password (only editing is
        # restricted): they open with "". AES needs `cryptography`, a runtime dependency.
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(name, Reason.PDF_PASSWORD)
        pages = [(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata
        title = str(info.title).strip() if info and info.title else ""
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentError(name, Reason.PDF_PASSWORD) from exc
    except (DependencyError, NotImplementedError) as exc:
        raise DocumentError(name, Reason.PDF_ENCRYPTION) from exc
    except LimitReachedError as exc:
        raise DocumentError(name, Reason.PDF_UNPACKED) from exc
    # A malformed PDF can make pypdf raise almost anything (ValueError, KeyError, struct.error,
    # RecursionError...): each is a damaged upload to refuse by name, not a crash.
    except Exception as exc:
        log.warning("%s: pypdf failed with %s: %s", name, type(exc).__name__, exc)
        raise DocumentError(name, Reason.PDF_DAMAGED) from exc
    if not any(text.strip() for text in pages):
        raise DocumentError(name, Reason.PDF_SCAN)
    sections = [Section((), text.strip(), page=n) for n, text in enumerate(pages, 1)]
    return ({"title": title} if title else {}), sections, len(pages)


def _read_html(name: str, data: bytes) -> tuple[dict[str, object], list[Section], None]:
    # lazy: each format's parser loads only for a file of that format
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(_decode(name, data), "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "noscript", "template"]):
        tag.decompose()
    meta: dict[str, object] = {}
    if soup.title and soup.title.get_text(strip=True):
        meta["title"] = soup.title.get_text(" ", strip=True)
    if soup.head:
        soup.head.decompose()
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        level = int(heading.name[1])
        text = heading.get_text(" ", strip=True)
        heading.replace_with(NavigableString(f"\n\n{'#' * level} {text}\n\n"))
    for block in soup.find_all(["p", "li", "div", "tr", "br", "blockquote", "pre"]):
        block.insert_after(NavigableString("\n"))
    text = re.sub(r"\n\s*\n+", "\n\n", soup.get_text())
    _, sections, _ = _read_markdown(name, text.encode())
    return meta, sections, None


#: The first bytes of an OLE compound file: an old .doc, or a password-protected DOCX (Office
#: wraps an encrypted package in one, with an "EncryptionInfo" stream).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def _read_docx(name: str, data: bytes) -> tuple[dict[str, object], list[Section], None]:
    if data.startswith(OLE_MAGIC):
        encrypted = _OLE_ENCRYPTION_INFO in data
        raise DocumentError(name, Reason.DOCX_PASSWORD if encrypted else Reason.DOCX_OLD_FORMAT)
    # Unpacked within limits before python-docx or lxml sees a byte (see retrieval.safe_zip).
    package = unpacked_safely(name, data)
    # lazy: each format's parser loads only for a file of that format
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        meta, lines = _docx_lines(docx.Document(io.BytesIO(package)))
    except etree.XMLSyntaxError as exc:
        raise DocumentError(name, Reason.DOCX_BROKEN_XML) from exc
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        # No content types, no main part, or a main part that is not a Word document (a
        # spreadsheet renamed .docx): python-docx says so with these.
        raise DocumentError(name, Reason.DOCX_NOT_WORD) from exc
    # As for PDFs: a malformed package can fail anywhere in python-docx; refuse it by name.
    except Exception as exc:
        log.warning("%s: python-docx failed with %s: %s", name, type(exc).__name__, exc)
        raise DocumentError(name, Reason.DOCX_DAMAGED) from exc
    _, sections, _ = _read_markdown(name, "\n".join(lines).encode())
    return meta, sections, None


def _docx_lines(document: Any) -> tuple[dict[str, object], list[str]]:
    """The title and the Markdown lines of a python-docx document (headings become #)."""
    meta: dict[str, object] = {}
    if document.core_properties.title:
        meta["title"] = document.core_properties.title
    lines: list[str] = []
    # python-docx finds a paragraph's style by XPath over all styles on every call (seconds for
    # a long document), so each style id is looked up once.
    names: dict[str | None, str] = {}
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style_id = paragraph._p.style
        if style_id not in names:
            found = paragraph.style
            names[style_id] = (found.name or "") if found is not None else ""
        style = names[style_id]
        if style == "Title":
            meta.setdefault("title", text)
        elif match := re.match(r"Heading (\d)", style or ""):
            lines.append(f"\n{'#' * min(int(match.group(1)) + 1, 6)} {text}\n")
        else:
            lines.append(text + "\n")
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells) + "\n")
    return meta, lines


_READERS: dict[str, Reader] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".txt": _read_text,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
}
