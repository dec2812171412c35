"""Fixtures for the Bot API stand-in's own tests, and a browser-like client of its page."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from page_visitor import Visitor

from bot.playground.server import StandIn


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    """A fresh stand-in on free loopback ports."""
    async with StandIn() as server:
        yield server


@pytest.fixture
async def visitor(standin: StandIn) -> AsyncIterator[Callable[..., Visitor]]:
    """``visitor()`` is a new browser on the stand-in's page (none has a session yet);
    ``visitor(other)`` one on another stand-in's."""
    async with contextlib.AsyncExitStack() as stack:

        def new(server: StandIn = standin) -> Visitor:
            http = aiohttp.ClientSession(
                base_url=server.page_url,
                # aiohttp's jar keeps no cookie of a bare IP address unless told to.
                cookie_jar=aiohttp.CookieJar(unsafe=True),
            )
            stack.push_async_callback(http.close)
            return Visitor(server, http)

        yield new
