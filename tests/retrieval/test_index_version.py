"""The index version: questions ask Chroma nothing while it is unchanged, and see at once what
another process wrote."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from retrieval.service import DocumentLibrary, QAService, SearchIndex

ROOT = Path(__file__).resolve().parents[2]

LIBRARIES = """---
title: Libraries
source_url: https://example.org/libraries
---

## Opening hours

The multilingual library opens on Sundays for families learning the local language together.
"""


class CountingCollection:
    """A Chroma collection that counts every method called on it."""

    def __init__(self, inner: Any, calls: list[str]) -> None:
        self._inner = inner
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if not callable(attribute):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self._calls.append(name)
            return attribute(*args, **kwargs)

        return counted


def test_questions_cost_no_chroma_call_until_another_process_writes(
    small_corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    DocumentLibrary(SearchIndex(index_dir=index_dir), bundled_dir=small_corpus).ingest()

    index = SearchIndex(index_dir=index_dir)
    qa = QAService(index)
    qa.ask("How long does the training of anti-rumour agents last?")  # opens and loads
    calls: list[str] = []
    store: Any = index.store
    store._collections = {n: CountingCollection(c, calls) for n, c in store._collections.items()}

    for question in ("What does a community garden need?", "Who are anti-rumour agents?") * 3:
        assert qa.ask(question).answered
    assert calls == []  # the version file said nothing changed

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "libraries.md").write_text(LIBRARIES, encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from retrieval.service import *;"
        "library = DocumentLibrary(SearchIndex(index_dir=Path(sys.argv[1])),"
        " bundled_dir=Path(sys.argv[2]));"
        "print(library.ingest([Path(sys.argv[3])]).added)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(index_dir), str(small_corpus), str(extra)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "libraries" in done.stdout

    found = qa.search("multilingual library open on Sundays for families", k=1)
    assert found[0].doc_id == "libraries"  # the very next question sees the other process


def test_the_chromadb_internals_reopening_relies_on_are_still_there() -> None:
    # retrieval.stores.reopen_embedded_client reaches into chromadb's client registry; an
    # upgrade that moves it must fail here, not silently serve a stale index.
    from chromadb.api.shared_system_client import SharedSystemClient

    assert isinstance(SharedSystemClient._identifier_to_system, dict)
    assert isinstance(SharedSystemClient._identifier_to_refcount, dict)
    assert "_identifier" in SharedSystemClient.__annotations__


def test_a_version_is_left_by_every_write(small_corpus: Path, tmp_path: Path) -> None:
    index = SearchIndex(index_dir=tmp_path / "index")
    library = DocumentLibrary(index, bundled_dir=small_corpus)
    before = index.store.version()
    library.ingest()
    after_ingest = index.store.version()
    assert after_ingest != before
    library.remove("gardens")
    assert index.store.version() not in (before, after_ingest)


@pytest.mark.parametrize("unchanged", [True, False])
def test_an_unchanged_ingest_leaves_the_version_alone(
    small_corpus: Path, tmp_path: Path, unchanged: bool
) -> None:
    index = SearchIndex(index_dir=tmp_path / "index")
    library = DocumentLibrary(index, bundled_dir=small_corpus)
    library.ingest()
    version = index.store.version()
    if not unchanged:
        (small_corpus / "gardens.md").write_text(LIBRARIES, encoding="utf-8")
    library.ingest()
    assert (index.store.version() == version) is unchanged
