"""One incoming event being handled: who sent it, in which language, and its database access.

Every write goes through `Turn.write`, which records the transport's event id in the same
transaction as the effect. An update whose effect never committed (a crash, a kill -9) is
applied when redelivered; one whose effect did commit is replayed: its turn has ``replay`` set,
and any write raises `AlreadyApplied` before touching the database, so the flows can only read
and the assistant shows the state the first delivery left (`bot.core.redelivery`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from bot.core.city_data import current_cities
from bot.core.messages import Incoming
from bot.core.texts import Safe, answer_t, counted, t
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import User

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.services import Services
    from scoring.cities import CityData

T = TypeVar("T")

#: How often a write that lost an optimistic race is re-read and retried.
MAX_ATTEMPTS = 4


class DuplicateEvent(Exception):
    """This transport event was already applied (by this or another replica)."""


class AlreadyApplied(Exception):
    """A replayed (redelivered, already applied) event tried to write: nothing was written."""


@dataclass
class Turn:
    """The context every flow function receives."""

    services: Services
    incoming: Incoming
    user: User
    #: A redelivered event whose effect is already stored: reads only, writes refused.
    replay: bool = False
    _event_recorded: bool = False

    @property
    def lang(self) -> str:
        """The user's chosen language."""
        return self.user.language

    @property
    def user_id(self) -> int:
        """The sender's transport user id."""
        return self.incoming.user_id

    @cached_property
    def cities(self) -> CityData:
        """The city data with the secretariat's imported scores applied (read once per turn)."""
        return current_cities(self.services)

    def t(self, key: str, **values: Any) -> Safe:
        """A text in the user's language (values escaped)."""
        return t(self.lang, key, **values)

    def answer_t(self, asked_in: str, key: str, **values: Any) -> Safe:
        """A text of the reply to a question asked in ``asked_in`` (see `answer_t`)."""
        return answer_t(self.lang, asked_in, key, **values)

    def counted(self, key: str, n: int) -> Safe:
        """``n`` and its noun in the user's language, singular or plural (see `counted`)."""
        return counted(self.lang, key, n)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session."""
        with session_scope(self.services.engine) as session:
            yield session

    def ensure_writable(self) -> None:
        """`AlreadyApplied` when the turn is a replay: called before any change, in the
        database or elsewhere (the document index), so a redelivered event changes nothing."""
        if self.replay:
            raise AlreadyApplied(self.incoming.event_id)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction that also records this event; `DuplicateEvent` if it was seen,
        `AlreadyApplied` (before any database access) when the turn is a replay."""
        self.ensure_writable()
        event_id = self.incoming.event_id
        with session_scope(self.services.engine, write=True) as session:
            if (
                event_id
                and not self._event_recorded
                and not repo.claim_event(session, event_id=event_id)
            ):
                raise DuplicateEvent(event_id)
            yield session
        if event_id:
            self._event_recorded = True

    def write_retrying(self, change: Callable[[Session], T]) -> T:
        """Run ``change`` in a write transaction, again from a fresh read if it hits `Conflict`.

        ``change`` must re-read what it depends on, so a retry decides on the current state.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self.write() as session:
                    return change(session)
            except repo.Conflict:
                if attempt == MAX_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def mark_event_done(self) -> None:
        """Record the event if no write did (so a redelivered read-only command is dropped)."""
        if self.incoming.event_id and not self._event_recorded and not self.replay:
            with self.write():
                pass
