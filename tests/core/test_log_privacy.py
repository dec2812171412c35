"""Logs name nobody: real turns through the whole bot (PTB against the stand-in, the real core and
database), failures and /forget included, leave no raw user or chat id in any log record.

Logs outlive /forget (they are shipped and kept elsewhere), so every line that needs to say who
says `user_ref(id)`, a salted hash, instead.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from core_helpers import make_services

from bot.cli import NOISY_LOGGERS, PERSONAL_DEBUG_LOGGERS, set_library_levels
from bot.core import assistant as assistant_module
from bot.core.logrefs import SALT_FILE, chat_ref, user_ref
from bot.playground.server import StandIn
from bot.playground.state import Fault, Message, PlaygroundUser
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.tg.app import build_application, polling

TOKEN = "777001:log-privacy"
#: Ids long and odd enough that finding their digits in a log line can only mean a leak.
ANA = PlaygroundUser(id=734_519_268, first_name="Ana", username="ana_lp")
BEN = PlaygroundUser(id=682_240_917, first_name="Ben")
ADMIN_ID = 845_112_233  # the secretariat, who never wrote: their command menu fails (logged)
IDS = (ANA.id, BEN.id, ADMIN_ID)


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as server:
        yield server


@pytest.fixture
def services(
    database_url: str, tmp_path: Path, shared_parts: dict[str, Any], standin: StandIn
) -> Iterator[Services]:
    """The core's services (SQLite or PostgreSQL) set up for the Telegram transport."""
    services = make_services(
        database_url,
        tmp_path,
        shared_parts,
        icc_admin_ids=str(ADMIN_ID),
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
    )
    yield services
    services.engine.dispose()


@pytest.fixture
def cli_levels() -> Iterator[None]:
    """The CLI's library levels (as with --verbose), restored afterwards."""
    names = (*NOISY_LOGGERS, *PERSONAL_DEBUG_LOGGERS)
    saved = {name: logging.getLogger(name).level for name in names}
    set_library_levels()
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def _data(message: Message, label: str) -> str:
    """The callback data of the button labelled ``label`` on a message."""
    for row in message.buttons:
        for button in row:
            if button["text"] == label and "callback_data" in button:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {message.buttons}")


async def _forge_press(standin: StandIn, presser: PlaygroundUser, message: Message) -> str:
    """``presser`` presses a button of a message in someone else's chat (a forged update)."""
    return await standin.forge_press(presser, message, (message.button_data() or ["cns1:m:1"])[0])


def _logged(record: logging.LogRecord) -> str:
    """Everything a handler could print of a record: message, traceback, stack."""
    text = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        text += "".join(traceback.format_exception(record.exc_info[1]))
    return text + (record.exc_text or "") + (record.stack_info or "")


async def test_no_log_record_holds_a_raw_user_or_chat_id(
    standin: StandIn,
    services: Services,
    with_index: None,
    cli_levels: None,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)

    def broken_help(turn: Any, args: str) -> list[Any]:
        raise RuntimeError("help is broken")

    application = build_application(services.settings, services, retry_backoff=0.01)
    async with polling(application):
        # ordinary turns: welcome, city, a question, privacy and a consent
        await standin.send_text(ANA, "/start")
        await standin.wait_for_bot_messages(ANA.id, 1, 60)
        await standin.send_text(ANA, "Barcelona")
        await standin.wait_for_bot_messages(ANA.id, 2, 60)
        await standin.send_text(ANA, "How can a city fight rumours about migrants?")
        await standin.wait_for_bot_messages(ANA.id, 3, 90)
        await standin.send_text(ANA, "/privacy")
        *_, privacy = await standin.wait_for_bot_messages(ANA.id, 4, 60)
        await standin.press(ANA, privacy, _data(privacy, "Mentor: yes"))
        await standin.wait_for(lambda: privacy.edits or len(standin.bot_messages(ANA.id)) > 4)
        # failures: a forged payload, a foreign press, a reply Telegram refuses, a core bug
        await standin.press(ANA, privacy, "cns1:x:1")
        await standin.send_text(BEN, "/help")
        [ben_help] = await standin.wait_for_bot_messages(BEN.id, 1, 60)
        foreign = await _forge_press(standin, ANA, ben_help)
        await standin.wait_for(lambda: standin.state.answered_callbacks[foreign] is not None)
        standin.inject(Fault("sendMessage", status=400))
        await standin.send_text(BEN, "/language")
        await standin.wait_for_bot_messages(BEN.id, 2, 60)  # the apology
        monkeypatch.setitem(assistant_module.COMMANDS, "help", broken_help)
        await standin.send_text(BEN, "/help")
        await standin.wait_for_bot_messages(BEN.id, 3, 60)
        # and /forget, confirmed
        count = len(standin.bot_messages(ANA.id))
        await standin.send_text(ANA, "/forget")
        *_, confirm = await standin.wait_for_bot_messages(ANA.id, count + 1, 60)
        await standin.press(ANA, confirm, _data(confirm, "Yes, delete my data"))
        await standin.wait_for(lambda: confirm.edits)
    with session_scope(services.engine) as session:
        assert repo.get_user(session, user_id=ANA.id) is None

    records = caplog.records
    logged = {id(record): _logged(record) for record in records}
    leaks = [text for text in logged.values() if any(str(i) in text for i in IDS)]
    assert leaks == []
    # The lines that must say who are there, by reference, and the failures were logged.
    everything = "\n".join(logged.values())
    assert f"invalid input from {user_ref(ANA.id)}" in everything
    assert user_ref(ANA.id) in everything and chat_ref(BEN.id) in everything
    assert f"no admin command menu for {user_ref(ADMIN_ID)}" in everything
    assert f"from {user_ref(BEN.id)}" in everything and "help is broken" in everything
    assert any(r.name == "bot.tg.errors" and r.exc_info for r in records)
    assert any(r.name.startswith("telegram") for r in records)  # PTB's own lines were kept
    assert (services.settings.icc_data_dir / SALT_FILE).stat().st_mode & 0o077 == 0
