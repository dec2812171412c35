"""Storage fixtures: a migrated engine on SQLite and on PostgreSQL (via `database_url`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from bot.storage.db import make_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A fresh database with the schema at head."""
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()
