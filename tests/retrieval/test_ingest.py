"""Incremental ingest with the real model and an embedded Chroma: skip, replace, survive failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from made_files import make_pdf

from retrieval import loaders
from retrieval.chunking import Chunk
from retrieval.errors import DocumentError
from retrieval.service import DocumentLibrary, QAService, SearchIndex
from retrieval.stores import EmbeddedChromaStore


def first_index_chunks(tmp_path: Path) -> list[Chunk]:
    return [c for c in SearchIndex(index_dir=tmp_path / "index").retriever.chunks()]


def _service(tmp_path: Path, corpus: Path) -> DocumentLibrary:
    return DocumentLibrary(SearchIndex(index_dir=tmp_path / "index"), bundled_dir=corpus)


def test_unchanged_documents_cost_no_embedding(
    tmp_path: Path, small_corpus: Path, e5_embedded: list[int]
) -> None:
    first = _service(tmp_path, small_corpus).ingest()
    assert sorted(first.added) == ["gardens", "rumours"]
    # Every passage is embedded, and every section once more as a whole.
    sections = {c.section_key for c in first_index_chunks(tmp_path)}
    assert first.chunks_added + len(sections) == sum(e5_embedded) > 0

    e5_embedded.clear()
    again = _service(tmp_path, small_corpus).ingest()  # a new process-like service, same index
    assert sorted(again.unchanged) == ["gardens", "rumours"]
    assert again.added == again.updated == []
    assert again.chunks_added == 0 and e5_embedded == []


def test_a_new_way_of_reading_documents_re_reads_an_existing_index(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _service(tmp_path, small_corpus).ingest()
    monkeypatch.setattr(loaders, "READING_VERSION", loaders.READING_VERSION + "-next")
    again = _service(tmp_path, small_corpus).ingest()
    assert sorted(again.updated) == ["gardens", "rumours"] and again.unchanged == []
    hashes = {c.doc_hash for c in first_index_chunks(tmp_path)}
    assert hashes == {loaders.content_hash(p.read_bytes()) for p in small_corpus.iterdir()}


def test_a_restart_re_reads_stale_bundled_documents_but_not_removed_ones(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = _service(tmp_path, small_corpus)
    library.ensure_index()
    library.remove("gardens")
    monkeypatch.setattr(loaders, "READING_VERSION", loaders.READING_VERSION + "-next")
    _service(tmp_path, small_corpus).ensure_index()  # the next start, after a new release
    hashes = {c.doc_id: c.doc_hash for c in first_index_chunks(tmp_path)}
    assert hashes == {"rumours": loaders.content_hash((small_corpus / "rumours.md").read_bytes())}


def test_changed_document_replaces_its_chunks(
    tmp_path: Path, small_corpus: Path, e5_embedded: list[int]
) -> None:
    service = _service(tmp_path, small_corpus)
    service.ingest()
    before = {d.doc_id: d.chunks for d in service.documents()}

    path = small_corpus / "gardens.md"
    path.write_text(
        path.read_text().replace("plot of municipal land", "rooftop plot")
        + "\n## Watering\n\nVolunteers share a rota for watering in summer.\n",
        encoding="utf-8",
    )
    e5_embedded.clear()
    report = service.ingest()
    assert report.updated == ["gardens"] and report.unchanged == ["rumours"]
    # Only the edited unit and its section's summary, and the new section's unit and summary
    # are embedded; nothing else is.
    assert sum(e5_embedded) == 4

    chunks = service.retriever.chunks()
    gardens = [c for c in chunks if c.doc_id == "gardens"]
    units = [c for c in gardens if not c.is_section]
    assert len(units) == before["gardens"] + 1  # replaced, plus the new section: no duplicates
    assert len({c.doc_hash for c in gardens}) == 1
    assert sum("rooftop plot" in c.text for c in gardens if not c.is_section) == 1
    top = QAService(service.index).search("rooftop plot for a garden", k=1)[0]
    assert top.doc_id == "gardens" and "rooftop" in top.text


def test_failed_ingest_leaves_the_previous_index_serving(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(tmp_path, small_corpus)
    service.ingest()
    count = len(service.retriever.chunks())
    (small_corpus / "gardens.md").write_text("---\ntitle: G\n---\n\n## New\n\nNew garden text.\n")

    written: list[int] = []
    original_add = EmbeddedChromaStore.add

    def add_then_fail(self: EmbeddedChromaStore, chunks, vectors) -> None:
        original_add(self, chunks, vectors)  # the new chunks land, then the write "crashes"
        written.append(len(chunks))
        raise OSError("disk full")

    monkeypatch.setattr(EmbeddedChromaStore, "add", add_then_fail)
    with pytest.raises(OSError):
        service.ingest()
    monkeypatch.undo()

    assert written  # the failure happened after a partial write
    reopened = _service(tmp_path, small_corpus)
    assert len(reopened.retriever.chunks()) == count
    assert (
        QAService(reopened.index).search("municipal land water access", k=1)[0].doc_id == "gardens"
    )
    assert (
        "municipal land"
        in QAService(reopened.index).search("municipal land water access", k=1)[0].text
    )


def test_broken_file_is_reported_and_the_rest_ingested(tmp_path: Path, small_corpus: Path) -> None:
    (small_corpus / "scan.pdf").write_bytes(make_pdf([""]))
    report = _service(tmp_path, small_corpus).ingest()
    assert sorted(report.added) == ["gardens", "rumours"]
    assert [name for name, _ in report.errors] == ["scan.pdf"]
    assert "no text layer" in report.errors[0][1]


def test_ingest_file_limits_and_remove(tmp_path: Path, small_corpus: Path) -> None:
    service = _service(tmp_path, small_corpus)
    pdf = tmp_path / "Welcome Plan.pdf"
    pdf.write_bytes(make_pdf(["Newcomers receive a welcome pack in twelve languages."] * 3))

    with pytest.raises(DocumentError, match="larger than"):
        service.ingest_file(pdf, max_bytes=100, max_pages=10)
    with pytest.raises(DocumentError, match="more than 2 pages"):
        service.ingest_file(pdf, max_bytes=10_000_000, max_pages=2)
    assert service.documents() == []  # refusals change nothing

    report = service.ingest_file(pdf, max_bytes=10_000_000, max_pages=10)
    assert report.added == ["welcome-plan"] and report.pages == 3
    info = {d.doc_id: d for d in service.documents()}["welcome-plan"]
    assert info.pages == 3 and info.chunks == report.chunks_added
    assert QAService(service.index).search("welcome pack languages", k=1)[0].page in {1, 2, 3}

    assert service.remove("welcome-plan") == info.chunks
    assert service.documents() == []
    assert service.remove("welcome-plan") == 0
