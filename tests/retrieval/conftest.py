"""Fixtures for the retrieval tests: small documents made on the fly.

The Chroma server fixture (`chroma_server`) is shared, in tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from retrieval_helpers import write_docs


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A folder with two short Markdown documents (fast to embed with the real model)."""
    return write_docs(tmp_path / "docs")
