"""Turn the core's Replies into Telegram calls.

The core speaks in `Reply` objects (safe HTML, buttons, an attachment, edit or toast); this module
is the only place that knows how Telegram wants them: HTML parse mode, 4096-character messages
(long texts split cleanly, buttons on the last part), 1024-character captions, inline keyboards,
editing the message whose button was pressed, and exactly one answer per button press.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.messages import Button, Reply
from bot.tg.split import TELEGRAM_CAPTION_LIMIT, split_html

log = logging.getLogger(__name__)

#: Edit failures after which the reply is sent as a new message instead.
_UNEDITABLE = ("message to edit not found", "no text in the message", "message can't be edited")


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
    """Answer the button press (once, with the first toast) and send every reply in order."""
    if origin.callback_query_id is not None:
        toast = next((r.toast for r in replies if r.toast), None)
        await answer_callback(bot, origin.callback_query_id, toast)
    failed: TelegramError | None = None
    for reply in replies:
        try:
            if reply.chat_id is not None and reply.chat_id != origin.chat_id:
                await _deliver_elsewhere(bot, reply)
            else:
                await send_reply(bot, reply, origin)
        except TelegramError as exc:
            # The rest still go out (an admin's notification must not depend on the officer's
            # own message); the first failure is re-raised so the error handler apologises.
            log.warning("reply to chat %s not sent: %r", reply.chat_id or origin.chat_id, exc)
            failed = failed or exc
    if failed is not None:
        raise failed


async def answer_callback(bot: Bot, query_id: str, text: str | None) -> None:
    """Stop the button's spinner. A query already answered (a retried call) is not an error."""
    try:
        await bot.answer_callback_query(query_id, text=(text or None) and text[:200])
    except BadRequest as exc:
        log.info("callback query not answered: %s", exc.message)


async def _deliver_elsewhere(bot: Bot, reply: Reply) -> None:
    """A notification to another chat must not stop the user's own replies if it fails."""
    assert reply.chat_id is not None
    try:
        await send_reply(bot, reply, Origin(chat_id=reply.chat_id))
    except (Forbidden, BadRequest) as exc:
        log.warning("could not notify chat %s: %s", reply.chat_id, exc.message)


async def send_reply(bot: Bot, reply: Reply, origin: Origin) -> None:
    """Send (or edit into place) one reply: attachment first, then the text in parts."""
    chat_id = reply.chat_id or origin.chat_id
    markup = keyboard(reply.buttons)
    text = reply.text
    if reply.attachment is not None:
        caption = reply.attachment.caption
        fits = bool(caption) and len(split_html(caption, TELEGRAM_CAPTION_LIMIT)) == 1
        if caption and not fits:  # an over-long caption becomes the start of the text
            text = f"{caption}\n\n{text}" if text else caption
        await _send_attachment(
            bot,
            chat_id,
            reply,
            caption=caption if fits else "",
            markup=None if text.strip() else markup,
        )
        if not text.strip():
            return
    preview = LinkPreviewOptions(is_disabled=reply.disable_preview)
    parts = split_html(text) if text.strip() else []
    if reply.edit and origin.message_id is not None and reply.attachment is None:
        if await _edit(bot, chat_id, origin.message_id, parts, markup, preview):
            parts = parts[1:]
        elif not parts:
            return
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(
            chat_id,
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if last else None,
            link_preview_options=preview,
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
