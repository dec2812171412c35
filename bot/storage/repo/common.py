"""What every storage module shares: the error a lost race raises, and the dialect's INSERT.

Kept apart so that each section imports the same two things from one place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


class Conflict(Exception):
    """Someone else changed the row first (another replica, a double tap): re-read and decide."""


def changed_rows(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and return how many rows it changed."""
    result = session.execute(statement)
    if not isinstance(result, CursorResult):  # every DML statement returns one
        raise TypeError("changed_rows takes an UPDATE or DELETE statement")
    return result.rowcount


def _insert(session: Session, table: type) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
