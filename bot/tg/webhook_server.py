"""The HTTP server of webhook mode: Telegram's deliveries, `/healthz` and `/metrics` on one port.

PTB's built-in webhook server (tornado) serves only the webhook path. A replica behind a load
balancer also needs a readiness probe and a metrics endpoint, and those should live on the same
port so that one firewall rule and one container port cover them. So this small aiohttp server
checks the secret header, decodes the update, has the application process it and adds the two
read-only endpoints. PTB's documentation describes this arrangement ("custom webhook bot"): the
application runs without its updater.

A delivery is answered only once its update has been processed (the core called, its replies
sent), and with 500 when a handler failed: Telegram keeps an unanswered or failed update and
delivers it again, so a replica killed mid-update loses nothing, and a failure before the core
committed is retried (at most `MAX_ATTEMPTS` times here: an update that always fails is then
answered 200, so that Telegram stops and the person stops getting apologies). The core drops an
update it already applied, so a redelivery never repeats an effect. Waiting does not stall
other chats: Telegram delivers over several connections at once (setWebhook's max_connections),
each request is handled concurrently here, and the application's update processor keeps one
chat's updates in order.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.tg.health import add_health_routes
from bot.tg.metrics import BotMetrics
from bot.tg.update_check import MalformedUpdate, parse_update

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's updates are small; documents arrive as file ids, not bytes.
MAX_UPDATE_BYTES = 1024 * 1024
#: On stop, how long deliveries being processed may take to finish and be answered.
STOP_GRACE_SECONDS = 20.0
#: Failed attempts at one update after which it is given up (answered 200 anyway).
MAX_ATTEMPTS = 3


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
        self._failed: set[int] = set()  # updates whose handling just raised
        self._attempts: dict[int, int] = {}  # failed attempts so far, by update id

    def build_app(self) -> web.Application:
        """The routes; `/healthz` only when there are services to check."""
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(self.url_path, self._receive)
        add_health_routes(app, self._metrics, self._services)
        return app

    async def start(self) -> None:
        self.application.add_error_handler(self._note_failure)
        self._runner = web.AppRunner(
            self.build_app(), access_log=None, shutdown_timeout=STOP_GRACE_SECONDS
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        log.info("webhook server on %s:%s%s", self.listen, self.port, self.url_path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.application.remove_error_handler(self._note_failure)

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook delivery with a wrong or missing secret refused")
            return web.Response(status=403, text="forbidden")
        try:
            data = parse_update(await request.read())
            update = Update.de_json(data, self.application.bot)
        except MalformedUpdate as exc:
            return self._refuse(str(exc))
        except Exception as exc:  # whatever de_json raises, the body is at fault
            return self._refuse(f"PTB could not decode it ({type(exc).__name__})")
        # Shielded: if the request is cancelled (the server stopping, the caller gone), the
        # update is still handled to the end; `Application.stop` waits for the task.
        processing = self.application.create_task(self._process(update))
        if await asyncio.shield(processing):
            self._attempts.pop(update.update_id, None)
            return web.Response(status=200)
        attempts = self._attempts.get(update.update_id, 0) + 1
        if attempts >= MAX_ATTEMPTS:
            self._attempts.pop(update.update_id, None)
            log.error("update %s failed %s times; given up", update.update_id, attempts)
            return web.Response(status=200)
        self._attempts[update.update_id] = attempts
        return web.Response(status=500, text="not processed; deliver it again")

    @staticmethod
    def _refuse(reason: str) -> web.Response:
        """400 for a delivery that is no readable update: answering 200 would make Telegram
        drop it silently, 400 shows the mistake in getWebhookInfo's last_error_message. Logged
        in one line, without a traceback or any of the body (it may hold a person's words)."""
        log.warning("undecodable webhook delivery refused: %s", reason)
        return web.Response(status=400, text=f"not an update: {reason}")

    async def _process(self, update: Update) -> bool:
        """Handle ``update`` through the application's processor (per-chat order, metrics);
        False when a handler raised (the error handlers have run)."""
        application = self.application
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        if update.update_id in self._failed:
            self._failed.discard(update.update_id)
            return False
        return True

    async def _note_failure(self, update: object, context: object) -> None:
        """An error handler: remember which update failed, for `_process` to answer 500."""
        if isinstance(update, Update):
            self._failed.add(update.update_id)
