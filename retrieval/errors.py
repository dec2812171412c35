"""Errors the retrieval layer raises on purpose, with messages that are safe to show to a user.

Each refusal has a `Reason` code besides its English sentence: the bot shows the reason in the
admin's language (a `doc_<code>` text in `bot.core.texts`), while logs and the command line use
the English here. A code says what is wrong with the file; `details` fill in its numbers.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a file cannot be indexed, one code per thing an admin can do something about."""

    UNSUPPORTED_TYPE = "unsupported_type"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    NO_TEXT = "no_text"
    BINARY = "binary"
    NOT_UTF8 = "not_utf8"
    BAD_FRONT_MATTER = "bad_front_matter"
    TOO_BIG = "too_big"
    TOO_MANY_PAGES = "too_many_pages"
    PDF_PASSWORD = "pdf_password"
    PDF_ENCRYPTION = "pdf_encryption"
    PDF_DAMAGED = "pdf_damaged"
    PDF_SCAN = "pdf_scan"
    PDF_UNPACKED = "pdf_unpacked"
    DOCX_DAMAGED = "docx_damaged"
    DOCX_PASSWORD = "docx_password"
    DOCX_OLD_FORMAT = "docx_old_format"
    DOCX_NOT_WORD = "docx_not_word"
    DOCX_BROKEN_XML = "docx_broken_xml"
    ZIP_UNPACKED = "zip_unpacked"
    ZIP_ENTRIES = "zip_entries"
    ZIP_RATIO = "zip_ratio"
    ZIP_METHOD = "zip_method"


#: The English reason for each code; ``{...}`` fields come from the error's details.
REASONS: dict[Reason, str] = {
    Reason.UNSUPPORTED_TYPE: "unsupported file type {suffix}",
    Reason.UNREADABLE: "the file cannot be read",
    Reason.EMPTY: "the file is empty",
    Reason.NO_TEXT: "no text could be extracted from it",
    Reason.BINARY: "this is a binary file, not text",
    Reason.NOT_UTF8: "the text is not valid UTF-8",
    Reason.BAD_FRONT_MATTER: "its front matter is not valid YAML",
    Reason.TOO_BIG: "the file is larger than the {limit} MB limit",
    Reason.TOO_MANY_PAGES: "the document has more than {limit} pages",
    Reason.PDF_PASSWORD: "the PDF is password-protected; upload an unprotected copy",
    Reason.PDF_ENCRYPTION: "the PDF uses an encryption this server cannot open",
    Reason.PDF_DAMAGED: "the PDF is damaged and cannot be read",
    Reason.PDF_SCAN: "the PDF has no text layer (a scan?); send a text PDF",
    Reason.PDF_UNPACKED: "the PDF unpacks to more data than allowed (damaged or hostile)",
    Reason.DOCX_DAMAGED: "not a readable DOCX file: the zip package is damaged",
    Reason.DOCX_PASSWORD: "the DOCX is password-protected; upload an unprotected copy",
    Reason.DOCX_OLD_FORMAT: "this is an old Word (.doc) file; save it as .docx and send it again",
    Reason.DOCX_NOT_WORD: "not a readable DOCX file: it holds no Word document",
    Reason.DOCX_BROKEN_XML: "not a readable DOCX file: its XML is broken",
    Reason.ZIP_UNPACKED: "the DOCX unpacks to more than {limit} MB",
    Reason.ZIP_ENTRIES: "the DOCX holds {count} files, more than the {limit} allowed",
    Reason.ZIP_RATIO: "the DOCX part {part} is compressed suspiciously tightly (a zip bomb?)",
    Reason.ZIP_METHOD: "the DOCX uses a compression Word never writes ({method})",
}


class DocumentError(ValueError):
    """A document cannot be ingested (empty, scanned, encrypted, broken, too large).

    The message names the file and the reason in plain words, so the bot can show it as is;
    raising it never changes the index. ``code`` says why (the bot translates it), ``details``
    fill in its numbers.
    """

    def __init__(self, filename: str, reason: Reason, **details: object) -> None:
        self.code = reason
        text = REASONS[reason].format(**details)
        super().__init__(f"{filename}: {text}")
        self.filename = filename
        self.reason = text
        self.details = details
