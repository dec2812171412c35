"""Fixtures shared by the whole suite: offline guards, databases, the indexed bundled corpus.

Package-specific fixtures live in ``tests/<package>/conftest.py``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Nothing may download: the model ships in a package, chromadb's default embedder must never run.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
# The tests never read a developer's `.env`.
for _key in [k for k in os.environ if k.startswith(("ICC_", "TELEGRAM_"))] + [
    "DATABASE_URL",
    "CHROMA_URL",
]:
    os.environ.pop(_key, None)

#: The PostgreSQL server every machine of this project runs (trust auth, database `test`).
POSTGRES_ADMIN_URL = os.environ.get(
    "ICC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(POSTGRES_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards.

    CI runs on machines where PostgreSQL always runs, so its absence is a failure, not a skip.
    """
    import psycopg

    if not _postgres_available():
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    name = f"icc_test_{uuid.uuid4().hex[:12]}"
    admin = POSTGRES_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs twice: on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'assistant.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def bundled_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus, ingested once per test session with the real model (read-only use).

    Tests that change the index copy it first (see `index_dir`).
    """
    from retrieval.service import build_retrieval

    path = tmp_path_factory.mktemp("bundled-index")
    build_retrieval(index_dir=path, chroma_url=None, llm=None).library.ensure_index()
    return path


@pytest.fixture
def index_dir(bundled_index_dir: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the bundled index for one test."""
    import shutil

    target = tmp_path / "index"
    shutil.copytree(bundled_index_dir, target)
    return target


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run` from the installed package) on a free loopback port,
    stopped when the session ends. Tests sharing it use their own collection prefix when they
    write, or only read the bundled corpus (see `indexed_chroma_server`)."""
    from retrieval.chroma_server import local_chroma_server

    try:
        with local_chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def indexed_chroma_server(chroma_server: str, bundled_index_dir: Path) -> str:
    """The Chroma server holding the bundled corpus in the default collections (read-only use).

    The chunks and vectors are copied from the session's embedded index rather than embedded
    again (90 s of CPU on the server path), so both backends serve byte-identical vectors and
    any difference a test finds is the backend's.
    """
    from retrieval.service import DEFAULT_EMBEDDERS
    from retrieval.stores import open_store

    source = open_store(bundled_index_dir, None, DEFAULT_EMBEDDERS)
    target = open_store(bundled_index_dir, chroma_server, DEFAULT_EMBEDDERS)
    if target.count() == 0:
        source.copy_to(target)
    assert target.count() == source.count() > 0
    return chroma_server
