"""Callback payloads: short, versioned strings the core writes on its buttons and reads back.

A payload is ``<kind><version>:<field>:<field>...`` (e.g. ``sc1:42:7:o:2``), at most 64 bytes
(Telegram's limit). It is never trusted: `parse` only checks the shape, and each flow checks
the fields against the database (owner, run, current step) before changing anything.

The kinds are `ButtonKind`; the letters inside a kind are the flows' actions
(`bot.core.actions`). Both are the wire format of buttons already sitting in users' chats, so a
value never changes: a new meaning gets a new version of the kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from bot.core.errors import InvalidInput

_FIELD = re.compile(r"^[A-Za-z0-9_.\-]{1,48}$")
_KIND = re.compile(r"^[a-z]{1,8}[0-9]$")
MAX_BYTES = 64

Choice = TypeVar("Choice", bound=StrEnum)


class ButtonKind(StrEnum):
    """Every payload kind the core writes, with its version: the dispatcher routes a press by it.

    The comment after each kind is its payload's shape (the actions are in `bot.core.actions`).
    """

    #: ``city1:<CityChoice>``
    CITY = "city1"
    #: ``lang1:<language code>``
    LANGUAGE = "lang1"
    #: ``qa1:<QuestionAction>:<question id>[:<helpful 1|0 or reason>]``
    QUESTION = "qa1"
    #: ``scs1:<ScopeChoice>[:<area id>]``
    SELFCHECK_SCOPE = "scs1"
    #: ``scr1:<ResumeAction>:<run id>``
    SELFCHECK_RESUME = "scr1"
    #: ``sc1:<run id>:<position>:<StepAction>[:<option index>]``
    SELFCHECK_STEP = "sc1"
    #: ``mnt1:<area id>``
    MENTORS = "mnt1"
    #: ``vis1:<draft token>:<VisitStep>:<value>``, or ``vis1:s:<area id>`` to start a draft.
    VISIT = "vis1"
    #: ``visit1:<run id>:<area id>``: "Request a study visit" under a self-check's results.
    VISIT_FROM_RESULTS = "visit1"
    #: ``adm1:<request id>:<new status | show>``
    ADMIN = "adm1"
    #: ``cns1:<Consent>:<1|0>``
    CONSENT = "cns1"
    #: ``fgt1:<user id>:<Confirmation>``
    FORGET = "fgt1"


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

    def choice(self, index: int, options: type[Choice]) -> Choice:
        """Field ``index`` as one of ``options`` (a flow's actions), or `InvalidInput`."""
        value = self.field(index)
        try:
            return options(value)
        except ValueError:
            raise InvalidInput(f"unknown {options.__name__} {value!r}") from None


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
