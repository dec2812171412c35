"""Helpers for the core tests: services on a test database, and a chat that talks to the core
like a transport does."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.core.assistant import Assistant
from bot.core.messages import Incoming, Reply
from bot.services import Services


def make_services(
    database_url: str, data_dir: Path, shared: dict[str, Any], **settings: Any
) -> Services:
    """Services on this database, reusing the shared heavy parts (cached_property slots)."""
    services = Services(load_settings(icc_data_dir=data_dir, database_url=database_url, **settings))
    services.__dict__.update(shared)
    return services


#: The HTML subset transports accept (bot.core.messages), with the attributes each may carry.
ALLOWED_TAGS = {"b": set(), "i": set(), "code": set(), "blockquote": set(), "a": {"href"}}


class _SubsetChecker(HTMLParser):
    """Fails on any tag outside the subset, a stray attribute, or unbalanced nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> outside the subset"
        assert {name for name, _ in attrs} <= ALLOWED_TAGS[tag], (tag, attrs)
        if tag == "a":
            assert dict(attrs)["href"].startswith(("http://", "https://")), attrs
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()


def assert_safe_html(text: str) -> None:
    """The reply text uses only the transports' HTML subset, properly nested."""
    checker = _SubsetChecker()
    checker.feed(text)
    checker.close()
    assert not checker.open, f"unclosed {checker.open} in {text[:200]!r}"


class Chat:
    """One user talking to an Assistant, with fresh event ids like a transport's update ids."""

    _ids = itertools.count(1)

    def __init__(self, assistant: Assistant, user_id: int = 100, language: str = "en") -> None:
        self.assistant = assistant
        self.user_id = user_id
        self.language = language

    def incoming(
        self, *, text: str | None = None, callback: str | None = None, event_id: str | None = None
    ) -> Incoming:
        return Incoming(
            user_id=self.user_id,
            chat_id=self.user_id,
            text=text,
            callback=callback,
            language_code=self.language,
            display_name="Officer",
            event_id=event_id or f"ev-{next(self._ids)}",
        )

    def send(self, text: str, **kw: Any) -> list[Reply]:
        return self._checked(self.assistant.handle(self.incoming(text=text, **kw)))

    def press(self, data: str, **kw: Any) -> list[Reply]:
        return self._checked(self.assistant.handle(self.incoming(callback=data, **kw)))

    @staticmethod
    def _checked(replies: list[Reply]) -> list[Reply]:
        """Every reply of every test is checked to be valid markup in the allowed subset."""
        for reply in replies:
            assert_safe_html(reply.text)
        return replies


def buttons(reply: Reply) -> dict[str, str]:
    """Label -> payload of a reply's callback buttons."""
    return {b.label: b.data for row in reply.buttons for b in row if b.data}


def button(reply: Reply, prefix: str) -> str:
    """The payload of the first button whose label starts with ``prefix``."""
    for label, data in buttons(reply).items():
        if label.startswith(prefix):
            return data
    raise AssertionError(f"no button {prefix!r} in {list(buttons(reply))}")
