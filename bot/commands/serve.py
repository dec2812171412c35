"""`icc-assistant run` (the bot on Telegram) and `icc-assistant playground` (the bot in a browser).

`run` polls by default and switches to a webhook when ICC_WEBHOOK_URL is set (listening on
ICC_WEBHOOK_LISTEN, checking ICC_WEBHOOK_SECRET on every delivery, serving `/healthz` and
`/metrics` on the same port, for a load balancer in front of several replicas; SIGTERM stops it
after the updates already received are handled). Polling serves `/healthz` and `/metrics` on
ICC_WEBHOOK_LISTEN too, so the image's HEALTHCHECK works in both modes. TELEGRAM_API_BASE_URL
points it at another Bot API server, such as the stand-in. `playground` runs the stand-in, its
web page and the real bot in one process, so the assistant can be tried with no Telegram account.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import signal
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.config import load_settings
from bot.core.errors import UserFacingError
from bot.services import Services, build_services

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.config import Settings

log = logging.getLogger(__name__)

#: The stand-in accepts any token; this one marks the playground's bot in its logs.
PLAYGROUND_TOKEN = "100000:playground"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `run` and `playground` subcommands."""
    run = subparsers.add_parser(
        "run", help="run the bot on Telegram (polling; webhook when ICC_WEBHOOK_URL is set)"
    )
    run.set_defaults(func=run_bot)
    playground = subparsers.add_parser(
        "playground", help="try the bot in a browser: a local Telegram stand-in and chat page"
    )
    playground.add_argument("--host", default="127.0.0.1", help="address of the page and API")
    playground.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    playground.set_defaults(func=run_playground)


def warm_up(services: Services) -> None:
    """Load everything the first user would otherwise wait for: schema, index, model, data.

    On a fresh data dir this also indexes the bundled corpus (a minute or two, once).
    """
    log.info("preparing the database, the index and the models")
    _ = services.engine
    services.library.ensure_index()
    services.qa.search("intercultural strategy", k=1)  # loads the embedding model
    _ = services.index_model
    _ = services.cities


def parse_listen(listen: str) -> tuple[str, int]:
    """``host:port`` from ICC_WEBHOOK_LISTEN."""
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise UserFacingError(f"ICC_WEBHOOK_LISTEN must be host:port, not {listen!r}")
    return host.strip("[]"), int(port)


def run_bot(args: argparse.Namespace) -> int:
    """Run the bot until SIGINT/SIGTERM."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.tg.app import build_application, webhook

    settings = load_settings()
    if not settings.telegram_bot_token:
        raise UserFacingError(
            "TELEGRAM_BOT_TOKEN is not set (try `icc-assistant playground` to run without Telegram)"
        )
    if not settings.icc_admin_ids:
        log.warning(
            "ICC_ADMIN_IDS is empty: study-visit requests are stored but reach nobody "
            "(officers are told so); set the secretariat's Telegram user ids"
        )
    options = webhook_options(settings)
    listen = parse_listen(settings.icc_webhook_listen)  # polling serves /healthz there
    services = build_services(settings)
    warm_up(services)
    application = build_application(settings, services)
    if options:
        log.info("webhook mode: listening on %s", settings.icc_webhook_listen)
        asyncio.run(serve_until_stopped(webhook(application, **options, services=services)))
    else:
        log.info("polling %s", urlsplit(settings.telegram_api_base_url).netloc)
        asyncio.run(serve_until_stopped(polling_with_health(application, services, *listen)))
    return 0


@contextlib.asynccontextmanager
async def polling_with_health(
    application: Application, services: Services, host: str, port: int
) -> AsyncIterator[int]:
    """Long polling, plus `/healthz` and `/metrics` on ``host:port`` (polling has no webhook
    server to carry them, and the image's HEALTHCHECK asks there); yields the port bound."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.tg.app import polling
    from bot.tg.health import health_server

    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.tg.metrics import metrics_of

    async with contextlib.AsyncExitStack() as stack:
        try:
            bound = await stack.enter_async_context(
                health_server(host, port, metrics=metrics_of(application), services=services)
            )
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise UserFacingError(
                f"{host}:{port} is already in use; polling serves /healthz there: "
                "set ICC_WEBHOOK_LISTEN to a free host:port"
            ) from None
        await stack.enter_async_context(polling(application))
        yield bound


async def serve_until_stopped(server: contextlib.AbstractAsyncContextManager[object]) -> None:
    """Serve until SIGINT or SIGTERM (what `docker stop` and orchestrators send)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        log.info("ready")
        await stop.wait()
    log.info("stopped")


def webhook_options(settings: Settings) -> dict[str, Any]:
    """`bot.tg.app.webhook` arguments, or {} for polling. A webhook without a secret is refused:
    anyone who guesses the URL could otherwise post forged updates."""
    if not settings.icc_webhook_url:
        return {}
    if not settings.icc_webhook_secret:
        raise UserFacingError("ICC_WEBHOOK_SECRET must be set when ICC_WEBHOOK_URL is set")
    host, port = parse_listen(settings.icc_webhook_listen)
    return {
        "listen": host,
        "port": port,
        "url_path": urlsplit(settings.icc_webhook_url).path.lstrip("/"),
        "webhook_url": settings.icc_webhook_url,
        "secret_token": settings.icc_webhook_secret,
    }


def run_playground(args: argparse.Namespace) -> int:
    """Serve the stand-in and the page, and run the real bot against them, until Ctrl+C."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.playground.server import PortInUseError

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_playground(args.host, args.port))
    except PortInUseError as exc:
        other = exc.port + 1 if exc.port < 65535 else 8080
        raise UserFacingError(
            f"{exc}; choose another with make run PORT={other}"
            f" (or icc-assistant playground --port {other})"
        ) from None
    return 0


async def _playground(host: str, port: int) -> None:
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.playground.server import StandIn
    from bot.tg.app import build_application, polling

    async with StandIn(host=host, port=port) as standin:
        settings = load_settings(
            telegram_bot_token=PLAYGROUND_TOKEN, telegram_api_base_url=standin.base_url
        )
        services = build_services(settings)
        print(f"Playground: open {standin.base_url} (getting ready…)", flush=True)
        await asyncio.to_thread(warm_up, services)
        async with polling(build_application(settings, services)):
            print(f"Playground ready at {standin.base_url} (Ctrl+C to stop)", flush=True)
            await asyncio.Event().wait()
