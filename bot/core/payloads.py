"""Callback payloads: short, versioned strings the core writes on its buttons and reads back.

A payload is ``<kind><version>:<field>:<field>...`` (e.g. ``sc1:42:7:o:2``), at most 64 bytes
(Telegram's limit). It is never trusted: `parse` only checks the shape, and each flow checks
the fields against the database (owner, run, current step) before changing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import InvalidInput

_FIELD = re.compile(r"^[A-Za-z0-9_.\-]{1,48}$")
_KIND = re.compile(r"^[a-z]{1,8}[0-9]$")
MAX_BYTES = 64


@dataclass(frozen=True, slots=True)
class Payload:
    """A parsed payload: its kind (with version) and its fields, all still unvalidated."""

    kind: str
    fields: tuple[str, ...]

    def int_field(self, index: int) -> int:
        """Field ``index`` as a non-negative int, or `InvalidInput`."""
        try:
            value = self.fields[index]
        except IndexError:
            raise InvalidInput("missing payload field") from None
        if not value.isdigit() or len(value) > 12:
            raise InvalidInput("not a number")
        return int(value)

    def field(self, index: int) -> str:
        """Field ``index`` as text, or `InvalidInput`."""
        try:
            return self.fields[index]
        except IndexError:
            raise InvalidInput("missing payload field") from None


def make(kind: str, *fields: object) -> str:
    """Build a payload; raises ValueError on a field the format cannot carry (a bug)."""
    if not _KIND.match(kind):
        raise ValueError(f"bad payload kind {kind!r}")
    parts = [str(f) for f in fields]
    for part in parts:
        if not _FIELD.match(part):
            raise ValueError(f"bad payload field {part!r}")
    data = ":".join([kind, *parts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"payload over {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str) -> Payload:
    """Split a payload into kind and fields; `InvalidInput` if it is not one of ours."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        raise InvalidInput("payload size")
    kind, *fields = data.split(":")
    if not _KIND.match(kind) or not all(_FIELD.match(f) for f in fields):
        raise InvalidInput("payload shape")
    return Payload(kind, tuple(fields))
