"""One contract, both Chroma modes: embedded PersistentClient and a real `chroma run` server."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from retrieval import stores
from retrieval.service import DocumentLibrary, QAService, SearchIndex


@pytest.fixture(params=["embedded", "server"])
def chroma_url(request: pytest.FixtureRequest) -> str | None:
    """None for the embedded client; the URL of a live Chroma server otherwise."""
    if request.param == "embedded":
        return None
    return str(request.getfixturevalue("chroma_server"))


def test_index_is_shared_through_the_store(
    chroma_url: str | None, small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    index_dir = tmp_path / "index"

    # Own collections per test: the server outlives a test (it is shared by the session).
    def replica() -> tuple[QAService, DocumentLibrary]:
        index = SearchIndex(index_dir=index_dir, chroma_url=chroma_url, collection_prefix=prefix)
        return QAService(index), DocumentLibrary(index, bundled_dir=small_corpus)

    writer_qa, writer = replica()
    report = writer.ingest()
    assert sorted(report.added) == ["gardens", "rumours"]

    # A second service (another replica) sees the same chunks and rebuilds BM25 from them.
    reader_qa, reader = replica()
    assert {d.doc_id for d in reader.documents()} == {"gardens", "rumours"}
    hits = reader.retriever.search("anti-rumour agents training", 3, methods=["bm25"]).hits
    assert hits[0].chunk.doc_id == "rumours" and hits[0].chunk.section == "Training agents"
    answer = reader_qa.ask("What does the training of anti-rumour agents cover?")
    assert answer.answered and answer.sources[0].section == "Training agents"
    assert "[1]" in answer.answer

    assert reader.ingest().unchanged == ["gardens", "rumours"]

    # What one replica changes, the other notices through the store's version: at once on
    # the embedded store, within VERSION_TTL seconds on a server.
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "libraries.md").write_text(
        "---\ntitle: Libraries\n---\n\n## Opening hours\n\nThe multilingual library"
        " opens on Sundays for families learning the local language together.\n"
    )
    assert reader.ingest([extra]).added == ["libraries"]
    monkeypatch.setattr(stores, "VERSION_TTL", 0.0)
    found = writer_qa.search("multilingual library open on Sundays for families", k=1)
    assert found[0].doc_id == "libraries"

    assert reader.remove("gardens") > 0
    writer_qa.search("community garden", k=1)
    assert [d.doc_id for d in writer.documents()] == ["libraries", "rumours"]
