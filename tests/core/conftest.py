"""Core fixtures: an Assistant on a real database (SQLite and PostgreSQL), the real Index model,
city data, embedding model and bundled index, and a `Chat` that talks to it like a transport.

The heavy parts (embedding model, index, Index model, city data) are built once per session and
shared by every test's `Services`; the database is fresh for each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from core_helpers import Chat, make_services

from bot.core.assistant import Assistant
from bot.services import Services, build_assistant


@pytest.fixture(scope="session")
def shared_parts() -> dict[str, Any]:
    """The read-only Index model and city data, loaded once."""
    from scoring.cities import load_city_data
    from scoring.model import load_index_model

    return {"index_model": load_index_model(), "cities": load_city_data()}


@pytest.fixture(scope="session")
def bundled_retrieval(bundled_index_dir: Path) -> Any:
    """Questions and documents over the bundled corpus with the real model, built once."""
    from retrieval.service import build_retrieval

    return build_retrieval(index_dir=bundled_index_dir, chroma_url=None, llm=None)


@pytest.fixture
def with_index(services: Services, bundled_retrieval: Any) -> None:
    """Give this test's services the bundled index (tests that ask or finish a self-check)."""
    services.__dict__["retrieval"] = bundled_retrieval


@pytest.fixture
def services(database_url: str, tmp_path: Path, shared_parts: dict[str, Any]) -> Iterator[Services]:
    """Services for one test on SQLite or PostgreSQL."""
    services = make_services(database_url, tmp_path, shared_parts)
    yield services
    services.engine.dispose()


@pytest.fixture
def assistant(services: Services) -> Assistant:
    """The core as every transport gets it (bot.services.build_assistant)."""
    return build_assistant(services)


@pytest.fixture
def chat(assistant: Assistant) -> Chat:
    return Chat(assistant)
