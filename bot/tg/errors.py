"""The one error handler, and the guard that keeps the bot token out of the logs.

Whatever fails while handling an update ends here: it is logged once with the context needed to
find it (update id, chat, user, what they did, never the token), and the person gets a short
apology in their language instead of silence or, worse, a traceback. A reply that arrived only
in part gets an apology naming the missing parts; one that cannot be sent either is counted in
`icc_replies_lost_total{reason="apology"}`.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.logrefs import chat_ref, user_ref
from bot.core.texts import pick_language, t
from bot.tg.metrics import METRICS_KEY, BotMetrics
from bot.tg.render import Lost, RepliesLost

log = logging.getLogger(__name__)


def apology(language_code: str | None) -> str:
    """The apology in the user's language (English when we do not speak theirs), as plain text:
    the core failed, so its stored choice of language is not at hand; Telegram's is."""
    return str(t(pick_language(language_code), "apology"))


def parts_missing(language_code: str | None, lost: list[Lost]) -> str:
    """The apology for a reply that arrived only in part, naming the missing parts ("part 2 of
    3"), so the officer knows the rest is not coming; the plain apology for a single message."""
    total = max(item.parts for item in lost)
    if total <= 1:
        return apology(language_code)
    missing = ", ".join(str(item.part) for item in lost)
    return str(
        t(pick_language(language_code), "apology_parts_missing", missing=missing, total=total)
    )


def describe(update: object) -> str:
    """A one-line, token-free description of an update for the log."""
    if not isinstance(update, Update):
        return repr(type(update).__name__)
    user = update.effective_user
    chat = update.effective_chat
    if update.callback_query is not None:
        # the kind only: some payloads carry a user id (the /forget confirmation)
        what = f"button {(update.callback_query.data or '').split(':', 1)[0]!r}"
    elif update.effective_message is not None and update.effective_message.document:
        what = f"document {update.effective_message.document.file_name!r}"
    elif update.effective_message is not None:
        what = f"text of {len(update.effective_message.text or '')} chars"
    else:
        what = "other"
    return (
        f"update {update.update_id} chat {chat_ref(chat.id if chat else None)} "
        f"user {user_ref(user.id if user else None)} ({what})"
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its context and tell the user kindly; never re-raise."""
    error = context.error
    log.error("handling %s failed: %r", describe(update), error, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    language = user.language_code if user else None
    text = apology(language)
    if isinstance(error, RepliesLost):
        if not error.own:  # only a notification to another chat: the officer got everything
            return
        text = parts_missing(language, error.own)
    if update.callback_query is not None:
        try:
            await context.bot.answer_callback_query(update.callback_query.id, text=text)
        except TelegramError as exc:  # already answered, or too old: the message still goes
            log.info(
                "could not answer the press in chat %s: %r", chat_ref(update.effective_chat.id), exc
            )
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:  # Telegram itself is failing: the log is all we can do
        log.warning("could not apologise in chat %s: %r", chat_ref(update.effective_chat.id), exc)
        metrics = context.bot_data.get(METRICS_KEY)
        if isinstance(metrics, BotMetrics):
            metrics.replies_lost.labels("apology").inc()


class RedactToken(logging.Filter):
    """Replace the bot token in log records (httpx logs every request URL, token included)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token and self.token in record.getMessage():
            record.msg = record.getMessage().replace(self.token, "<token>")
            record.args = None
        return True


#: Loggers that print URLs with the token: httpx logs every request, PTB's bot its base URL.
URL_LOGGERS = ("httpx", "httpcore", "telegram.Bot", "telegram.ext.ExtBot")


def guard_token(token: str, loggers: tuple[str, ...] = URL_LOGGERS) -> None:
    """Attach `RedactToken` to the loggers that print request URLs (once per token).

    A filter on a logger sees only that logger's own records, hence the explicit list; the
    transport test that logs at DEBUG proves it covers everything the bot prints.
    """
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.token == token for f in logger.filters):
            logger.addFilter(RedactToken(token))
