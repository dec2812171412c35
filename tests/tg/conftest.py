"""Fixtures for the Telegram transport: the stand-in, a scripted core, the real PTB app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from tg_helpers import TOKEN, RunBot, ScriptedCore

from bot.config import load_settings
from bot.playground.server import StandIn
from bot.services import build_services
from bot.tg.app import build_application, polling


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as server:
        yield server


@pytest.fixture
def run_bot(standin: StandIn, tmp_path: Path) -> RunBot:
    """``async with run_bot(core):`` runs the real application, polling the stand-in."""

    @asynccontextmanager
    async def run(
        core: ScriptedCore, *, admin_ids: frozenset[int] = frozenset(), **kwargs: Any
    ) -> AsyncIterator[Any]:
        settings = load_settings(
            telegram_bot_token=TOKEN,
            telegram_api_base_url=standin.base_url,
            icc_data_dir=tmp_path,
            icc_admin_ids=admin_ids,
        )
        application = build_application(
            settings, build_services(settings), core=core, retry_backoff=0.01, **kwargs
        )
        async with polling(application):
            yield application

    return run
