"""At-least-once replies: an update whose effect was committed by a bot that died before
replying is delivered again and answered with the state it left, never applied twice.

The real core on SQLite and the real PTB stack against the stand-in; the first bot "dies" by
freezing right after the core committed (a thread that never returns, as a killed process
never sends), and a second bot, started meanwhile, receives the unconfirmed update again.
"""

from __future__ import annotations

import threading
from pathlib import Path

from test_delivery import stand_in_settings
from tg_helpers import RunBot

from bot.core.assistant import Assistant
from bot.core.messages import Incoming, Reply
from bot.core.texts import t
from bot.playground.server import StandIn
from bot.playground.state import Message, PlaygroundUser
from bot.playground.tghtml import parse
from bot.services import build_services
from bot.storage import repo
from bot.storage.db import session_scope

ANA = PlaygroundUser(id=702, first_name="Ana")


class DiesAfterCommit:
    """The real core; the update ``doomed`` is applied (committed), then the bot freezes
    before any reply is sent, the way a process killed at that moment would leave it."""

    def __init__(self, core: Assistant, doomed: set[str]) -> None:
        self.core = core
        self.doomed = doomed
        self.applied = threading.Event()
        self.release = threading.Event()

    def handle(self, incoming: Incoming) -> list[Reply]:
        replies = self.core.handle(incoming)
        if incoming.event_id in self.doomed:
            self.applied.set()
            self.release.wait(60)
            return []
        return replies


def step_data(message: Message) -> list[str]:
    return [d for d in message.button_data() if d.startswith("sc1:")]


async def test_a_press_committed_before_the_bot_died_is_answered_by_the_next_bot(
    standin: StandIn, run_bot: RunBot, tmp_path: Path
) -> None:
    services = build_services(stand_in_settings(standin, tmp_path))
    doomed: set[str] = set()
    first = DiesAfterCommit(Assistant(services), doomed)
    async with run_bot(first):
        try:
            await standin.send_text(ANA, "/selfcheck")
            [offer] = await standin.wait_for_bot_messages(ANA.id, 1)
            version = offer.version
            await standin.press(ANA, offer, "scs1:quick")
            await standin.wait_for(lambda: offer.version != version)
            question = offer  # the offer was edited into the first question
            run_id = int(step_data(question)[0].split(":")[1])
            answer = f"sc1:{run_id}:0:k"  # "Don't know"
            version = question.version
            press = await standin.press(ANA, question, answer)
            doomed.add(str(press))
            await standin.wait_for(first.applied.is_set)
            assert question.version == version  # nothing was sent: the bot "died"
            with session_scope(services.engine) as session:
                stored = repo.answers_for(session, run_id=run_id)
                assert repo.event_processed(session, event_id=str(press))
            assert len(stored) == 1

            async with run_bot(Assistant(services)):  # the restarted bot
                await standin.wait_for(lambda: question.version != version)
                await standin.wait_for(lambda: not standin.state.updates)
        finally:
            first.release.set()
    assert "question 2/" in question.text  # the state the press left: the next question
    assert all(d.split(":")[2] == "1" for d in step_data(question))
    with session_scope(services.engine) as session:
        again = repo.answers_for(session, run_id=run_id)
        run = repo.get_run(session, run_id=run_id)
    assert {k: (v.options, v.answered_at) for k, v in again.items()} == {
        k: (v.options, v.answered_at) for k, v in stored.items()
    }
    assert run is not None and run.position == 1


async def test_a_redelivered_read_only_command_is_answered_again(
    standin: StandIn, run_bot: RunBot, tmp_path: Path
) -> None:
    services = build_services(stand_in_settings(standin, tmp_path))
    doomed: set[str] = set()
    first = DiesAfterCommit(Assistant(services), doomed)
    async with run_bot(first):
        try:
            doomed.add(str(await standin.send_text(ANA, "/help")))
            await standin.wait_for(first.applied.is_set)
            assert standin.bot_messages(ANA.id) == []
            async with run_bot(Assistant(services)):
                [reply] = await standin.wait_for_bot_messages(ANA.id, 1)
        finally:
            first.release.set()
    assert reply.text == parse(str(t("en", "help"))).text
