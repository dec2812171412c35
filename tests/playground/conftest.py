"""Fixtures for the Bot API stand-in's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.playground.server import StandIn


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    """A fresh stand-in on a free loopback port."""
    async with StandIn() as server:
        yield server
