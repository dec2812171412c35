"""Fixtures for the retrieval tests: small documents made on the fly, and the QA service over
the bundled index.

The Chroma server fixture (`chroma_server`) is shared, in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from retrieval_helpers import write_docs

from retrieval.embedders import E5Embedder
from retrieval.service import QAService, build_qa_service


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A folder with two short Markdown documents (fast to embed with the real model)."""
    return write_docs(tmp_path / "docs")


@pytest.fixture
def e5_embedded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts passages the real e5 model embeds (it still does the work)."""
    counts: list[int] = []
    original = E5Embedder.embed_passages

    def counting(self: E5Embedder, texts: Sequence[str]) -> np.ndarray:
        counts.append(len(texts))
        return original(self, texts)

    monkeypatch.setattr(E5Embedder, "embed_passages", counting)
    return counts


@pytest.fixture(scope="module")
def qa(bundled_index_dir: Path) -> QAService:
    """The QA service over the bundled corpus's index, as the bot builds it (no LLM)."""
    return build_qa_service(index_dir=bundled_index_dir, chroma_url=None, llm=None)
