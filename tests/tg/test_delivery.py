"""At-least-once delivery: an update is confirmed to Telegram only after it was processed.

The first test uses the real core (SQLite) so that "exactly once" is checked where it is kept:
the core stores each update id with its effect and drops a redelivery.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from tg_helpers import TOKEN, RunBot, ScriptedCore

from bot.config import Settings, load_settings
from bot.core.assistant import Assistant
from bot.core.messages import Incoming, Reply
from bot.playground.server import StandIn
from bot.playground.state import Fault, PlaygroundUser
from bot.services import build_services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.tg.app import build_application, webhook
from bot.tg.errors import apology
from bot.tg.webhook_server import SECRET_HEADER

ANA = PlaygroundUser(id=701, first_name="Ana")
SECRET = "s3cret"


class FreezingCore:
    """The real core, except that a button press freezes its process before anything is
    committed, the way a process killed at that moment would leave it."""

    def __init__(self, core: Assistant) -> None:
        self.core = core
        self.frozen = threading.Event()
        self.release = threading.Event()

    def handle(self, incoming: Incoming) -> list[Reply]:
        if incoming.callback is None:
            return self.core.handle(incoming)
        self.frozen.set()
        self.release.wait(60)
        return []  # a killed process never gets further


def stand_in_settings(standin: StandIn, tmp_path: Path) -> Settings:
    return load_settings(
        telegram_bot_token=TOKEN, telegram_api_base_url=standin.base_url, icc_data_dir=tmp_path
    )


async def test_a_press_in_flight_when_the_bot_dies_is_processed_once_by_the_next(
    standin: StandIn, run_bot: RunBot, tmp_path: Path
) -> None:
    services = build_services(stand_in_settings(standin, tmp_path))
    first = FreezingCore(Assistant(services))
    async with run_bot(first):
        try:
            await standin.send_text(ANA, "/selfcheck")
            [offer] = await standin.wait_for_bot_messages(ANA.id, 1)
            press = await standin.press(ANA, offer, offer.button_data()[0])
            await standin.wait_for(first.frozen.is_set)
            # Handed to the core but not finished: Telegram still holds it.
            assert [u["update_id"] for u in standin.state.updates] == [press]

            async with run_bot(Assistant(services)):  # the restarted bot
                await standin.wait_for(lambda: not standin.state.updates)
        finally:
            first.release.set()  # the first bot, thawed, stops (it did nothing more)
    with session_scope(services.engine) as session:
        runs = repo.runs_of(session, user_id=ANA.id)
        assert repo.event_processed(session, event_id=str(press))
    assert len(runs) == 1  # the press started exactly one self-check
    [answered] = standin.state.answered_callbacks.values()
    assert answered is not None  # the spinner stopped
    messages = standin.bot_messages(ANA.id)
    assert messages[0].edits or len(messages) > 1  # and the press was answered visibly


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def webhook_bot(standin: StandIn, tmp_path: Path, core: Any, port: int) -> AsyncIterator[str]:
    """The bot in webhook mode with ``core``; yields the webhook URL."""
    settings = stand_in_settings(standin, tmp_path)
    application = build_application(settings, build_services(settings), core=core)
    url = f"http://127.0.0.1:{port}/hook"
    async with webhook(
        application,
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=url,
        secret_token=SECRET,
    ):
        yield url


def text_update(update_id: int, text: str) -> dict[str, Any]:
    message = {"message_id": 1, "date": 0, "chat": ANA.chat(), "from": ANA.to_api(), "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


async def post(url: str, update: dict[str, Any]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response,
    ):
        return response.status


async def test_a_webhook_delivery_that_fails_is_answered_500_and_delivered_again(
    standin: StandIn, tmp_path: Path
) -> None:
    failures = {"flaky": 1, "broken": 99}

    def respond(incoming: Incoming) -> list[Reply]:
        text = incoming.text or ""
        if failures.get(text, 0) > 0:
            failures[text] -= 1
            raise RuntimeError("the database is away")
        return [Reply(text=f"got {text}")]

    core = ScriptedCore(respond)
    standin.add_user(ANA)
    async with webhook_bot(standin, tmp_path, core, free_port()) as url:
        assert await post(url, text_update(50_000, "broken")) == 500
        flaky = await standin.send_text(ANA, "flaky")
        await standin.wait_for(
            lambda: any(m.text == "got flaky" for m in standin.bot_messages(ANA.id))
        )
    assert [i.event_id for i in core.seen if i.text == "flaky"] == [str(flaky)] * 2
    assert [m.text for m in standin.bot_messages(ANA.id)] == [apology("en")] * 2 + ["got flaky"]


async def test_a_webhook_delivery_is_answered_after_its_reply_and_a_duplicate_changes_nothing(
    standin: StandIn, tmp_path: Path
) -> None:
    standin.add_user(ANA)
    services = build_services(stand_in_settings(standin, tmp_path))
    async with webhook_bot(standin, tmp_path, Assistant(services), free_port()) as url:
        assert await post(url, text_update(60_000, "/selfcheck")) == 200
        replies = [m.text for m in standin.bot_messages(ANA.id)]
        assert replies  # already sent when the delivery was answered
        assert await post(url, text_update(60_000, "/selfcheck")) == 200
    assert [m.text for m in standin.bot_messages(ANA.id)] == replies
    with session_scope(services.engine) as session:
        assert repo.event_processed(session, event_id="60000")


async def test_polling_survives_failing_get_updates_and_then_delivers(
    standin: StandIn, run_bot: RunBot
) -> None:
    standin.inject(Fault("getUpdates", status=502, times=2))
    async with run_bot(ScriptedCore(lambda incoming: [Reply(text=f"got {incoming.text}")])):
        await standin.send_text(ANA, "hello")
        [reply] = await standin.wait_for_bot_messages(ANA.id, 1)
    assert reply.text == "got hello"
    assert len(standin.calls("getUpdates")) >= 3
