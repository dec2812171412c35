"""Which failed calls are retried: never in a way that could send a message twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut
from tg_helpers import TOKEN

from bot.core.messages import Attachment, Reply
from bot.playground.server import StandIn
from bot.playground.state import Fault, PlaygroundUser
from bot.tg.render import Origin, deliver
from bot.tg.request import RetryingRequest

ANA = PlaygroundUser(id=501, first_name="Ana")


@pytest.fixture
async def bot(standin: StandIn) -> AsyncIterator[Bot]:
    """A bare PTB bot with a short read timeout, so a held-back answer times out quickly."""
    standin.add_user(ANA)
    request = RetryingRequest(backoff=0.01, read_timeout=0.3, connect_timeout=1.0)
    async with Bot(
        TOKEN,
        base_url=f"{standin.base_url}/bot",
        base_file_url=f"{standin.base_url}/file/bot",
        request=request,
    ) as bot:
        yield bot


async def test_a_send_that_times_out_is_not_repeated(standin: StandIn, bot: Bot) -> None:
    standin.inject(Fault("sendMessage", delay=1.0))
    with pytest.raises(TimedOut):
        await bot.send_message(ANA.id, "only once")
    assert [m.text for m in standin.bot_messages(ANA.id)] == ["only once"]
    assert len(standin.calls("sendMessage")) == 1


async def test_a_gateway_timeout_on_a_send_is_not_repeated(standin: StandIn, bot: Bot) -> None:
    standin.inject(Fault("sendPhoto", status=504))
    with pytest.raises(NetworkError):
        await bot.send_photo(ANA.id, b"\x89PNG\r\n\x1a\n" + bytes(20))
    assert len(standin.calls("sendPhoto")) == 1


async def test_a_send_refused_with_503_is_retried(standin: StandIn, bot: Bot) -> None:
    standin.inject(Fault("sendDocument", status=503, times=2))
    await bot.send_document(ANA.id, b"a,b\n", filename="export.csv")
    [message] = standin.bot_messages(ANA.id)
    assert message.document is not None and message.document.filename == "export.csv"
    assert len(standin.calls("sendDocument")) == 3


async def test_an_edit_that_times_out_is_retried_and_lands_once(standin: StandIn, bot: Bot) -> None:
    sent = await bot.send_message(ANA.id, "Question 1")
    standin.inject(Fault("editMessageText", delay=1.0))
    # The first edit is applied but its answer is late; the retry finds nothing to change.
    await deliver(
        bot, [Reply(text="Question 2", edit=True)], Origin(ANA.id, message_id=sent.message_id)
    )
    [message] = standin.bot_messages(ANA.id)
    assert (message.text, message.edits) == ("Question 2", 1)
    assert len(standin.calls("editMessageText")) == 2


async def test_a_retried_callback_answer_is_not_an_error(standin: StandIn, bot: Bot) -> None:
    from bot.tg.render import answer_callback

    sent = await bot.send_message(ANA.id, "Pick")
    await standin.press(ANA, sent.message_id, "x")
    [query_id] = standin.state.answered_callbacks
    standin.inject(Fault("answerCallbackQuery", delay=1.0))
    await answer_callback(bot, query_id, "Saved")
    assert standin.state.answered_callbacks[query_id] == "Saved"
    assert len(standin.calls("answerCallbackQuery")) == 2


async def test_an_edit_of_a_photo_becomes_a_new_message(standin: StandIn, bot: Bot) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10" + bytes(9)
    await deliver(bot, [Reply(attachment=Attachment("c.png", png, kind="photo"))], Origin(ANA.id))
    [photo] = standin.bot_messages(ANA.id)
    await deliver(bot, [Reply(text="Results", edit=True)], Origin(ANA.id, photo.message_id))
    assert [m.text for m in standin.bot_messages(ANA.id)] == ["", "Results"]
