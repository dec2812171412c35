"""Loaders: every format yields sections with headings/pages; bad files fail with a clear reason.

Hostile packages (zip bombs, lying headers) and the memory they may take are in
test_hostile_uploads.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from made_files import (
    aes_pdf,
    broken_xml_docx,
    docx_compressed_with,
    docx_with_entries,
    encrypted_pdf,
    make_docx,
    make_pdf,
    rebuilt_docx,
)
from retrieval_helpers import SMALL_DOCS

from retrieval.errors import DocumentError, Reason
from retrieval.loaders import load_document


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_markdown_front_matter_and_heading_tree(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "Rumours Handbook.md", SMALL_DOCS["rumours.md"]))
    assert doc.doc_id == "rumours-handbook"
    assert doc.title == "A handbook on countering rumours"
    assert doc.short_title == "Rumours handbook"
    assert doc.source_url == "https://example.org/rumours"
    assert doc.language == "en"
    assert len(doc.content_hash) == 64
    # The single top-level heading is the title, so section paths start below it.
    assert [s.headings for s in doc.sections] == [("Why rumours matter",), ("Training agents",)]
    assert "two days" in doc.sections[1].text


def test_markdown_nested_headings_and_code_fences(tmp_path: Path) -> None:
    text = (
        "# A\n\nintro text here\n\n## B\n\nbee\n\n```\n# not a heading\n```\n\n"
        "### C\n\nsee\n\n## D\n\ndee\n"
    )
    doc = load_document(_write(tmp_path, "nested.md", text))
    assert [s.headings for s in doc.sections] == [(), ("B",), ("B", "C"), ("D",)]
    assert "# not a heading" in doc.sections[1].text
    assert doc.title == "A"


def test_pdf_pages_and_metadata_title(tmp_path: Path) -> None:
    data = make_pdf(["First page about rumours.", "Second page about gardens."], title="My PDF")
    doc = load_document(_write(tmp_path, "report.pdf", data))
    assert doc.pages == 2
    assert doc.title == "My PDF"
    assert [(s.page, "gardens" in s.text) for s in doc.sections] == [(1, False), (2, True)]


def test_an_aes_encrypted_pdf_without_a_user_password_opens(tmp_path: Path) -> None:
    # Official PDFs are often AES-encrypted with an empty user password (editing restricted).
    data = aes_pdf(["Welcome desks in the city hall.", "Mentoring for newcomers."], title="AES")
    assert b"/AESV3" in data  # really AES-256, not RC4
    doc = load_document(_write(tmp_path, "official.pdf", data))
    assert doc.pages == 2
    assert "Mentoring for newcomers." in doc.sections[1].text


def test_html_headings_become_sections(tmp_path: Path) -> None:
    html = (
        "<html><head><title>City guide</title><script>var x = 1;</script></head><body>"
        "<h1>Guide</h1><p>Opening words of the guide.</p><h2>Housing</h2><p>Rent support.</p>"
        "<nav>menu</nav><h2>Schools</h2><ul><li>Mother-tongue classes.</li></ul></body></html>"
    )
    doc = load_document(_write(tmp_path, "guide.html", html))
    assert doc.title == "City guide"
    by_heading = {s.headings: s.text for s in doc.sections}
    assert by_heading[("Housing",)] == "Rent support."
    assert "Mother-tongue classes." in by_heading[("Schools",)]
    assert all("var x" not in s.text and "menu" not in s.text for s in doc.sections)


def test_docx_title_and_headings(tmp_path: Path) -> None:
    data = make_docx(
        "Welcome plan", [("Arrival", "Newcomers get a welcome pack."), ("Work", "Jobs.")]
    )
    doc = load_document(_write(tmp_path, "plan.docx", data))
    assert doc.title == "Welcome plan"
    assert [s.headings for s in doc.sections] == [("Arrival",), ("Work",)]


def test_plain_text_detects_language(tmp_path: Path) -> None:
    text = "La ville accueille les nouveaux arrivants avec un programme de mentorat interculturel."
    doc = load_document(_write(tmp_path, "note.txt", text))
    assert doc.language == "fr"
    assert doc.sections[0].text == text


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
_DOCX = make_docx("Plan", [("Section", "Some text.")])


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _sheet_types() -> bytes:
    """The DOCX's content types with its main part declared a spreadsheet (an .xlsx renamed)."""
    with zipfile.ZipFile(io.BytesIO(_DOCX)) as package:
        types = package.read("[Content_Types].xml")
    return types.replace(b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")


@pytest.mark.parametrize(
    ("name", "data", "code", "reason"),
    [
        ("empty.md", b"", Reason.EMPTY, "empty"),
        ("blank.txt", b"  \n\n ", Reason.EMPTY, "empty"),
        ("scan.pdf", make_pdf(["", ""]), Reason.PDF_SCAN, "no text layer"),
        ("locked.pdf", encrypted_pdf(), Reason.PDF_PASSWORD, "password-protected"),
        (
            "locked-aes.pdf",
            aes_pdf(["Secret."], user_password="s3cret"),
            Reason.PDF_PASSWORD,
            "password-protected; upload an unprotected copy",
        ),
        (
            "broken.pdf",
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage",
            Reason.PDF_DAMAGED,
            "damaged",
        ),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", Reason.DOCX_DAMAGED, "damaged"),
        ("cut.docx", broken_xml_docx(), Reason.DOCX_BROKEN_XML, "XML is broken"),
        (
            "no-body.docx",
            rebuilt_docx(_DOCX, {"word/document.xml": b""}),
            Reason.DOCX_BROKEN_XML,
            "XML is broken",
        ),
        ("text.docx", _zip_of({"hello.txt": b"hi"}), Reason.DOCX_NOT_WORD, "no Word document"),
        (
            "sheet.docx",
            rebuilt_docx(_DOCX, {"[Content_Types].xml": _sheet_types()}),
            Reason.DOCX_NOT_WORD,
            "no Word document",
        ),
        ("old.docx", _OLE + b"WordDocument", Reason.DOCX_OLD_FORMAT, "old Word (.doc)"),
        (
            "sealed.docx",
            _OLE + "EncryptionInfo".encode("utf-16-le"),
            Reason.DOCX_PASSWORD,
            "password-protected",
        ),
        ("padded.docx", docx_with_entries(1200), Reason.ZIP_ENTRIES, "more than the 1000"),
        (
            "bzip.docx",
            docx_compressed_with(zipfile.ZIP_BZIP2),
            Reason.ZIP_METHOD,
            "compression Word never writes (bzip2)",
        ),
        ("binary.txt", b"\x00\x01\x02 binary", Reason.BINARY, "binary"),
        ("latin1.md", "caf\xe9 cr\xe8me".encode("latin-1"), Reason.NOT_UTF8, "not valid UTF-8"),
        ("headings-only.md", b"# Title\n\n## Empty\n", Reason.NO_TEXT, "no text"),
        ("table.xlsx", b"anything", Reason.UNSUPPORTED_TYPE, "unsupported file type .xlsx"),
        (
            "bad-front.md",
            b"---\ntitle: [unclosed\n---\nbody text",
            Reason.BAD_FRONT_MATTER,
            "front matter",
        ),
    ],
)
def test_unusable_files_name_the_file_and_reason(
    tmp_path: Path, name: str, data: bytes, code: Reason, reason: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(_write(tmp_path, name, data))
    assert caught.value.filename == name
    assert caught.value.code == code
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{name}: ")
