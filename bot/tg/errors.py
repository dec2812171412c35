"""The one error handler, and the guard that keeps the bot token out of the logs.

Whatever fails while handling an update ends here: it is logged once with the context needed to
find it (update id, chat, user, what they did, never the token), and the person gets a short
apology in their language instead of silence or, worse, a traceback.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.texts import pick_language, t

log = logging.getLogger(__name__)


def apology(language_code: str | None) -> str:
    """The apology in the user's language (English when we do not speak theirs), as plain text:
    the core failed, so its stored choice of language is not at hand; Telegram's is."""
    return str(t(pick_language(language_code), "apology"))


def describe(update: object) -> str:
    """A one-line, token-free description of an update for the log."""
    if not isinstance(update, Update):
        return repr(type(update).__name__)
    user = update.effective_user
    chat = update.effective_chat
    if update.callback_query is not None:
        what = f"button {update.callback_query.data!r}"
    elif update.effective_message is not None and update.effective_message.document:
        what = f"document {update.effective_message.document.file_name!r}"
    elif update.effective_message is not None:
        what = f"text of {len(update.effective_message.text or '')} chars"
    else:
        what = "other"
    return (
        f"update {update.update_id} chat {chat.id if chat else '-'} "
        f"user {user.id if user else '-'} ({what})"
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its context and tell the user kindly; never re-raise."""
    error = context.error
    log.error("handling %s failed: %r", describe(update), error, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    text = apology(user.language_code if user else None)
    if update.callback_query is not None:
        try:
            await context.bot.answer_callback_query(update.callback_query.id, text=text)
        except TelegramError as exc:  # already answered, or too old: the message still goes
            log.info("could not answer the press in chat %s: %r", update.effective_chat.id, exc)
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:  # Telegram itself is failing: the log is all we can do
        log.warning("could not apologise in chat %s: %r", update.effective_chat.id, exc)


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
