"""Turn the core's Replies into Telegram calls.

The core speaks in `Reply` objects (safe HTML, buttons, an attachment, edit or toast); this module
is the only place that knows how Telegram wants them: HTML parse mode, 4096-character messages
(long texts split cleanly, buttons on the last part), 1024-character captions, inline keyboards,
editing the message whose button was pressed, and exactly one answer per button press.

A message that cannot be sent does not stop the others: every part of every reply is tried
(retries that cannot duplicate a message happen below, in `bot.tg.request`), and what did not
arrive is raised at the end as `RepliesLost`, numbered as the officer sees the messages ("part 2
of 3"), so the error handler can say which part is missing and `/metrics` can count it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.core.logrefs import chat_ref
from bot.core.messages import Button, Reply
from bot.tg.split import TELEGRAM_CAPTION_LIMIT, split_html

log = logging.getLogger(__name__)

#: Edit failures after which the reply is sent as a new message instead.
_UNEDITABLE = ("message to edit not found", "no text in the message", "message can't be edited")


@dataclass(frozen=True)
class Lost:
    """One message that did not reach its chat: why, and which of the delivery's messages."""

    reason: str
    part: int  # 1-based, among the messages this delivery sends to the chat
    parts: int
    chat_id: int
    elsewhere: bool = False  # a notification to another chat, not the officer's own reply


class RepliesLost(TelegramError):
    """Some messages of a delivery did not arrive (the rest did); raised once all were tried."""

    def __init__(self, lost: list[Lost], cause: TelegramError) -> None:
        super().__init__(f"{len(lost)} message(s) not delivered: {cause.message}")
        self.lost = lost
        self.cause = cause

    @property
    def own(self) -> list[Lost]:
        """The lost messages of the officer's own chat (what the apology must name)."""
        return [lost for lost in self.lost if not lost.elsewhere]


def loss_reason(error: TelegramError) -> str:
    """A small, fixed set of labels for why a call failed (a metrics label, never free text)."""
    if isinstance(error, TimedOut):
        return "timeout"
    if isinstance(error, RetryAfter):
        return "rate_limited"
    if isinstance(error, Forbidden):
        return "forbidden"
    if isinstance(error, BadRequest):
        return "bad_request"
    if isinstance(error, NetworkError):
        # PTB raises NetworkError for a 5xx answer too; only a transport failure has a cause.
        return "network" if error.__cause__ is not None else "server_error"
    return "other"


#: What `_Tally.attempt` returns for a call that failed.
FAILED = object()


@dataclass
class _Tally:
    """Numbers the messages of one delivery to one chat as they are tried; keeps the failures."""

    chat_id: int
    parts: int
    elsewhere: bool = False
    tried: int = 0
    lost: list[Lost] = field(default_factory=list)
    first: TelegramError | None = None

    async def attempt(self, call: Awaitable[Any]) -> Any:
        """Await one Telegram call for the next message; its result, or `FAILED` (recorded)."""
        self.tried += 1
        try:
            return await call
        except TelegramError as exc:
            log.warning(
                "message %d/%d to chat %s not sent: %r",
                self.tried,
                self.parts,
                chat_ref(self.chat_id),
                exc,
            )
            reason = loss_reason(exc)
            self.lost.append(Lost(reason, self.tried, self.parts, self.chat_id, self.elsewhere))
            self.first = self.first or exc
            return FAILED


@dataclass(frozen=True)
class Origin:
    """Where the replies go by default, and which message a button press came from."""

    chat_id: int
    message_id: int | None = None  # the message carrying the pressed button
    callback_query_id: str | None = None


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """An inline keyboard from the core's button rows (None when there are none)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in rows
            if row
        ]
    )


async def deliver(bot: Bot, replies: Sequence[Reply], origin: Origin) -> None:
    """Answer the button press (once, with the first toast) and send every reply in order.

    Every message is tried even when an earlier one failed (an admin's notification must not
    depend on the officer's own message, nor part 3 on part 2); `RepliesLost` then names the
    messages that did not arrive, numbered among those of the officer's chat.
    """
    if origin.callback_query_id is not None:
        toast = next((r.toast for r in replies if r.toast), None)
        await answer_callback(bot, origin.callback_query_id, toast)
    laid = [_Laid.of(r) for r in replies]  # split once: counting and sending share it
    own = sum(m.messages for m in laid if not _elsewhere(m.reply, origin))
    tally = _Tally(origin.chat_id, parts=own)
    lost: list[Lost] = []
    first: TelegramError | None = None
    for message in laid:
        reply = message.reply
        if _elsewhere(reply, origin):
            assert reply.chat_id is not None
            other = _Tally(reply.chat_id, parts=message.messages, elsewhere=True)
            await _send(bot, message, Origin(chat_id=reply.chat_id), other)
            lost.extend(other.lost)
            first = first or other.first
        else:
            await _send(bot, message, origin, tally)
    lost.extend(tally.lost)
    first = tally.first or first
    if first is not None:
        raise RepliesLost(sorted(lost, key=lambda x: (x.elsewhere, x.part)), first)


async def answer_callback(bot: Bot, query_id: str, text: str | None) -> None:
    """Stop the button's spinner. A query already answered (a retried call) is not an error,
    and a failure here must not keep the replies themselves from being sent."""
    try:
        await bot.answer_callback_query(query_id, text=(text or None) and text[:200])
    except BadRequest as exc:
        log.info("callback query not answered: %s", exc.message)
    except TelegramError as exc:
        log.warning("callback query not answered: %r", exc)


def _elsewhere(reply: Reply, origin: Origin) -> bool:
    return reply.chat_id is not None and reply.chat_id != origin.chat_id


@dataclass(frozen=True)
class _Laid:
    """A reply laid out as Telegram messages: the attachment's caption (empty when it does not
    fit) and the text parts."""

    reply: Reply
    caption: str
    parts: list[str]

    @classmethod
    def of(cls, reply: Reply) -> _Laid:
        text = reply.text
        caption = ""
        if reply.attachment is not None:
            caption = reply.attachment.caption
            fits = bool(caption) and len(split_html(caption, TELEGRAM_CAPTION_LIMIT)) == 1
            if caption and not fits:  # an over-long caption becomes the start of the text
                text = f"{caption}\n\n{text}" if text else caption
                caption = ""
        return cls(reply, caption, split_html(text) if text.strip() else [])

    @property
    def messages(self) -> int:
        """How many messages the reply becomes (an edit in place counts as one)."""
        count = int(self.reply.attachment is not None) + len(self.parts)
        return max(count, int(self.reply.edit))


async def _send(bot: Bot, laid: _Laid, origin: Origin, tally: _Tally) -> None:
    """The reply's messages: attachment first, then the text in parts, each tried once here."""
    reply = laid.reply
    chat_id = reply.chat_id or origin.chat_id
    markup = keyboard(reply.buttons)
    caption, parts = laid.caption, laid.parts
    if reply.attachment is not None:
        await tally.attempt(
            _send_attachment(bot, chat_id, reply, caption=caption, markup=None if parts else markup)
        )
        if not parts:
            return
    preview = LinkPreviewOptions(is_disabled=reply.disable_preview)
    if reply.edit and origin.message_id is not None and reply.attachment is None:
        edited = await tally.attempt(_edit(bot, chat_id, origin.message_id, parts, markup, preview))
        if edited is False:  # cannot be edited: every part goes as a new message
            tally.tried -= 1
            if not parts:
                return
        else:
            parts = parts[1:]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await tally.attempt(
            bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                link_preview_options=preview,
            )
        )


async def _edit(
    bot: Bot,
    chat_id: int,
    message_id: int,
    parts: list[str],
    markup: InlineKeyboardMarkup | None,
    preview: LinkPreviewOptions,
) -> bool:
    """Edit the pressed message into the first part; False when it cannot be edited."""
    try:
        if parts:
            await bot.edit_message_text(
                parts[0],
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if len(parts) == 1 else None,
                link_preview_options=preview,
            )
        else:
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
    except BadRequest as exc:
        # Telegram's wording varies in case ("Message to edit not found"): compare folded.
        reason = exc.message.lower()
        if "not modified" in reason:
            return True  # a retried edit, or a press that changes nothing: already in place
        if any(known in reason for known in _UNEDITABLE):
            return False
        raise
    return True


async def _send_attachment(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    caption: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    attachment = reply.attachment
    assert attachment is not None
    common = {
        "caption": caption or None,
        "parse_mode": ParseMode.HTML if caption else None,
        "reply_markup": markup,
        "filename": attachment.filename,
    }
    # `common` is a dict of mixed values; PTB's keyword types are checked by PTB at run time.
    if attachment.kind == "photo":
        await bot.send_photo(chat_id, attachment.content, **common)  # type: ignore[arg-type]
    else:
        await bot.send_document(chat_id, attachment.content, **common)  # type: ignore[arg-type]
