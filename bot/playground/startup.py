"""What the playground checks before it serves anyone: the database is not a real one.

The playground reads the same settings (and `.env`) as the real bot, so `make run` without a
token could otherwise open the page on the production database, where a visitor could read or
erase real officers' data through the bot's own commands. Playground users have ids in a range
Telegram never hands out (`bot.playground.sessions`), so a real user is simply a user row
outside that range; a database holding any refuses to serve the playground unless the person
starting it says so.

The check only reads: it never creates a SQLite file or migrates a schema, so pointing the
playground at the wrong database by mistake leaves that database as it was.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from bot.core.errors import UserFacingError
from bot.playground.sessions import PLAYGROUND_ID_END, PLAYGROUND_ID_START
from bot.storage.db import make_engine
from bot.storage.models import User


class RealUsersFound(UserFacingError):
    """The database holds users the playground did not create."""

    def __init__(self, where: str, count: int) -> None:
        super().__init__(
            f"the database at {where} holds {count} user(s) who are not playground users "
            "(real Telegram users, or users of a playground older than this check); the "
            "playground lets anyone in the browser use the bot, so it will not serve on it: "
            "point ICC_DATA_DIR or DATABASE_URL at a demo database, or pass --allow-real-users "
            "if this database is a demo"
        )
        self.where, self.count = where, count


def real_users(database_url: str) -> int:
    """How many user rows of the database lie outside the playground's id range."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = url.database
        if not path or path == ":memory:" or not Path(path).exists():
            return 0  # nothing there yet: the playground will create it
    engine = make_engine(database_url, migrate=False)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(User.__tablename__):
                return 0
            user_id = col(User.id)
            outside = or_(user_id < PLAYGROUND_ID_START, user_id >= PLAYGROUND_ID_END)
            count = conn.execute(select(func.count()).select_from(User).where(outside)).scalar()
            return int(count or 0)
    except SQLAlchemyError as exc:
        raise UserFacingError(
            f"cannot check the database at {describe(database_url)}: {type(exc).__name__}"
        ) from None
    finally:
        engine.dispose()


def refuse_real_users(database_url: str) -> None:
    """Raise `RealUsersFound` when the database holds any user outside the playground's range."""
    count = real_users(database_url)
    if count:
        raise RealUsersFound(describe(database_url), count)


def describe(database_url: str) -> str:
    """The database's URL without its password, for a message a person reads."""
    return make_url(database_url).render_as_string(hide_password=True)
