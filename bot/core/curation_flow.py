"""Corpus curation from the chat (admins only): uploads, /documents, /remove, score CSVs.

An uploaded file is checked before the index is touched: its type (suffix and the file's own
signature), its size, then what the retrieval layer finds in it (pages, text, encryption). Only
a file that passes all of that is indexed, incrementally; a refusal names the file and the reason
in the admin's language (each retrieval `Reason` has a ``doc_<code>`` text) and leaves the index
as it was. A CSV is read as official per-area city scores instead (scoring.cities).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core import admin_flow
from bot.core.admin_flow import admin_only
from bot.core.html_format import join_lines, shorten
from bot.core.messages import IncomingFile, Reply
from bot.core.turn import Turn
from bot.storage import repo
from retrieval.errors import DocumentError
from retrieval.loaders import OLE_MAGIC
from scoring.cities import parse_official_scores_csv

if TYPE_CHECKING:
    from retrieval.service import IngestReport

#: Largest accepted upload, and most pages in one document.
MAX_UPLOAD_BYTES = 10_000_000
MAX_PAGES = 400
#: Corpus file types, with the bytes such a file may start with (None: text, no signature). A
#: DOCX is a zip; an OLE file named .docx is let through so the loader can say which it is (a
#: password-protected DOCX or an old .doc), both things an admin can fix.
CORPUS_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04", OLE_MAGIC),
    ".html": None,
    ".htm": None,
    ".md": None,
    ".markdown": None,
}
SCORES_SUFFIX = ".csv"
#: Documents listed by /documents (a message holds about this many lines comfortably).
LISTED = 40
FILENAME_CHARS = 80


def upload(turn: Turn, file: IncomingFile) -> list[Reply]:
    """A file sent to the bot: indexed or loaded for admins, politely declined for others."""
    if not admin_flow.is_admin(turn):
        return [Reply(text=turn.t("file_not_supported"))]
    name = safe_filename(file.filename)
    suffix = Path(name).suffix.lower()
    if suffix == SCORES_SUFFIX:
        return [_load_scores(turn, name, file)]
    problem = _problem(turn, name, suffix, file)
    if problem is not None:
        return [Reply(text=turn.t("upload_refused", name=name, reason=problem))]

    turn.ensure_writable()  # the index is not in the database: the turn cannot guard it
    with tempfile.TemporaryDirectory(prefix="icc-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(file.content)
        try:
            report = turn.services.library.ingest_file(
                path, max_bytes=MAX_UPLOAD_BYTES, max_pages=MAX_PAGES
            )
        except DocumentError as exc:
            return [Reply(text=turn.t("upload_refused", name=name, reason=refusal(turn, exc)))]
    return [Reply(text=_report(turn, name, report))]


def refusal(turn: Turn, error: DocumentError) -> str:
    """Why the retrieval layer refused a file, in the admin's language."""
    return turn.t(f"doc_{error.code}", **error.details)


def safe_filename(filename: str) -> str:
    """The file's base name with only portable characters (it becomes the document id)."""
    base = re.split(r"[\\/]", filename)[-1]
    # "été" -> "ete": accents dropped rather than the letters lost.
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.") or "document"
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot:
        return cleaned[:FILENAME_CHARS]
    return f"{stem[: FILENAME_CHARS - len(suffix) - 1]}.{suffix}"


def _problem(turn: Turn, name: str, suffix: str, file: IncomingFile) -> str | None:
    """Why the file cannot be indexed, from what is known before reading it; None if fine."""
    if suffix not in CORPUS_TYPES:
        return turn.t("upload_bad_type", suffix=suffix or "—")
    if file.size > MAX_UPLOAD_BYTES or len(file.content) > MAX_UPLOAD_BYTES:
        return turn.t("upload_too_big", limit=MAX_UPLOAD_BYTES // 1_000_000)
    if not file.content.strip():
        return turn.t("upload_empty")
    signature = CORPUS_TYPES[suffix]
    if signature is not None and not file.content.startswith(signature):
        return turn.t("upload_not_really", suffix=suffix)
    return None


def _report(turn: Turn, name: str, report: IngestReport) -> str:
    if report.unchanged and not report.added and not report.updated:
        return turn.t("upload_unchanged", name=name)
    key = "upload_updated" if report.updated else "upload_added"
    # The admin should know the bundled digest now yields to this file (`retrieval.originals`).
    return join_lines(
        turn.t(
            key,
            name=name,
            pages=turn.t("upload_pages", pages=turn.counted("pages", report.pages))
            if report.pages
            else "",
            passages=turn.counted("passages", report.chunks_added),
        ),
        *(turn.t("upload_original_of", digest=digest) for digest in report.originals_of),
    )


def _load_scores(turn: Turn, name: str, file: IncomingFile) -> Reply:
    """Official per-area city scores: validated as a whole, stored only if all rows are good."""

    area_ids = [area.id for area in turn.services.index_model.areas]
    try:
        rows = parse_official_scores_csv(file.content, area_ids=area_ids)
    except ValueError as exc:
        return Reply(text=turn.t("scores_refused", name=name, reason=shorten(str(exc), 1500)))
    with turn.write() as session:
        count = repo.save_official_scores(session, rows=rows)
    cities = sorted({row.city for row in rows})
    return Reply(
        text=turn.t(
            "scores_loaded",
            count=count,
            cities=len(cities),
            names=shorten(", ".join(cities), 300),
        )
    )


@admin_only
def documents(turn: Turn, args: str) -> list[Reply]:
    """/documents: the indexed documents with their id (for /remove), pages and passages."""
    found = turn.services.library.documents()
    if not found:
        return [Reply(text=turn.t("documents_none"))]
    lines = [turn.t("documents_heading", count=len(found))]
    for doc in found[:LISTED]:
        pages = (
            turn.t("documents_pages", pages=turn.counted("pages", doc.pages)) if doc.pages else ""
        )
        lines.append(
            turn.t(
                "documents_line",
                title=shorten(doc.short_title or doc.title, 70),
                doc_id=doc.doc_id,
                pages=pages,
                passages=turn.counted("passages", doc.chunks),
            )
        )
    if len(found) > LISTED:
        lines.append(turn.t("documents_more", count=len(found) - LISTED))
    lines.append(turn.t("documents_hint"))
    return [Reply(text=join_lines(*lines))]


@admin_only
def remove(turn: Turn, args: str) -> list[Reply]:
    """/remove <document id>: take a document out of the index."""
    doc_id = args.strip()
    if not doc_id:
        return [Reply(text=turn.t("remove_usage"))]
    turn.ensure_writable()
    removed = turn.services.library.remove(doc_id[:200])
    if not removed:
        return [Reply(text=turn.t("remove_unknown", doc_id=doc_id[:80]))]
    passages = turn.counted("passages", removed)
    return [Reply(text=turn.t("remove_done", doc_id=doc_id, passages=passages))]
