"""The HTTP server of webhook mode: Telegram's deliveries, `/healthz` and `/metrics` on one port.

PTB's built-in webhook server (tornado) serves only the webhook path. A replica behind a load
balancer also needs a readiness probe and a metrics endpoint, and those should live on the same
port so that one firewall rule and one container port cover them. So this small aiohttp server
does what PTB's does (check the secret header, decode the update, put it on the application's
queue and answer 200 at once) and adds the two read-only endpoints. PTB's documentation
describes this arrangement ("custom webhook bot"): the application runs without its updater and
is fed through `update_queue`.

Answering 200 before the update is handled is what Telegram expects; it delivers one update
at a time per connection and would otherwise stall. A replica that dies after the 200 loses
that update's reply, never a stored answer: answers are committed inside the handling.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.tg.health import check_health
from bot.tg.metrics import BotMetrics

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's updates are small; documents arrive as file ids, not bytes.
MAX_UPDATE_BYTES = 1024 * 1024
#: A readiness probe that hangs is a failed probe.
HEALTH_TIMEOUT_SECONDS = 10.0


class WebhookServer:
    """Receives updates for ``application`` on ``/<url_path>``; serves `/healthz`, `/metrics`."""

    def __init__(
        self,
        application: Application,
        *,
        listen: str,
        port: int,
        url_path: str,
        secret_token: str,
        metrics: BotMetrics,
        services: Services | None = None,
    ) -> None:
        if not secret_token:
            raise ValueError("a webhook needs a secret token")
        self.application = application
        self.listen = listen
        self.port = port
        self.url_path = "/" + url_path.strip("/")
        self._secret = secret_token.encode()
        self._metrics = metrics
        self._services = services
        self._runner: web.AppRunner | None = None

    def build_app(self) -> web.Application:
        """The routes; `/healthz` only when there are services to check."""
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(self.url_path, self._receive)
        app.router.add_get("/metrics", self._metrics_page)
        if self._services is not None:
            app.router.add_get("/healthz", self._health)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        log.info("webhook server on %s:%s%s", self.listen, self.port, self.url_path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook delivery with a wrong or missing secret refused")
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            if not isinstance(data, dict):  # `null` would decode to no update at all
                raise TypeError(f"a JSON object was expected, not {type(data).__name__}")
            update = Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # Answering 200 would make Telegram drop it; 400 makes the mistake visible in
            # getWebhookInfo's last_error_message. It cannot be a real Telegram update anyway.
            log.warning("undecodable webhook delivery refused: %r", exc)
            return web.Response(status=400, text="not an update")
        await self.application.update_queue.put(update)
        return web.Response(status=200)

    async def _health(self, request: web.Request) -> web.Response:
        assert self._services is not None
        try:
            health = await asyncio.wait_for(
                asyncio.to_thread(check_health, self._services), HEALTH_TIMEOUT_SECONDS
            )
        except TimeoutError:
            body = {"status": "unavailable", "checks": {"all": "timed out"}}
            return web.json_response(body, status=503)
        return web.json_response(health.to_json(), status=200 if health.ready else 503)

    async def _metrics_page(self, request: web.Request) -> web.Response:
        body, content_type = self._metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})
