"""Users: who wrote to the bot, how to reach them, and their settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from bot.storage.models import User, utcnow
from bot.storage.repo.common import _insert


def get_user(session: Session, *, user_id: int) -> User | None:
    """The user with this transport id, if they ever wrote."""
    return session.get(User, user_id)


def touch_user(
    session: Session,
    *,
    user_id: int,
    chat_id: int,
    language: str,
    display_name: str = "",
    username: str | None = None,
) -> User:
    """Create the user on first contact, else refresh how to reach them; returns the row.

    The language is only set on creation: afterwards it is the user's choice (/language).
    """
    now = utcnow()
    stmt = _insert(session, User).values(
        id=user_id,
        chat_id=chat_id,
        language=language,
        display_name=display_name[:200],
        username=username,
        state="idle",
        state_data={},
        created_at=now,
        seen_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "chat_id": chat_id,
            "display_name": display_name[:200],
            "username": username,
            "seen_at": now,
        },
    )
    session.execute(stmt)
    user = session.get(User, user_id, populate_existing=True)
    assert user is not None
    return user


def update_user(session: Session, *, user_id: int, **fields: Any) -> None:
    """Set some of a user's columns (language, city, country, state, state_data, consents)."""
    allowed = {
        "language",
        "city",
        "country",
        "state",
        "state_data",
        "consent_mentor",
        "consent_share_results",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not user settings: {sorted(unknown)}")
    session.execute(update(User).where(col(User.id) == user_id).values(**fields))
