"""Helpers for the core tests: services on a test database, and a chat that talks to the core
like a transport does."""

from __future__ import annotations

import itertools
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
        return self.assistant.handle(self.incoming(text=text, **kw))

    def press(self, data: str, **kw: Any) -> list[Reply]:
        return self.assistant.handle(self.incoming(callback=data, **kw))


def buttons(reply: Reply) -> dict[str, str]:
    """Label -> payload of a reply's callback buttons."""
    return {b.label: b.data for row in reply.buttons for b in row if b.data}


def button(reply: Reply, prefix: str) -> str:
    """The payload of the first button whose label starts with ``prefix``."""
    for label, data in buttons(reply).items():
        if label.startswith(prefix):
            return data
    raise AssertionError(f"no button {prefix!r} in {list(buttons(reply))}")
