"""Core fixtures: an Assistant on a real database (SQLite and PostgreSQL), the real Index model,
city data, embedding model and bundled index, and a `Chat` that talks to it like a transport.

The heavy parts (embedding model, index, Index model, city data) are built once per session and
shared by every test's `Services`; the database is fresh for each test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings
from bot.core.assistant import Assistant
from bot.core.messages import Incoming, Reply
from bot.services import Services


@pytest.fixture(scope="session")
def shared_parts() -> dict[str, Any]:
    """The read-only Index model and city data, loaded once."""
    from scoring.cities import load_city_data
    from scoring.model import load_index_model

    return {"index_model": load_index_model(), "cities": load_city_data()}


@pytest.fixture(scope="session")
def bundled_qa(bundled_index_dir: Path) -> Any:
    """Question answering over the bundled corpus with the real model, built once."""
    from retrieval.service import build_qa_service

    return build_qa_service(index_dir=bundled_index_dir, chroma_url=None, llm=None)


@pytest.fixture
def with_index(services: Services, bundled_qa: Any) -> None:
    """Give this test's services the bundled index (tests that ask or finish a self-check)."""
    services.__dict__["qa"] = bundled_qa


def make_services(
    database_url: str, data_dir: Path, shared: dict[str, Any], **settings: Any
) -> Services:
    """Services on this database, reusing the shared heavy parts (cached_property slots)."""
    services = Services(load_settings(icc_data_dir=data_dir, database_url=database_url, **settings))
    services.__dict__.update(shared)
    return services


@pytest.fixture
def services(database_url: str, tmp_path: Path, shared_parts: dict[str, Any]) -> Iterator[Services]:
    """Services for one test on SQLite or PostgreSQL."""
    services = make_services(database_url, tmp_path, shared_parts)
    yield services
    services.engine.dispose()


@pytest.fixture
def assistant(services: Services) -> Assistant:
    return Assistant(services)


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


@pytest.fixture
def chat(assistant: Assistant) -> Chat:
    return Chat(assistant)
