"""Replies that fail are not silent: an edit Telegram refuses becomes a new message, the apology
goes out even when the press can no longer be answered, and a reply split over several messages
sends every part it can and names the one that is missing. The errors are PTB's own classes
with the wording Telegram sends."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.core.messages import Button, Reply
from bot.core.texts import t
from bot.tg.errors import apology, on_error, parts_missing
from bot.tg.metrics import METRICS_KEY, BotMetrics, error_counter
from bot.tg.render import Lost, Origin, RepliesLost, deliver


class RecordingBot:
    """Records what is sent; edits and callback answers fail with the given errors."""

    def __init__(
        self,
        *,
        edit_error: str | None = None,
        answer_error: str | None = None,
        send_errors: dict[int, Exception] | None = None,
    ):
        self.sent: list[str] = []
        self.edit_error = edit_error
        self.answer_error = answer_error
        self.send_errors = send_errors or {}  # by the send's index, from 0
        self.sends = 0

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> None:
        if self.edit_error:
            raise BadRequest(self.edit_error)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        index, self.sends = self.sends, self.sends + 1
        if index in self.send_errors:
            raise self.send_errors[index]
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
    await deliver(bot, [Reply(text="Your answer is saved.", edit=True)], Origin(7, 42))
    assert bot.sent == ["Your answer is saved."]


async def test_an_unknown_edit_error_is_not_swallowed() -> None:
    bot = RecordingBot(edit_error="Chat not found")
    with pytest.raises(RepliesLost) as raised:
        await deliver(bot, [Reply(text="x", edit=True)], Origin(7, 42))
    assert isinstance(raised.value.cause, BadRequest)
    assert raised.value.lost == [Lost("bad_request", 1, 1, 7)]


def long_text(paragraphs: int) -> str:
    """Paragraphs of 3,000 characters each: one message per paragraph."""
    return "\n\n".join(f"{n}" + "x" * 3000 for n in range(1, paragraphs + 1))


async def test_a_failed_part_does_not_stop_the_parts_after_it() -> None:
    bot = RecordingBot(send_errors={1: TimedOut("Timed out")})
    buttons = ((Button("Next", "qa1:s:1"),),)
    with pytest.raises(RepliesLost) as raised:
        await deliver(bot, [Reply(text=long_text(3), buttons=buttons)], Origin(7))
    assert [text[0] for text in bot.sent] == ["1", "3"]  # part 3, with the buttons, still went
    assert raised.value.lost == [Lost("timeout", 2, 3, 7)]


async def test_parts_are_numbered_across_the_replies_of_one_delivery() -> None:
    bot = RecordingBot(send_errors={2: NetworkError("Internal Server Error")})
    replies = [Reply(text="Saved."), Reply(text=long_text(2)), Reply(text="notice", chat_id=99)]
    with pytest.raises(RepliesLost) as raised:
        await deliver(bot, replies, Origin(7))
    assert bot.sent[0] == "Saved." and bot.sent[1].startswith("1") and bot.sent[2] == "notice"
    assert raised.value.own == [Lost("server_error", 3, 3, 7)]


async def test_the_apology_names_the_missing_part_and_the_loss_is_counted() -> None:
    bot = RecordingBot()
    user = User(5, "Ana", False, language_code="fr")
    update = Update(1, message=Message(3, date=None, chat=Chat(7, Chat.PRIVATE), from_user=user))
    lost = RepliesLost([Lost("timeout", 2, 3, 7)], TimedOut("Timed out"))
    metrics = BotMetrics()
    context = SimpleNamespace(bot=bot, error=lost, bot_data={METRICS_KEY: metrics})
    await on_error(update, context)
    await error_counter(metrics)(update, context)
    assert bot.sent == [str(t("fr", "apology_parts_missing", missing="2", total=3))]
    assert "2 sur 3" in bot.sent[0]
    exposition = metrics.exposition()[0].decode()
    assert 'icc_replies_lost_total{reason="timeout"} 1.0' in exposition


async def test_a_lost_notification_to_another_chat_gets_no_apology_in_this_one() -> None:
    bot = RecordingBot()
    user = User(5, "Ana", False, language_code="en")
    update = Update(1, message=Message(3, date=None, chat=Chat(7, Chat.PRIVATE), from_user=user))
    lost = RepliesLost([Lost("forbidden", 1, 1, 99, elsewhere=True)], TimedOut("x"))
    await on_error(update, SimpleNamespace(bot=bot, error=lost, bot_data={}))
    assert bot.sent == []


def test_a_single_lost_message_gets_the_plain_apology() -> None:
    assert parts_missing("en", [Lost("timeout", 1, 1, 7)]) == apology("en")
    assert "part 2, 3 of 4" in parts_missing(
        "en", [Lost("network", 2, 4, 7), Lost("network", 3, 4, 7)]
    )


async def test_the_apology_is_sent_when_the_press_is_too_old_to_answer() -> None:
    bot = RecordingBot(
        answer_error="Query is too old and response timeout expired or query id is invalid"
    )
    user = User(5, "Ana", False, language_code="en")
    chat = Chat(7, Chat.PRIVATE)
    message = Message(42, date=None, chat=chat)
    query = CallbackQuery("q1", user, "inst", message=message, data="qa1:s:1")
    update = Update(1, callback_query=query)
    context = SimpleNamespace(bot=bot, error=RuntimeError("boom"), bot_data={})
    await on_error(update, context)
    assert bot.sent == [apology("en")]
