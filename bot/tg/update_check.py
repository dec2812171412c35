"""A webhook delivery checked before PTB sees it: JSON of bounded depth, the fields we read typed.

Only someone holding the webhook secret can post to the webhook, yet a leaked secret, a
misconfigured proxy or a test tool must not be able to make the bot crash on its input: a
deeply nested body makes Python's JSON decoder raise `RecursionError`, and `Update.de_json`
takes any JSON types as they come (a number for a name, a string for an id), so the handlers
would fail later, with a traceback and a 500 that Telegram retries. Here such a body is refused
once, with a short reason for the 400 answer, and nothing of its content is logged.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Telegram's updates nest a few levels (a reply inside a message inside a callback query).
MAX_JSON_DEPTH = 32
#: Ids are 64-bit signed integers in Telegram and in the database.
_INT64 = 2**63

#: A JSON string, escapes included: brackets inside strings do not nest.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class MalformedUpdate(ValueError):
    """The delivery is not an update this bot can read; the message says why (no content)."""


def json_depth_within(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects of ``raw`` nest at most ``limit`` deep (scanned without
    decoding, and stopped as soon as the limit is passed)."""
    depth = 0
    for bracket in _BRACKETS.finditer(_STRING.sub(b"", raw)):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > limit:
            return False
    return True


# A field spec: name -> (the type expected, or a nested spec; whether it is required).
Spec = dict[str, tuple[Any, bool]]

_USER: Spec = {
    "id": (int, True),
    "is_bot": (bool, True),
    "first_name": (str, True),
    "last_name": (str, False),
    "username": (str, False),
    "language_code": (str, False),
}
_CHAT: Spec = {"id": (int, True), "type": (str, True)}
_DOCUMENT: Spec = {
    "file_id": (str, True),
    "file_unique_id": (str, True),
    "file_name": (str, False),
    "mime_type": (str, False),
    "file_size": (int, False),
}
_MESSAGE: Spec = {
    "message_id": (int, True),
    "date": (int, True),
    "chat": (_CHAT, True),
    "from": (_USER, False),
    "text": (str, False),
    "caption": (str, False),
    "document": (_DOCUMENT, False),
}
_CALLBACK_QUERY: Spec = {
    "id": (str, True),
    "from": (_USER, True),
    "chat_instance": (str, True),
    "data": (str, False),
    "message": (_MESSAGE, False),
}
#: The parts of an update the handlers read (other fields are left to PTB, which keeps them).
UPDATE: Spec = {
    "update_id": (int, True),
    "message": (_MESSAGE, False),
    "edited_message": (_MESSAGE, False),
    "callback_query": (_CALLBACK_QUERY, False),
}


def parse_update(raw: bytes) -> dict[str, Any]:
    """The delivery's JSON object, once its depth and the types of the fields we read are
    checked; `MalformedUpdate` otherwise."""
    if not json_depth_within(raw):
        raise MalformedUpdate(f"JSON nested deeper than {MAX_JSON_DEPTH}")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MalformedUpdate(f"not JSON ({type(exc).__name__})") from None
    check_fields(data, UPDATE, "update")
    return dict(data)


def check_fields(value: object, spec: Spec, where: str) -> None:
    """Raise `MalformedUpdate` naming the first field of ``value`` that ``spec`` refuses."""
    if not isinstance(value, dict):
        raise MalformedUpdate(f"{where}: an object was expected")
    for name, (expected, required) in spec.items():
        path = f"{where}.{name}"
        if name not in value:
            if required:
                raise MalformedUpdate(f"{path}: missing")
            continue
        field = value[name]
        if isinstance(expected, dict):
            check_fields(field, expected, path)
        elif not _is(field, expected):
            raise MalformedUpdate(f"{path}: {expected.__name__} expected")


def _is(value: object, expected: type) -> bool:
    """A strict type check: JSON's true is no integer, and an id must fit in 64 bits."""
    if expected is int:
        return type(value) is int and -_INT64 <= value < _INT64
    return type(value) is expected
