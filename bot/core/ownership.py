"""One refusal for every button that points at a stored object: it must exist and be yours.

A payload is never trusted (bot.core.payloads): a forged or outdated id finds nothing, and
someone else's id must not reach their data. Each flow loads the object its own way (some
inside a locking write), then passes it through `owned`, so every flow refuses alike:
`InvalidInput` when nothing was found, `NotAllowed` when it is someone else's.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from bot.core.errors import InvalidInput, NotAllowed


class Owned(Protocol):
    """A stored object that belongs to a user (None once they were forgotten)."""

    @property
    def user_id(self) -> int | None: ...


Found = TypeVar("Found", bound=Owned)


def owned(found: Found | None, *, by: int, what: str) -> Found:
    """``found`` if it exists and belongs to user ``by``; ``what`` names it in the log."""
    if found is None:
        raise InvalidInput(f"no such {what}")
    if found.user_id != by:
        raise NotAllowed(f"someone else's {what}")
    return found
