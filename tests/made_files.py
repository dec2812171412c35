"""Real document files made on the fly, for every test that loads, ingests or uploads one."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path


def make_pdf(pages: list[str], *, title: str = "") -> bytes:
    """A real text PDF with one page per string (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A text PDF that needs a password to open."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf(["Secret text."]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="letmein", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(title: str, sections: list[tuple[str, str]]) -> bytes:
    """A DOCX with a Title paragraph and Heading 1 sections (python-docx)."""
    import docx

    document = docx.Document()
    document.add_paragraph(title, style="Title")
    for heading, body in sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def aes_pdf(pages: list[str], *, user_password: str = "", title: str = "") -> bytes:
    """A text PDF encrypted with AES-256, as official documents often are.

    With an empty user password it opens without one (only editing is restricted); with a user
    password nobody can read it without that password.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf(pages, title=title))).pages:
        writer.add_page(page)
    if title:
        writer.add_metadata({"/Title": title})
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def rebuilt_docx(source: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of the DOCX ``source`` with some parts' bytes replaced (broken XML and the like)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            copy.writestr(info.filename, replace.get(info.filename, original.read(info)))
    return out.getvalue()


def broken_xml_docx() -> bytes:
    """A DOCX whose zip is fine but whose word/document.xml is cut off mid-element."""
    good = make_docx("Welcome plan", [("Arrival", "Newcomers get a welcome pack.")])
    with zipfile.ZipFile(io.BytesIO(good)) as package:
        xml = package.read("word/document.xml")
    return rebuilt_docx(good, {"word/document.xml": xml[: len(xml) // 2]})


def docx_with_entries(count: int) -> bytes:
    """A readable DOCX padded with ``count`` tiny extra entries (an entry-count bomb)."""
    good = make_docx("Padded", [("Section", "Some text.")])
    out = io.BytesIO(good)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as package:
        for number in range(count):
            package.writestr(f"customXml/pad{number}.xml", b"")
    return out.getvalue()


def docx_compressed_with(compression: int) -> bytes:
    """A readable DOCX re-packed with another zip method (bzip2, lzma: Office never does)."""
    good = make_docx("Repacked", [("Section", "Some text.")])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as original,
        zipfile.ZipFile(out, "w", compression) as copy,
    ):
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info))
    return out.getvalue()


#: Where a document.xml's text goes, in a minimal WordprocessingML body.
_BODY_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>"
)
_BODY_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def write_docx_bomb(path: Path, unpacked: int, *, declared: int | None = None) -> int:
    """Write a DOCX zip bomb to ``path``: a real package whose word/document.xml is
    ``unpacked`` bytes of one repeated letter (about 1 MB on disk per GB); returns its size.

    Written in 1 MB pieces, so making a multi-GB bomb takes about 1 MB of memory. With
    ``declared``, the document.xml's size in the local header and the central directory is
    rewritten to that lie, with the checksum of its first ``declared`` bytes, as a hostile file
    would: zipfile then finds nothing wrong, but a whole-part read inflates far more first.
    """
    good = make_docx("Bomb", [("Section", "Text.")])
    piece = b"a" * (1 << 20)
    with (
        zipfile.ZipFile(io.BytesIO(good)) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in original.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info.filename, original.read(info))
        with bomb.open("word/document.xml", "w", force_zip64=unpacked >= 1 << 32) as xml:
            xml.write(_BODY_HEAD)
            left = unpacked - len(_BODY_HEAD) - len(_BODY_TAIL)
            while left > 0:
                xml.write(piece[: min(left, len(piece))])
                left -= len(piece)
            xml.write(_BODY_TAIL)
    if declared is not None:
        lie_about_size(path, "word/document.xml", declared)
    return path.stat().st_size


def lie_about_size(path: Path, member: str, declared: int) -> None:
    """Overwrite the bomb's document.xml size in both of its zip headers (32-bit entries), and
    its CRC-32 with that of its first ``declared`` bytes."""
    with zipfile.ZipFile(path) as package:
        local = package.getinfo(member).header_offset
    prefix = (_BODY_HEAD + b"a" * declared)[:declared]
    crc = struct.pack("<I", zlib.crc32(prefix))
    data = bytearray(path.read_bytes())
    # Local file header: the CRC-32 is at offset 14, the uncompressed size at 22.
    data[local + 14 : local + 18] = crc
    data[local + 22 : local + 26] = struct.pack("<I", declared)
    # Central directory header: the entry whose local-header offset is ours; CRC at 16, size 24.
    central = data.find(b"PK\x01\x02")
    while central != -1 and struct.unpack_from("<I", data, central + 42)[0] != local:
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 16 : central + 20] = crc
    data[central + 24 : central + 28] = struct.pack("<I", declared)
    path.write_bytes(bytes(data))
