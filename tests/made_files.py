"""Real document files made on the fly, for every test that loads, ingests or uploads one."""

from __future__ import annotations

import io


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
