"""End-to-end fixtures: the real bot (PTB HTTP stack, the core, SQLite, Chroma, the embedding
model) against the Bot API stand-in on loopback. Only Telegram's servers are stood in for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.playground.server import StandIn
from bot.services import Services, build_services
from bot.tg.app import build_application, polling

#: Any token works with the stand-in; this one is checked for in the logs.
TOKEN = "424242:E2E-token"


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as server:
        yield server


@pytest.fixture
def settings(standin: StandIn, index_dir: Path) -> Settings:
    """A data dir holding a private copy of the bundled index (``index_dir`` is data/index)."""
    return load_settings(
        icc_data_dir=index_dir.parent,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
    )


@pytest.fixture
def services(settings: Settings) -> Services:
    return build_services(settings)


@pytest.fixture
async def bot(settings: Settings, services: Services) -> AsyncIterator[object]:
    """The real application polling the stand-in for the length of one test."""
    application = build_application(settings, services, retry_backoff=0.01)
    async with polling(application):
        yield application
