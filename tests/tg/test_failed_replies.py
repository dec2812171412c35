"""Replies that fail are not silent: an edit Telegram refuses becomes a new message, and the
apology goes out even when the press can no longer be answered. The errors are PTB's own
classes with the wording Telegram sends."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.error import BadRequest

from bot.core.messages import Reply
from bot.tg.errors import apology, on_error
from bot.tg.render import Origin, send_reply


class RecordingBot:
    """Records what is sent; edits and callback answers fail with the given errors."""

    def __init__(self, *, edit_error: str | None = None, answer_error: str | None = None):
        self.sent: list[str] = []
        self.edit_error = edit_error
        self.answer_error = answer_error

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> None:
        if self.edit_error:
            raise BadRequest(self.edit_error)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.sent.append(text)

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> None:
        if self.answer_error:
            raise BadRequest(self.answer_error)


@pytest.mark.parametrize(
    "error",
    [
        "Message to edit not found",
        "Message can't be edited",
        "There is no text in the message to edit",
    ],
)
async def test_a_refused_edit_is_sent_as_a_new_message(error: str) -> None:
    bot = RecordingBot(edit_error=error)
    await send_reply(bot, Reply(text="Your answer is saved.", edit=True), Origin(7, 42))
    assert bot.sent == ["Your answer is saved."]


async def test_an_unknown_edit_error_is_not_swallowed() -> None:
    bot = RecordingBot(edit_error="Chat not found")
    with pytest.raises(BadRequest):
        await send_reply(bot, Reply(text="x", edit=True), Origin(7, 42))


async def test_the_apology_is_sent_when_the_press_is_too_old_to_answer() -> None:
    bot = RecordingBot(
        answer_error="Query is too old and response timeout expired or query id is invalid"
    )
    user = User(5, "Ana", False, language_code="en")
    chat = Chat(7, Chat.PRIVATE)
    message = Message(42, date=None, chat=chat)
    query = CallbackQuery("q1", user, "inst", message=message, data="qa1:s:1")
    update = Update(1, callback_query=query)
    context = SimpleNamespace(bot=bot, error=RuntimeError("boom"))
    await on_error(update, context)
    assert bot.sent == [apology("en")]
