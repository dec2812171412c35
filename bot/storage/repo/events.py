"""Processed events: transport event ids already applied, so a redelivery is not applied twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col

from bot.storage.models import ProcessedEvent, utcnow
from bot.storage.repo.common import _insert, changed_rows


def event_processed(session: Session, *, event_id: str) -> bool:
    """Whether this transport event was already applied."""
    return session.get(ProcessedEvent, event_id) is not None


def claim_event(session: Session, *, event_id: str) -> bool:
    """Record the event in the current transaction; False if it was already recorded.

    Done in the same transaction as the event's effect, so the effect and the record commit or
    vanish together: a crash in between makes the redelivery apply it, never skip it.
    """
    stmt = (
        _insert(session, ProcessedEvent)
        .values(event_id=event_id, processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProcessedEvent.event_id)
    )
    return session.execute(stmt).first() is not None


def forget_events_before(session: Session, *, before: datetime) -> int:
    """Drop old event ids (transports redeliver within minutes, not months)."""
    stmt = delete(ProcessedEvent).where(col(ProcessedEvent.processed_at) < before)
    return changed_rows(session, stmt)
