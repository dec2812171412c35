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
import secrets
import signal
import sys
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

#: The playground's bot token starts with this (the rest is random for each run, and the
#: stand-in accepts no other, so nothing but this process's bot can use its Bot API).
PLAYGROUND_TOKEN_PREFIX = "100000:playground-"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `run` and `playground` subcommands."""
    run = subparsers.add_parser(
        "run", help="run the bot on Telegram (polling; webhook when ICC_WEBHOOK_URL is set)"
    )
    run.set_defaults(func=run_bot)
    playground = subparsers.add_parser(
        "playground", help="try the bot in a browser: a local Telegram stand-in and chat page"
    )
    playground.add_argument(
        "--host", default="127.0.0.1", help="address of the page (loopback unless --allow-remote)"
    )
    playground.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    playground.add_argument(
        "--allow-remote",
        action="store_true",
        help="let --host be an address other machines can reach (a warning is printed)",
    )
    playground.add_argument(
        "--allow-real-users",
        action="store_true",
        help="serve even on a database holding users who are not playground users",
    )
    playground.add_argument(
        "--demo-admin",
        action="store_true",
        help="print a link that opens the page as the secretariat (admin commands, uploads)",
    )
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
            asyncio.run(
                _playground(
                    args.host,
                    args.port,
                    allow_remote=args.allow_remote,
                    allow_real_users=args.allow_real_users,
                    demo_admin=args.demo_admin,
                )
            )
    except PortInUseError as exc:
        other = exc.port + 1 if exc.port < 65535 else 8080
        raise UserFacingError(
            f"{exc}; choose another with make run PORT={other}"
            f" (or icc-assistant playground --port {other})"
        ) from None
    return 0


def playground_settings(
    api_base_url: str, token: str, *, demo_admin: bool, **overrides: object
) -> Settings:
    """The bot's settings in the playground: the stand-in's Bot API, and no admin but the demo
    admin. ICC_ADMIN_IDS is ignored: playground users are whoever opens the page, so an id
    listed there must not open the secretariat's tools to them."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.playground.sessions import DEMO_ADMIN_ID

    return load_settings(
        **overrides,
        telegram_bot_token=token,
        telegram_api_base_url=api_base_url,
        icc_admin_ids=frozenset({DEMO_ADMIN_ID}) if demo_admin else frozenset(),
    )


async def _playground(
    host: str,
    port: int,
    *,
    allow_remote: bool = False,
    allow_real_users: bool = False,
    demo_admin: bool = False,
) -> None:
    """The playground, safe by construction: the page on loopback (unless ``allow_remote``),
    the Bot API on a loopback port of its own behind a random token, no admin but the demo
    admin (``demo_admin``; ICC_ADMIN_IDS is ignored), and never a database with real users
    (unless ``allow_real_users``)."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.playground.server import StandIn
    from bot.playground.sessions import DEMO_ADMIN_ID
    from bot.playground.startup import describe, refuse_real_users
    from bot.playground.state import PlaygroundUser
    from bot.tg.app import build_application, polling

    token = PLAYGROUND_TOKEN_PREFIX + secrets.token_urlsafe(24)
    admin_key = secrets.token_urlsafe(24) if demo_admin else None
    standin = StandIn(  # refuses a non-loopback host without allow_remote, before binding
        host=host, port=port, token=token, allow_remote=allow_remote, demo_admin_key=admin_key
    )
    async with standin:  # the port first: "port in use" is the likelier mistake, and cheaper
        settings = playground_settings(standin.base_url, token, demo_admin=demo_admin)
        if allow_real_users:
            where = describe(settings.resolved_database_url)
            print(
                f"WARNING: --allow-real-users: serving on {where} whatever users it holds",
                file=sys.stderr,
                flush=True,
            )
        else:
            await asyncio.to_thread(refuse_real_users, settings.resolved_database_url)
        if demo_admin:  # the admin's chat exists from the start, for the menu and notifications
            standin.add_user(PlaygroundUser(DEMO_ADMIN_ID, "Secretariat"))
        services = build_services(settings)
        print(f"Playground: open {standin.page_url} (getting ready…)", flush=True)
        await asyncio.to_thread(warm_up, services)
        async with polling(build_application(settings, services)):
            print(f"Playground ready at {standin.page_url} (Ctrl+C to stop)", flush=True)
            if admin_key:
                print(
                    f"Secretariat (demo admin): {standin.page_url}/?admin={admin_key}"
                    " (keep this link to yourself)",
                    flush=True,
                )
            await asyncio.Event().wait()
