"""Errors the retrieval layer raises on purpose, with messages that are safe to show to a user."""

from __future__ import annotations


class DocumentError(ValueError):
    """A document cannot be ingested (empty, scanned, encrypted, broken, too large).

    The message names the file and the reason in plain words, so the bot can show it as is;
    raising it never changes the index.
    """

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason
