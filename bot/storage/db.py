"""The database engine: created once per process, schema migrated to head before first use.

SQLite is the default (one file in the data dir) and PostgreSQL the scale-out path; the same
code runs on both. Alembic owns the schema on both, so upgrading a deployed database keeps its
data. Write transactions on SQLite start with ``BEGIN IMMEDIATE``: two threads that both read
and then write would otherwise deadlock on the lock upgrade instead of waiting their turn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: Execution option marking a connection whose transaction will write.
WRITE_OPTION = "icc_write"
#: Any constant: replicas starting together take turns migrating (pg_advisory_xact_lock).
_MIGRATION_LOCK_KEY = 7_415_002_311


def make_engine(url: str, *, migrate: bool = True) -> Engine:
    """An engine for ``url`` (sqlite:///path or postgresql+psycopg://...), schema at head."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=True
        )
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if migrate:
        upgrade(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL (readers never wait for the writer), foreign keys, and explicit BEGINs we control."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's implicit handling.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration, built in code so no alembic.ini has to ship."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``, one replica at a time, in one transaction."""
    cfg = alembic_config()
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    log.debug("database schema at %s", revision)


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session committed when the block ends and rolled back if it raises.

    ``write=True`` takes SQLite's write lock at BEGIN so the read-modify-write inside the block
    is serialised with other writers; on PostgreSQL it changes nothing.
    """
    with Session(engine, expire_on_commit=False) as session:
        if write:
            # The option is our own name, read back by the BEGIN listener above; SQLAlchemy
            # types execution_options as a TypedDict of its own keys.
            session.connection(execution_options={WRITE_OPTION: True})  # type: ignore[misc]
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
