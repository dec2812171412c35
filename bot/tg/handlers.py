"""The Telegram handlers: Update -> Incoming -> the core (in a worker thread) -> render.

Nothing here decides anything: the core owns the conversation and the database. The handler
only translates, keeps the event loop free while the core works (so other chats proceed), and
shows the typing indicator when the core takes a while.

It is also the boundary where forged updates stop (anyone holding the webhook secret, or using
the playground, can write any JSON): everything a user controls is cleaned of characters the
database or the network cannot take (`bot.core.inputs.clean`), and an update whose private chat
is not its sender's own is not acted on, so nobody can make the bot answer in, or move their
stored chat to, another person's chat.
"""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Protocol

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.errors import UserFacingError
from bot.core.inputs import clean, clean_optional
from bot.core.logrefs import chat_ref, user_ref
from bot.core.messages import Incoming, IncomingFile, Reply
from bot.core.texts import pick_language, t
from bot.tg.render import Origin, answer_callback, deliver

log = logging.getLogger(__name__)

#: The core gets this long before the user sees "typing…".
TYPING_DELAY = 0.5
#: Telegram lets bots download files up to this size; larger ones reach the core without content.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
#: `bot_data` key of the secretariat's user ids: only their uploads are worth downloading.
ADMINS_KEY = "icc_admin_ids"


def private_only(language_code: str | None) -> str:
    """The pointer to the private chat, in the user's language (English by default).

    Sent as plain text: it is answered here, without the core (no user row, no database).
    """
    return str(t(pick_language(language_code), "private_chat_only"))


def own_chat(chat_id: int, user_id: int) -> bool:
    """Whether a private chat is the user's own: Telegram gives it the user's id, so any other
    pairing is a forged update."""
    return chat_id == user_id


class Core(Protocol):
    """What the transport needs from the conversation core (`bot.core.assistant.Assistant`)."""

    def handle(self, incoming: Incoming) -> list[Reply]: ...


class TelegramHandlers:
    """The handlers of one application, bound to one core."""

    def __init__(self, core: Core, *, typing_delay: float = TYPING_DELAY) -> None:
        self.core = core
        self.typing_delay = typing_delay

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A message: text, a command, a document or anything else (the core answers all)."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        if not own_chat(message.chat_id, user.id):
            log.warning(
                "message of %s in chat %s ignored: not their chat",
                user_ref(user.id),
                chat_ref(message.chat_id),
            )
            return
        document = None
        if message.document:
            # Only the secretariat may add documents; anyone else's upload is refused by the
            # core from its name and size, without making the bot fetch up to 20 MB first.
            admins = context.bot_data.get(ADMINS_KEY, frozenset())
            document = await self._download(message, fetch=user.id in admins)
        text = None if document else clean(message.text or "")
        incoming = self._incoming(update, text=text, document=document)
        await self._run(context, incoming, Origin(chat_id=message.chat_id))

    async def on_group_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command typed in a group: point to the private chat, and do nothing else.

        The assistant holds personal data (answers, requests, exports); none of it may be
        posted where other members read, so groups get this one line and no core call.
        """
        message = update.effective_message
        if message is None:
            return
        user = update.effective_user
        await message.reply_text(private_only(user.language_code if user else None))

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: the core validates the payload, render answers the query once."""
        query = update.callback_query
        if query is None:
            return
        if query.message is not None and query.message.chat.type != ChatType.PRIVATE:
            await query.answer(private_only(query.from_user.language_code), show_alert=True)
            return
        if query.message is not None and not own_chat(query.message.chat.id, query.from_user.id):
            await self._refuse_foreign(update)
            return
        chat_id = query.message.chat.id if query.message else query.from_user.id
        message_id = query.message.message_id if query.message else None
        origin = Origin(chat_id=chat_id, message_id=message_id, callback_query_id=query.id)
        incoming = self._incoming(update, callback=clean(query.data or ""))
        await self._run(context, incoming, origin)

    @staticmethod
    async def _refuse_foreign(update: Update) -> None:
        """A press on a message of someone else's chat: a toast for the presser and nothing
        else (no reply there, no state changed, their stored chat left as it is)."""
        query = update.callback_query
        assert query is not None and query.message is not None
        log.warning(
            "button of %s on a message in chat %s ignored: not their chat",
            user_ref(query.from_user.id),
            chat_ref(query.message.chat.id),
        )
        text = str(t(pick_language(query.from_user.language_code), "foreign_button"))
        # answer_callback never raises: an error here would make PTB apologise in that chat.
        await answer_callback(query.get_bot(), query.id, text)

    async def _run(
        self, context: ContextTypes.DEFAULT_TYPE, incoming: Incoming, origin: Origin
    ) -> None:
        typing = asyncio.create_task(self._typing_later(context, origin.chat_id))
        try:
            replies = await asyncio.to_thread(self.core.handle, incoming)
        except UserFacingError as exc:  # the core's typed errors carry a message safe to show
            replies = [Reply(text=html.escape(str(exc)))]
        finally:
            typing.cancel()
        await deliver(context.bot, replies, origin)

    async def _typing_later(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        """Show "typing…" only when the core is slow: a quick reply needs no indicator, and
        every call counts against the bot's flood limit."""
        await asyncio.sleep(self.typing_delay)
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # cosmetic: never let it fail the update
            log.debug("typing indicator failed in chat %s: %r", chat_ref(chat_id), exc)

    @staticmethod
    def _incoming(
        update: Update,
        *,
        text: str | None = None,
        callback: str | None = None,
        document: IncomingFile | None = None,
    ) -> Incoming:
        """The core's view of the update; every string the sender controls arrives cleaned."""
        user = update.effective_user
        chat = update.effective_chat
        assert user is not None
        return Incoming(
            user_id=user.id,
            chat_id=chat.id if chat else user.id,
            text=text,
            callback=callback,
            document=document,
            language_code=clean_optional(user.language_code),
            display_name=clean(user.full_name),
            username=clean_optional(user.username),
            event_id=str(update.update_id),
        )

    @staticmethod
    async def _download(message: Message, *, fetch: bool) -> IncomingFile:
        """Fetch an uploaded document; one not fetched, or beyond Telegram's limit, arrives
        empty, with its size."""
        document = message.document
        assert document is not None
        size = document.file_size or 0
        content = b""
        if fetch and size <= MAX_DOWNLOAD_BYTES:
            file = await document.get_file()
            content = bytes(await file.download_as_bytearray())
            size = len(content)
        return IncomingFile(
            filename=clean(document.file_name or "") or "document",
            mime_type=clean_optional(document.mime_type),
            size=size,
            content=content,
        )
