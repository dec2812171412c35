"""The bot process is killed (SIGKILL) in the middle of a self-check and started again.

The bot runs as `python -m bot run` (the same as `icc-assistant run`) with
TELEGRAM_API_BASE_URL pointing at the stand-in, so nothing of the test's process helps it.
It is killed while a press is in flight: received by the bot, not yet applied. Telegram (the
stand-in) still holds that press, so the restarted bot applies and answers it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from selfcheck_driver import (
    answer_one,
    current_question,
    press_and_wait,
    run_id_of,
    start_quick_check,
    step_payloads,
)

from bot.config import Settings
from bot.playground.server import StandIn
from bot.playground.state import Fault, PlaygroundUser
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from scoring.score import indicators_for

pytestmark = pytest.mark.e2e

ANA = PlaygroundUser(id=9101, first_name="Ana")
STARTUP_SECONDS = 180


@asynccontextmanager
async def bot_process(settings: Settings, log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot run` against the stand-in; SIGKILLed at the latest when the block ends."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": settings.telegram_bot_token,
        "TELEGRAM_API_BASE_URL": settings.telegram_api_base_url,
        "ICC_DATA_DIR": str(settings.icc_data_dir),
    }
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, stdout=out, stderr=out
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            os.kill(process.pid, signal.SIGKILL)
        await process.wait()


async def test_killed_mid_self_check_resumes_with_every_answer_kept(
    standin: StandIn, settings: Settings, services: Services, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    model = services.index_model
    quick = indicators_for(model, "quick")
    acknowledged: dict[str, str] = {}
    async with bot_process(settings, log) as first:
        await standin.wait_for(lambda: standin.state.commands, STARTUP_SECONDS)
        question = await start_quick_check(standin, ANA)
        run_id = run_id_of(question)
        for _ in range(3):
            position = int(step_payloads(question)[0].split(":")[2])
            acknowledged[quick[position].id] = await answer_one(standin, ANA, model, question)
        # /help's reply hangs (Telegram slow), so the chat's next update waits behind it...
        standin.inject(Fault("sendMessage", delay=60))
        sent = len(standin.calls("sendMessage"))
        await standin.send_text(ANA, "/help")
        await standin.wait_for(lambda: len(standin.calls("sendMessage")) > sent)
        # ...and a fourth answer is pressed: the bot receives it, and dies before applying it.
        position = int(step_payloads(question)[0].split(":")[2])
        in_flight = quick[position].id
        polls = len(standin.calls("getUpdates"))
        press = await standin.press(
            ANA, question, step_payloads(question)[0].rsplit(":", 2)[0] + ":k"
        )
        await standin.wait_for(lambda: len(standin.calls("getUpdates")) >= polls + 2)
        assert press in [u["update_id"] for u in standin.state.updates]  # not confirmed
        os.kill(first.pid, signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL

    with session_scope(services.engine) as session:
        stored = repo.answers_for(session, run_id=run_id)
    # Every answer the bot acknowledged before the kill is in the database; the press in
    # flight is not yet.
    assert {k: stored[k].options for k in acknowledged} == {k: [v] for k, v in acknowledged.items()}
    assert in_flight not in stored

    async with bot_process(settings, log):
        await standin.wait_for(lambda: len(standin.calls("setMyCommands")) >= 2, STARTUP_SECONDS)
        # The press is delivered again, applied and answered.
        await standin.wait_for(lambda: not standin.state.updates, 60)
        *_, in_flight_query = standin.state.callback_chats  # the last press
        assert standin.state.answered_callbacks[in_flight_query] is not None
        with session_scope(services.engine) as session:
            applied = repo.answers_for(session, run_id=run_id)[in_flight]
        count = len(standin.bot_messages(ANA.id))
        await standin.send_text(ANA, "/selfcheck")
        [*_, offer] = await standin.wait_for_bot_messages(ANA.id, count + 1, 60)
        resume = next(d for d in offer.button_data() if d.startswith("scr1:r:"))
        await press_and_wait(standin, ANA, offer, resume)
        for _ in range(len(quick) + 5):
            question = current_question(standin, ANA)
            if question is None or any(m.photo for m in standin.bot_messages(ANA.id)):
                break
            assert run_id_of(question) == run_id  # the same run, resumed
            await answer_one(standin, ANA, model, question)
        await standin.wait_for(lambda: any(m.photo for m in standin.bot_messages(ANA.id)), 60)

    with session_scope(services.engine) as session:
        final = repo.answers_for(session, run_id=run_id)
    assert len(final) == len(quick)
    assert final[in_flight].options == applied.options  # applied once, then left alone
    for indicator_id, option in acknowledged.items():  # nothing answered before the kill changed
        assert final[indicator_id].options == stored[indicator_id].options
        assert option in final[indicator_id].options
    assert settings.telegram_bot_token not in log.read_text(errors="replace")
