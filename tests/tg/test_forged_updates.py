"""Forged updates stop at the transport: a button pressed on a message of another chat acts
nowhere, and characters a database or the network cannot take never reach the core.

Such updates need the webhook secret or the playground; both are the real PTB stack here,
polling the stand-in, with the real core on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from tg_helpers import TOKEN, ScriptedCore

from bot.config import load_settings
from bot.core.inputs import clean
from bot.core.messages import Reply
from bot.playground.server import StandIn
from bot.playground.state import Message, PlaygroundUser
from bot.services import Services, build_services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.tg.app import build_application, polling

ANA = PlaygroundUser(id=811, first_name="Ana", language_code="en")
BEN = PlaygroundUser(id=812, first_name="Ben", language_code="fr")


@pytest.fixture
def services(database_url: str, standin: StandIn, tmp_path: Path) -> Iterator[Services]:
    """Real services (the core's, on SQLite or PostgreSQL) for the bot polling the stand-in."""
    settings = load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
        icc_data_dir=tmp_path,
        database_url=database_url,
    )
    services = build_services(settings)
    yield services
    services.engine.dispose()


@asynccontextmanager
async def real_bot(services: Services) -> AsyncIterator[None]:
    """The whole bot, core included, polling the stand-in."""
    application = build_application(services.settings, services, retry_backoff=0.01)
    async with polling(application):
        yield


async def forge_press(standin: StandIn, presser: PlaygroundUser, message: Message) -> str:
    """``presser`` presses the first button of a message in someone else's chat, as a forged
    update would; returns the query id (the stand-in shows its toast in the presser's chat)."""
    return await standin.forge_press(presser, message, message.button_data()[0])


def _calls_to(standin: StandIn, chat_id: int) -> list[str]:
    """The Bot API methods called for a chat so far."""
    return [name for name, params in standin.state.calls if params.get("chat_id") == str(chat_id)]


def _user(services: Services, user_id: int) -> Any:
    with session_scope(services.engine) as session:
        return repo.get_user(session, user_id=user_id)


async def test_a_press_on_another_chats_message_acts_nowhere(
    standin: StandIn, services: Services
) -> None:
    async with real_bot(services):
        await standin.send_text(ANA, "/start")
        [welcome] = await standin.wait_for_bot_messages(ANA.id, 1, 60)
        await standin.send_text(BEN, "/help")
        await standin.wait_for_bot_messages(BEN.id, 1, 60)
        assert welcome.button_data() and welcome.button_data()[0].startswith("city1:")
        before = (welcome.version, welcome.edits, welcome.text)
        ana_before = _user(services, ANA.id)
        calls_before = _calls_to(standin, ANA.id)

        query_id = await forge_press(standin, BEN, welcome)
        answer = await standin.wait_for(lambda: standin.state.answered_callbacks[query_id])
        # Ben's own press, then a message of his own, are handled as usual afterwards.
        await standin.send_text(BEN, "/help")
        await standin.wait_for_bot_messages(BEN.id, 2, 60)

    assert answer == "Ce bouton appartient à la conversation de quelqu'un d'autre."
    assert len(standin.bot_messages(ANA.id)) == 1  # nothing said in Ana's chat
    assert (welcome.version, welcome.edits, welcome.text) == before  # nor edited there
    assert len(standin.bot_messages(BEN.id)) == 2  # and no reply to Ben for the press
    ana, ben = _user(services, ANA.id), _user(services, BEN.id)
    assert (ana.city, ana.state, ana.chat_id) == (ana_before.city, ana_before.state, ANA.id)
    assert ben.chat_id == BEN.id and ben.city is None  # his stored chat is still his own
    assert _calls_to(standin, ANA.id) == calls_before  # not even "typing…" there


async def test_a_message_claiming_another_users_chat_is_ignored(
    standin: StandIn, run_bot: Any
) -> None:
    core = ScriptedCore(lambda incoming: [Reply(text="hello")])
    async with run_bot(core):
        standin.add_user(ANA)
        forged = {
            "message_id": 1,
            "date": 0,
            "chat": ANA.chat(),  # Ana's private chat...
            "from": BEN.to_api(),  # ...written by Ben
            "text": "/start",
        }
        standin.state.push_update({"message": forged})
        await standin.send_text(BEN, "/help")  # after the forged one, in order
        await standin.wait_for_bot_messages(BEN.id, 1)
    assert [(i.user_id, i.chat_id, i.text) for i in core.seen] == [(BEN.id, BEN.id, "/help")]
    assert standin.bot_messages(ANA.id) == []


#: A display name and a username with a NUL byte, a lone surrogate and an escape character.
ZOE = PlaygroundUser(id=813, first_name="Zo\x00é\ud800\x1b[31m", username="zoe\x00_x")


async def test_nul_and_lone_surrogates_are_cleaned_before_the_database(
    standin: StandIn, services: Services
) -> None:
    """On PostgreSQL a NUL made every update of that user fail; a lone surrogate fails on both."""
    async with real_bot(services):
        await standin.send_text(ZOE, "/start")
        [welcome] = await standin.wait_for_bot_messages(ZOE.id, 1, 60)
        await standin.send_text(ZOE, "Barcel\x00ona\r\n")
        await standin.wait_for_bot_messages(ZOE.id, 2, 60)
        await standin.send_text(ZOE, "/help\x07")
        [*_, help_reply] = await standin.wait_for_bot_messages(ZOE.id, 3, 60)
    assert "Zoé\ufffd[31m" in welcome.text
    assert "/selfcheck" in help_reply.text  # every update of this user is still handled
    zoe = _user(services, ZOE.id)
    assert (zoe.display_name, zoe.username, zoe.city) == ("Zoé\ufffd[31m", "zoe_x", "Barcelona")


async def test_an_uploaded_file_name_arrives_cleaned(standin: StandIn, run_bot: Any) -> None:
    """(Not an admin's upload, so not fetched: the core refuses it from its name and size.)"""
    core = ScriptedCore(lambda incoming: [Reply(text="Got it")])
    async with run_bot(core):
        await standin.upload(ANA, "sco\x00res\ud800\t.csv", b"city,area,score\n", "text/csv")
        await standin.wait_for_bot_messages(ANA.id, 1)
    [incoming] = core.seen
    assert incoming.document is not None
    assert incoming.document.filename == "scores\ufffd\t.csv"


def test_clean_keeps_text_and_drops_what_cannot_be_stored() -> None:
    assert clean("Zoé 😀 — ok\n\ttab") == "Zoé 😀 — ok\n\ttab"  # untouched
    assert clean("a\r\nb\rc") == "a\nb\nc"
    assert clean("\x00n\x01u\x1fl\x7fl") == "null"
    assert clean("x\ud800y\udfff") == "x\ufffdy\ufffd"
    assert clean("\x85 C1 and \u200b stay") == "\x85 C1 and \u200b stay"
