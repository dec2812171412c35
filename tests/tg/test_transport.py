"""The real PTB application against the stand-in, with a scripted core in place of ours."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest
from tg_helpers import TOKEN, RunBot, ScriptedCore

from bot.core.logrefs import chat_ref
from bot.core.messages import Attachment, Button, Incoming, Reply
from bot.playground.server import StandIn
from bot.playground.state import Fault, PlaygroundUser
from bot.tg.app import ADMIN_COMMANDS, COMMANDS
from bot.tg.split import split_html

ANA = PlaygroundUser(id=501, first_name="Ana", username="ana_b", language_code="fr")
BEN = PlaygroundUser(id=502, first_name="Ben")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\xb0\x00\x00\x02\x58"
    b"\x08\x02\x00\x00\x00\x00\x00\x00\x00"
)


def echo(incoming: Incoming) -> list[Reply]:
    said = incoming.text or incoming.callback or ""
    return [Reply(text=f"<b>You said</b> {said}")]


async def test_admins_get_their_commands_in_their_own_chat_only(
    standin: StandIn, run_bot: RunBot
) -> None:
    standin.add_user(BEN)  # the admin has written to the bot before; Ana's id is not an admin
    async with run_bot(ScriptedCore(echo), admin_ids=frozenset({BEN.id, 999})):
        await standin.wait_for(lambda: BEN.id in standin.state.chat_commands, 10)
    everyone = [c.command for c in COMMANDS]
    assert [c["command"] for c in standin.state.commands] == everyone
    admin_menu = [c["command"] for c in standin.state.chat_commands[BEN.id]]
    assert admin_menu == everyone + [c.command for c in ADMIN_COMMANDS]
    assert "requests" not in everyone
    assert 999 not in standin.state.chat_commands  # never wrote: refused, and the bot still ran


async def test_start_registers_commands_and_passes_the_update_to_the_core(
    standin: StandIn, run_bot: RunBot
) -> None:
    core = ScriptedCore(echo)
    async with run_bot(core):
        update_id = await standin.send_text(ANA, "/start")
        [reply] = await standin.wait_for_bot_messages(ANA.id, 1)
    assert [c["command"] for c in standin.state.commands] == [c.command for c in COMMANDS]
    assert reply.text == "You said /start"
    assert reply.html == "<b>You said</b> /start"
    [incoming] = core.seen
    assert incoming == Incoming(
        user_id=ANA.id,
        chat_id=ANA.id,
        text="/start",
        language_code="fr",
        display_name="Ana",
        username="ana_b",
        event_id=str(update_id),
    )
    assert standin.calls("sendChatAction") == []  # a quick reply needs no typing indicator


async def test_a_slow_reply_shows_typing_first(standin: StandIn, run_bot: RunBot) -> None:
    def slow(incoming: Incoming) -> list[Reply]:
        time.sleep(0.8)
        return echo(incoming)

    async with run_bot(ScriptedCore(slow)):
        await standin.send_text(BEN, "What is an anti-rumour strategy?")
        await standin.wait_for_bot_messages(BEN.id, 1)
    assert [c["action"] for c in standin.calls("sendChatAction")] == ["typing"]


async def test_button_press_edits_the_message_and_answers_once_with_the_toast(
    standin: StandIn, run_bot: RunBot
) -> None:
    def respond(incoming: Incoming) -> list[Reply]:
        if incoming.callback:
            return [
                Reply(
                    text="Question 2/3",
                    buttons=((Button("Yes", "a:2"),),),
                    edit=True,
                    toast="Saved",
                )
            ]
        return [Reply(text="Question 1/3", buttons=((Button("Yes", "a:1"), Button("No", "b:1")),))]

    async with run_bot(ScriptedCore(respond)):
        await standin.send_text(BEN, "/selfcheck")
        [question] = await standin.wait_for_bot_messages(BEN.id, 1)
        assert question.button_data() == ["a:1", "b:1"]
        await standin.press(BEN, question, "a:1")
        await standin.wait_for(lambda: question.edits == 1)
    assert len(standin.bot_messages(BEN.id)) == 1
    assert (question.text, question.button_data()) == ("Question 2/3", ["a:2"])
    assert list(standin.state.answered_callbacks.values()) == ["Saved"]


async def test_a_long_reply_is_split_with_the_buttons_on_the_last_part(
    standin: StandIn, run_bot: RunBot
) -> None:
    long = "\n\n".join(f"<b>Section {i}</b> " + "text " * 300 for i in range(8))
    reply = Reply(text=long, buttons=((Button("Sources", "src:1"),),))
    async with run_bot(ScriptedCore(lambda _: [reply])):
        await standin.send_text(BEN, "long please")
        parts = await standin.wait_for_bot_messages(BEN.id, len(split_html(long)))
    assert len(parts) >= 3
    assert all(len(m.text) <= 4096 for m in parts)
    assert [bool(m.buttons) for m in parts] == [False] * (len(parts) - 1) + [True]
    assert "".join(m.text for m in parts).count("Section") == 8


async def test_a_chart_is_sent_as_a_photo_then_the_text_with_buttons(
    standin: StandIn, run_bot: RunBot
) -> None:
    reply = Reply(
        text="<b>Your scores</b>",
        buttons=((Button("Request a study visit", "visit:1"),),),
        attachment=Attachment("chart.png", PNG, kind="photo", caption="ICC Index estimate"),
    )
    async with run_bot(ScriptedCore(lambda _: [reply])):
        await standin.send_text(BEN, "done")
        photo, text = await standin.wait_for_bot_messages(BEN.id, 2)
    assert photo.photo is not None and photo.photo.content == PNG
    assert photo.text == "ICC Index estimate" and not photo.buttons
    assert text.text == "Your scores" and text.button_data() == ["visit:1"]


async def test_429_delays_the_reply_instead_of_losing_it(standin: StandIn, run_bot: RunBot) -> None:
    standin.inject(Fault("sendMessage", status=429, retry_after=1))
    async with run_bot(ScriptedCore(echo)):
        await standin.send_text(BEN, "/help")
        [reply] = await standin.wait_for_bot_messages(BEN.id, 1)
    assert reply.text == "You said /help"
    assert len(standin.calls("sendMessage")) == 2


async def test_a_server_error_on_send_is_retried_without_a_duplicate(
    standin: StandIn, run_bot: RunBot
) -> None:
    standin.inject(Fault("sendMessage", status=502, times=2))
    async with run_bot(ScriptedCore(echo)):
        await standin.send_text(BEN, "/help")
        await standin.wait_for_bot_messages(BEN.id, 1)
    assert [m.text for m in standin.bot_messages(BEN.id)] == ["You said /help"]
    assert len(standin.calls("sendMessage")) == 3


async def test_one_chat_in_order_while_other_chats_proceed(
    standin: StandIn, run_bot: RunBot
) -> None:
    release = threading.Event()

    def respond(incoming: Incoming) -> list[Reply]:
        if incoming.text == "slow":
            release.wait(20)
        return echo(incoming)

    core = ScriptedCore(respond)
    async with run_bot(core) as application:
        await standin.send_text(ANA, "slow")
        await standin.wait_for(lambda: core.seen)
        await standin.send_text(ANA, "second")
        await standin.send_text(BEN, "meanwhile")
        await standin.wait_for_bot_messages(BEN.id, 1)
        # Ana's second message waits for her first; Ben was not held up by either.
        assert standin.bot_messages(ANA.id) == []
        assert [i.text for i in core.seen] == ["slow", "meanwhile"]
        release.set()
        replies = await standin.wait_for_bot_messages(ANA.id, 2)
        for _ in range(100):  # the last handler returns just after its reply is sent
            if not application.update_processor.chats_in_progress:
                break
            await asyncio.sleep(0.05)
        assert application.update_processor.chats_in_progress == 0  # no lock left behind
    assert [m.text for m in replies] == ["You said slow", "You said second"]


async def test_a_failing_core_gets_an_apology_and_a_log_line_without_the_token(
    standin: StandIn, run_bot: RunBot, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(incoming: Incoming) -> list[Reply]:
        raise RuntimeError("database on fire")

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # the CLI quietens it; here it must speak
    async with run_bot(ScriptedCore(explode)):
        update_id = await standin.send_text(ANA, "hello")
        [reply] = await standin.wait_for_bot_messages(ANA.id, 1)
    assert reply.text.startswith("Désolé")
    assert "fire" not in reply.text and "Traceback" not in reply.text
    failures = [r for r in caplog.records if r.name == "bot.tg.errors"]
    assert f"update {update_id} chat {chat_ref(ANA.id)}" in failures[0].getMessage()
    assert str(ANA.id) not in failures[0].getMessage()  # logs name people by reference only
    assert failures[0].exc_info is not None
    logged = "\n".join(r.getMessage() + (caplog.text or "") for r in caplog.records)
    assert TOKEN not in logged
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)  # httpx did log URLs


async def test_a_notification_to_an_unreachable_chat_does_not_stop_the_reply(
    standin: StandIn, run_bot: RunBot
) -> None:
    replies = [Reply(text="to the admin", chat_id=999), Reply(text="Request sent")]
    async with run_bot(ScriptedCore(lambda _: replies)):
        await standin.send_text(BEN, "/visit")
        [reply] = await standin.wait_for_bot_messages(BEN.id, 1)
    assert reply.text == "Request sent"


async def test_an_admins_upload_reaches_the_core_with_its_content(
    standin: StandIn, run_bot: RunBot
) -> None:
    core = ScriptedCore(lambda _: [Reply(text="Got it")])
    async with run_bot(core, admin_ids=frozenset({ANA.id})):
        await standin.upload(ANA, "scores.csv", b"city,area,score\n", "text/csv")
        await standin.wait_for_bot_messages(ANA.id, 1)
    [incoming] = core.seen
    assert incoming.text is None and incoming.document is not None
    assert (incoming.document.filename, incoming.document.content) == (
        "scores.csv",
        b"city,area,score\n",
    )
    assert incoming.document.mime_type == "text/csv" and incoming.document.size == 16


async def test_anyone_elses_upload_is_not_downloaded(standin: StandIn, run_bot: RunBot) -> None:
    core = ScriptedCore(lambda _: [Reply(text="Only the secretariat adds documents")])
    async with run_bot(core, admin_ids=frozenset({BEN.id})):
        await standin.upload(ANA, "big.pdf", b"%PDF-" + b"x" * 5000, "application/pdf")
        await standin.wait_for_bot_messages(ANA.id, 1)
    [incoming] = core.seen
    assert incoming.document is not None and incoming.document.content == b""
    assert incoming.document.size == 5005  # the core still knows what was sent
    assert standin.calls("getFile") == []


async def test_the_retention_purge_is_scheduled_daily(run_bot: RunBot) -> None:
    async with run_bot(ScriptedCore(echo)) as application:
        [job] = [j for j in application.job_queue.jobs() if j.name == "_purge_job"]
        assert job.job.trigger.interval.total_seconds() == 24 * 3600


async def test_a_group_chat_gets_a_pointer_to_the_private_chat_and_nothing_else(
    standin: StandIn, run_bot: RunBot
) -> None:
    core = ScriptedCore(echo)
    group = -100777
    async with run_bot(core):
        await standin.send_group_text(ANA, group, "/mydata@icc_bot")
        await standin.send_group_text(ANA, group, "what is an anti-rumours strategy?")
        [pointer] = await standin.wait_for_bot_messages(group, 1)
        await standin.send_text(ANA, "/start")  # the private chat still works
        await standin.wait_for_bot_messages(ANA.id, 1)
    assert "conversation privée" in pointer.text  # Ana's Telegram is in French
    assert [m.text for m in standin.bot_messages(group)] == [pointer.text]
    assert [i.chat_id for i in core.seen] == [ANA.id]  # the core never saw the group


async def test_a_failed_reply_does_not_stop_the_notifications_after_it(
    standin: StandIn, run_bot: RunBot
) -> None:
    standin.add_user(BEN)
    core = ScriptedCore(
        lambda incoming: [Reply(text="yours"), Reply(text="for the admin", chat_id=BEN.id)]
    )
    standin.inject(Fault("sendMessage", status=504))  # the officer's own reply is lost...
    async with run_bot(core):
        await standin.send_text(ANA, "/visit")
        [notice] = await standin.wait_for_bot_messages(BEN.id, 1)
        [apology] = await standin.wait_for_bot_messages(ANA.id, 1)
    assert notice.text == "for the admin"  # ...the secretariat still hears of it
    assert "Désolé" in apology.text  # and the officer is told something went wrong
