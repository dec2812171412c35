"""A browser-like client of the playground page, for the page's tests."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.playground.server import StandIn
from bot.playground.sessions import CSRF_HEADER


class Visitor:
    """One browser on the page: its own cookie jar, the session the server gave it, and the
    headers its page's JavaScript sends (same origin, CSRF token). Each test strips or forges
    one of them to see the server refuse."""

    def __init__(self, standin: StandIn, http: aiohttp.ClientSession) -> None:
        self.standin = standin
        self.http = http
        self.session: dict[str, Any] = {}

    @property
    def user_id(self) -> int:
        return int(self.session["user_id"])

    @property
    def own_headers(self) -> dict[str, str]:
        return {"Origin": self.standin.page_url, CSRF_HEADER: self.session.get("csrf_token", "")}

    async def open(self, **query: str) -> dict[str, Any]:
        """GET /api/session, as the page does when it loads."""
        async with self.http.get("/api/session", params=query) as response:
            assert response.status == 200, await response.text()
            self.session = await response.json()
        return self.session

    async def post(
        self, path: str, body: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """POST JSON as the page does (``headers`` replaces the page's own when given)."""
        sent = self.own_headers if headers is None else headers
        async with self.http.post(path, json=body, headers=sent) as response:
            return response.status, await response.text()

    async def get(self, path: str, **params: str) -> tuple[int, bytes]:
        async with self.http.get(path, params=params) as response:
            return response.status, await response.read()
