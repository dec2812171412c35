"""Checks on what users type, before anything else reads it.

Telegram caps messages at 4096 characters, but other transports (the playground, the CLI) do
not, and a pasted PDF or a stray binary blob should get a kind word, not a trip through the
embedding model.

`clean` runs first, at each transport's boundary, on everything a user controls (text, names,
file names): a NUL byte makes PostgreSQL refuse the whole row (and so every later update of
that person), and a lone surrogate cannot be encoded for SQLite or the network at all.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

#: Longest text accepted as a question or an answer.
MAX_TEXT_CHARS = 4000
#: Share of unreadable characters above which a text is "binary-looking".
_BINARY_SHARE = 0.10


#: C0 controls and DEL, except tab and newline (a carriage return becomes a newline first).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
#: A surrogate code point: a str decoded from JSON holds one only when it was left unpaired.
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` safe to store and send: control characters other than newline and tab removed,
    each lone surrogate replaced by U+FFFD (which `check_text` counts as unreadable)."""
    if text.isprintable():  # the common case, checked in C
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))


def clean_optional(text: str | None) -> str | None:
    """`clean` for a value that may be absent (a username, a caption)."""
    return None if text is None else clean(text)


class TextProblem(StrEnum):
    """Why a text was refused (each has a polite message key ``bad_<value>``)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL = "control"
    BINARY = "binary"


def check_text(text: str) -> TextProblem | None:
    """What is wrong with ``text``, or None if it can be read as a message."""
    stripped = text.strip()
    if not stripped:
        return TextProblem.EMPTY
    if len(text) > MAX_TEXT_CHARS:
        return TextProblem.TOO_LONG
    unreadable = 0
    control = False
    for char in stripped:
        category = unicodedata.category(char)
        if char == "\x00" or char == "\ufffd" or category in ("Co", "Cs", "Cn"):
            unreadable += 1
        elif category == "Cc" and char not in "\n\r\t":
            control = True
    # NUL bytes or many unreadable characters mean binary data; other control codes are odd text.
    if "\x00" in stripped or unreadable / len(stripped) > _BINARY_SHARE:
        return TextProblem.BINARY
    if control:
        return TextProblem.CONTROL
    return None
