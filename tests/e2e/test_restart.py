"""The bot process is killed (SIGKILL) in the middle of a self-check and started again.

The bot runs as `python -m bot run` (the same as `icc-assistant run`) with
TELEGRAM_API_BASE_URL pointing at the stand-in, so nothing of the test's process helps it.
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
from bot.playground.state import PlaygroundUser
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
        # A fourth answer is pressed and the process dies while it is in flight.
        in_flight = step_payloads(question)[0].rsplit(":", 2)[0] + ":k"
        await standin.press(ANA, question, in_flight)
        await asyncio.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL

    with session_scope(services.engine) as session:
        stored = repo.answers_for(session, run_id=run_id)
    # Every answer the bot acknowledged before the kill is in the database.
    assert {k: stored[k].options for k in acknowledged} == {k: [v] for k, v in acknowledged.items()}

    async with bot_process(settings, log):
        await standin.wait_for(lambda: len(standin.calls("setMyCommands")) >= 2, STARTUP_SECONDS)
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
    for indicator_id, option in acknowledged.items():  # nothing answered before the kill changed
        assert final[indicator_id].options == stored[indicator_id].options
        assert option in final[indicator_id].options
    assert settings.telegram_bot_token not in log.read_text(errors="replace")
