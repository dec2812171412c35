"""`build_application`: the Telegram bot assembled from the settings and the services.

One factory used by `icc-assistant run`, the playground, the end-to-end tests and the benchmark,
so they all run the same bot: updates delivered at least once (confirmed to Telegram only after
they are processed, in polling and webhook mode), retrying HTTP that never duplicates a message,
`AIORateLimiter` (a 429 delays a reply instead of losing it), updates of different chats
concurrent and of one chat in order, no PTB persistence (the database is the only state), the
command menu registered on start, Prometheus metrics counted (served by webhook mode next to
`/healthz`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.core.logrefs import install_salt, load_or_create_salt, user_ref
from bot.tg.errors import guard_token, on_error
from bot.tg.handlers import ADMINS_KEY, Core, TelegramHandlers
from bot.tg.metrics import (
    METRICS_KEY,
    BotMetrics,
    InstrumentedUpdateProcessor,
    error_counter,
    metrics_of,
)
from bot.tg.polling_ack import ConfirmingUpdater, PendingUpdates
from bot.tg.request import RetryingRequest
from bot.tg.webhook_server import WebhookServer

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services import Services

log = logging.getLogger(__name__)

#: The only update kinds the bot handles; Telegram is asked for nothing else.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
#: How long one getUpdates call waits for news.
POLL_TIMEOUT = 10

#: The command menu (English; the core answers in the user's language).
COMMANDS = (
    BotCommand("start", "Welcome, your city and what I can do"),
    BotCommand("help", "How to use the assistant"),
    BotCommand("language", "Change the language (English, français)"),
    BotCommand("selfcheck", "ICC Index self-check: quick, full or one area"),
    BotCommand("mentors", "Mentor cities for an area"),
    BotCommand("visit", "Ask for a study visit to a mentor city"),
    BotCommand("myrequests", "Your study-visit requests"),
    BotCommand("privacy", "What is stored and why; your consents"),
    BotCommand("mydata", "Send me my data"),
    BotCommand("forget", "Delete my data"),
    BotCommand("cancel", "Leave the current step"),
)
#: Shown, in addition, only in the secretariat's own chats.
ADMIN_COMMANDS = (
    BotCommand("requests", "Study-visit requests (filter by status or area)"),
    BotCommand("export", "CSV of requests and shared self-check results"),
    BotCommand("stats", "Usage, answers, feedback, curation queue"),
    BotCommand("documents", "Indexed documents (send a file to add one)"),
    BotCommand("remove", "Take a document out of the index"),
)
#: How often personal data past the retention period is removed (every replica may run it:
#: the purge is idempotent).
PURGE_EVERY = timedelta(days=1)


def build_application(
    settings: Settings,
    services: Services,
    *,
    core: Core | None = None,
    rate_limiter: BaseRateLimiter | None = None,
    retry_backoff: float = 0.25,
) -> Application:
    """The bot for these settings; ``core`` defaults to the real `Assistant` over ``services``.

    ``rate_limiter`` defaults to `AIORateLimiter` with Telegram's published limits and five
    retries after a 429; ``retry_backoff`` is the first pause before an HTTP retry.
    """
    if core is None:
        # lazy: the core and its storage load when the application is built, not on import
        from bot.services import build_assistant

        core = build_assistant(services)
    token = settings.telegram_bot_token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is empty")
    guard_token(token)
    # Before the first update: every log line naming a user uses this install's salt.
    install_salt(load_or_create_salt(settings.icc_data_dir, settings.icc_log_salt))
    base = settings.telegram_api_base_url
    metrics = BotMetrics()
    bot = ExtBot(
        token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=RetryingRequest(
            backoff=retry_backoff,
            connection_pool_size=256,
            connect_timeout=5.0,
            read_timeout=10.0,
            write_timeout=20.0,
            pool_timeout=10.0,
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=POLL_TIMEOUT + 10),
        rate_limiter=rate_limiter or AIORateLimiter(max_retries=5),
    )
    # The updater is given, not built, so that polling confirms only processed updates; the
    # builder then takes the bot from it.
    pending = PendingUpdates()
    application = (
        ApplicationBuilder()
        .updater(ConfirmingUpdater(bot, asyncio.Queue(), pending))
        .concurrent_updates(InstrumentedUpdateProcessor(metrics, on_done=pending.done))
        .post_init(register_commands)
        .build()
    )
    handlers = TelegramHandlers(core)
    application.add_handler(CallbackQueryHandler(handlers.on_callback))
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL,
            handlers.on_message,
        )
    )
    # Personal data never goes to a group: commands there get a pointer, the rest is ignored.
    application.add_handler(
        MessageHandler(filters.COMMAND & ~filters.ChatType.PRIVATE, handlers.on_group_command)
    )
    application.add_error_handler(on_error)
    application.add_error_handler(error_counter(metrics))
    application.bot_data[METRICS_KEY] = metrics
    application.bot_data[ADMINS_KEY] = settings.icc_admin_ids
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _purge_job, interval=PURGE_EVERY, first=timedelta(minutes=5), data=services
        )
    return application


async def register_commands(application: Application) -> None:
    """Publish the command menu (setMyCommands) when the bot starts; admins see theirs too.

    An admin who never wrote to the bot has no chat yet, which Telegram refuses: that is
    logged, not fatal, and their menu appears on the next start after they write.
    """
    await application.bot.set_my_commands(COMMANDS)
    for admin_id in sorted(application.bot_data.get(ADMINS_KEY, ())):
        try:
            await application.bot.set_my_commands(
                COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError as exc:
            log.warning("no admin command menu for %s yet: %s", user_ref(admin_id), exc)


async def _purge_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The daily retention purge, off the event loop (it is database work)."""
    # lazy: the core and its storage load when the application is built, not on import
    from bot.core.retention import purge_stale_data

    # PTB types `job` as optional and `data` as object; this callback is only ever scheduled
    # with the Services as its data (see the run_repeating call above).
    await asyncio.to_thread(purge_stale_data, context.job.data)  # type: ignore[union-attr,arg-type]


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[Application]:
    """Run the bot with long polling inside an ``async with`` (tests, the playground).

    Unlike `Application.run_polling` it neither blocks nor touches signal handlers or the event
    loop, so it can share a loop with the stand-in and a test.
    """
    async with _running(application):
        updater = application.updater
        assert updater is not None
        await updater.start_polling(
            timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
        )
        try:
            yield application
        finally:
            await updater.stop()


@asynccontextmanager
async def webhook(
    application: Application,
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str,
    secret_token: str,
    services: Services | None = None,
) -> AsyncIterator[Application]:
    """Run the bot in webhook mode inside an ``async with`` (`icc-assistant run`, tests, bench).

    Deliveries without the right secret header get 403. `/metrics` is served on the same port,
    and `/healthz` too when ``services`` are given. The webhook is registered after the server
    listens, so no delivery finds the port closed, and left in place on exit: with replicas
    behind one URL, one replica stopping must not unregister the others.
    """
    server = WebhookServer(
        application,
        listen=listen,
        port=port,
        url_path=url_path,
        secret_token=secret_token,
        metrics=metrics_of(application),
        services=services,
    )
    async with _running(application):
        await server.start()
        try:
            await application.bot.set_webhook(
                url=webhook_url,
                secret_token=secret_token,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )
            yield application
        finally:
            await server.stop()  # stop accepting first; queued updates are still handled


@asynccontextmanager
async def _running(application: Application) -> AsyncIterator[Application]:
    async with application:
        if application.post_init is not None:  # run_polling would call it; we do the same
            await application.post_init(application)
        await application.start()
        try:
            yield application
        finally:
            await application.stop()
