"""Chunks: never cross a heading or page, stay under the size, carry full citation metadata."""

from __future__ import annotations

from pathlib import Path

from made_files import make_pdf

from retrieval.chunking import CHUNK_SIZE, chunk_document, join_units, split_sentences
from retrieval.loaders import load_document
from retrieval.service import BUNDLED_CORPUS


def test_every_bundled_chunk_carries_citation_metadata() -> None:
    for path in sorted(BUNDLED_CORPUS.glob("*.md")):
        if path.name == "README.md":
            continue
        document = load_document(path)
        chunks = chunk_document(document)
        assert chunks, path.name
        assert len({c.chunk_id for c in chunks}) == len(chunks)
        headings = {" › ".join(s.headings) for s in document.sections}
        for chunk in chunks:
            assert chunk.doc_id == path.stem
            assert chunk.title and chunk.short_title
            assert chunk.source_url.startswith(("https://", "http://"))
            assert chunk.language == "en"
            assert chunk.doc_hash == document.content_hash
            assert len(chunk.content_hash) == 16
            assert chunk.section in headings  # a chunk belongs to exactly one section
            assert chunk.is_section or len(chunk.text) <= CHUNK_SIZE
            assert "**" not in chunk.text and not chunk.text.startswith(("- ", "| "))
            assert chunk.page is None
            assert chunk.indexed_text.startswith(chunk.short_title)


def test_about_this_digest_is_never_indexed_and_digests_are_marked() -> None:
    chunks = chunk_document(
        load_document(BUNDLED_CORPUS / "rec-2015-1-intercultural-integration.md")
    )
    assert not any("About this digest" in c.section for c in chunks)
    assert all(c.digest for c in chunks)


def test_a_section_is_rebuilt_from_its_units_with_lists_and_tables_as_lines() -> None:
    document = load_document(BUNDLED_CORPUS / "rec-2015-1-intercultural-integration.md")
    chunks = chunk_document(document)
    facts = [c for c in chunks if c.section == "Key facts at a glance"]
    summary = next(c for c in facts if c.is_section)
    units = [c for c in facts if not c.is_section]
    assert summary.text == join_units(units)
    assert "• Adopted: 21 January 2015 (1217th meeting of the Ministers' Deputies)" in (
        summary.text.splitlines()
    )


def test_long_section_is_split_into_bounded_units_and_pdf_pages_kept(tmp_path: Path) -> None:
    sentence = "Intercultural mediators help residents resolve everyday conflicts. "
    path = tmp_path / "long.pdf"
    path.write_bytes(
        make_pdf([sentence * 40, "A second page about libraries open to every resident."])
    )
    chunks = chunk_document(load_document(path), chunk_size=600)
    first_page = [c for c in chunks if c.page == 1 and not c.is_section]
    assert len(first_page) >= 4
    assert all(len(c.text) <= 600 for c in chunks if not c.is_section)
    assert chunks[-1].page == 2 and "libraries" in chunks[-1].text
    assert all(c.source_url == "" and c.section == "" for c in chunks)


def test_metadata_round_trips_through_the_store_format() -> None:
    document = load_document(BUNDLED_CORPUS / "method-anti-rumours.md")
    chunk = chunk_document(document)[3]
    restored = type(chunk).from_stored(chunk.chunk_id, chunk.text, chunk.metadata())
    assert restored == chunk


def test_abbreviated_paragraph_references_do_not_end_a_sentence() -> None:
    note = "(Source: Resolution 250 (2008), German version, paras. 1–5.)"
    assert split_sentences(f"Sport builds trust (para. 5). {note}") == [
        "Sport builds trust (para. 5).",
        note,
    ]
