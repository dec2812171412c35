"""Two `icc-assistant run` processes in webhook mode behind one URL, sharing PostgreSQL and a
Chroma server: one officer's quick self-check, its updates alternating between the replicas and
some delivered to both at once, ends exactly as it does with a single process.

The Bot API stand-in plays Telegram and the load balancer: every replica registers its own
URL with setWebhook and the stand-in delivers updates round-robin (1, 2, 1, 2...). A press
delivered to BOTH replicas at the same moment is what a retried delivery racing the original
looks like; it must apply once. The single-process reference runs the same presses through one
in-process bot on SQLite and the embedded index.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from scale_helpers import SECRET, free_port, metric
from sqlalchemy import text

from bot.config import load_settings
from bot.playground.server import StandIn
from bot.playground.state import Message, PlaygroundUser
from bot.services import build_services
from bot.storage import repo
from bot.storage.db import make_engine, session_scope
from bot.tg.app import build_application, webhook
from bot.tg.webhook_server import SECRET_HEADER
from scoring.model import IndexModel, load_index_model
from scoring.score import indicators_for

pytestmark = pytest.mark.e2e

TOKEN = "777002:scale-replicas"
ANA = PlaygroundUser(id=7201, first_name="Ana", language_code="en")
STARTUP_SECONDS = 240
REACTION_SECONDS = 60
STEP = "sc1:"
#: Questions (by position in the quick check) whose every press goes to both replicas at once.
DOUBLE_DELIVERED = frozenset({0, 2, 4, 6})


# -- the replicas ------------------------------------------------------------------------------


@asynccontextmanager
async def replica_processes(
    standin: StandIn, database_url: str, chroma_url: str, work: Path
) -> AsyncIterator[list[str]]:
    """Two `python -m bot run` processes in webhook mode; yields their base URLs.

    Each has its own data dir (nothing shared through the disk) and port; both are stopped with
    SIGTERM, and must exit cleanly, when the block ends.
    """
    ports = [free_port(), free_port()]
    processes: list[asyncio.subprocess.Process] = []
    try:
        for n, port in enumerate(ports, start=1):
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": standin.base_url,
                "ICC_DATA_DIR": str(work / f"replica{n}"),
                "DATABASE_URL": database_url,
                "CHROMA_URL": chroma_url,
                "ICC_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
                "ICC_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
                "ICC_WEBHOOK_SECRET": SECRET,
            }
            with (work / f"replica{n}.log").open("wb") as log:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable, "-m", "bot", "run", env=env, stdout=log, stderr=log
                    )
                )
        try:
            await standin.wait_for(lambda: len(standin.state.webhook_pool) == 2, STARTUP_SECONDS)
        except TimeoutError:
            logs = "\n".join((work / f"replica{n}.log").read_text()[-3000:] for n in (1, 2))
            pytest.fail(f"the replicas did not register their webhooks:\n{logs}")
        yield [f"http://127.0.0.1:{port}" for port in ports]
        for process in processes:
            process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(p.wait(), 30) for p in processes]
        assert codes == [0, 0], "a replica did not stop cleanly on SIGTERM"
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()


# -- pressing through a self-check -------------------------------------------------------------


def step_payloads(message: Message) -> list[str]:
    return [d for d in message.button_data() if d.startswith(STEP)]


def current_question(standin: StandIn) -> Message | None:
    for message in reversed(standin.bot_messages(ANA.id)):
        if step_payloads(message):
            return message
    return None


def lowest_presses(model: IndexModel, payloads: list[str]) -> tuple[int, list[str]]:
    """The question's position and the presses choosing its lowest-scoring option."""
    run_id, position = (int(x) for x in payloads[0].split(":")[1:3])
    indicator = indicators_for(model, "quick")[position]
    lowest = min(range(len(indicator.options)), key=lambda i: indicator.options[i].points)
    prefix = f"{STEP}{run_id}:{position}:"
    presses = [f"{prefix}t:{lowest}", f"{prefix}d"] if indicator.multi else [f"{prefix}o:{lowest}"]
    return position, presses


async def deliver_to_all(standin: StandIn, message: Message, data: str, urls: list[str]) -> None:
    """One press, its single update POSTed to every replica at the same moment."""
    state = standin.state
    query = standin.callback_query(ANA, message, data)
    update_id = state.push_update({"callback_query": query})
    update = state.updates.pop()  # taken back before the stand-in's own delivery sees it
    assert update["update_id"] == update_id
    headers = {SECRET_HEADER: SECRET}
    async with aiohttp.ClientSession() as http:

        async def post(url: str) -> int:
            async with http.post(f"{url}/telegram", json=update, headers=headers) as response:
                return response.status

        assert await asyncio.gather(*(post(url) for url in urls)) == [200] * len(urls)


async def press(
    standin: StandIn, message: Message, data: str, everywhere: list[str] | None
) -> None:
    """Press and wait for the bot's reaction (an edit or a new message)."""
    version, count = message.version, len(standin.bot_messages(ANA.id))
    if everywhere:
        await deliver_to_all(standin, message, data, everywhere)
    else:
        await standin.press(ANA, message, data)
    await standin.wait_for(
        lambda: message.version != version or len(standin.bot_messages(ANA.id)) > count,
        REACTION_SECONDS,
    )


async def quick_self_check(
    standin: StandIn, model: IndexModel, replicas: list[str] | None = None
) -> tuple[int, int]:
    """/selfcheck, Quick, every question answered with its lowest option, up to the results.

    With ``replicas``, the presses of the DOUBLE_DELIVERED questions go to all of them at once.
    Returns the run id and the number of updates delivered to bots.
    """
    await standin.send_text(ANA, "/selfcheck")
    [*_, choice] = await standin.wait_for_bot_messages(ANA.id, 1, REACTION_SECONDS)
    await press(standin, choice, "scs1:quick", None)
    deliveries = 2
    question = current_question(standin)
    assert question is not None
    run_id = int(step_payloads(question)[0].split(":")[1])
    for _ in range(len(model.quick_check_ids) + 1):
        question = current_question(standin)
        if question is None:
            break
        position, presses = lowest_presses(model, step_payloads(question))
        doubled = replicas if position in DOUBLE_DELIVERED else None
        for data in presses:
            await press(standin, question, data, doubled)
            deliveries += len(doubled) if doubled else 1
    # The lowest answers leave weak areas: the last reply offers study visits for them.
    await standin.wait_for(
        lambda: (
            (ms := standin.bot_messages(ANA.id))
            and any(m.photo for m in ms)
            and any(d.startswith("visit1:") for d in ms[-1].button_data())
        ),
        REACTION_SECONDS,
    )
    return run_id, deliveries


def transcript(standin: StandIn) -> list[tuple[str, bool, list[str]]]:
    """What Ana saw: each bot message's final text, whether it is a picture, its buttons."""
    return [
        (m.text, m.photo is not None, [b["text"] for row in m.buttons for b in row])
        for m in standin.bot_messages(ANA.id)
    ]


def stored(database_url: str, run_id: int) -> dict[str, Any]:
    """The run's answers and result as stored, and how many answer rows exist."""
    engine = make_engine(database_url, migrate=False)
    try:
        with session_scope(engine) as session:
            answers = repo.answers_for(session, run_id=run_id)
            result = repo.result_for(session, run_id=run_id)
            rows = session.execute(
                text("SELECT count(*) FROM answers WHERE run_id = :run"), {"run": run_id}
            ).scalar_one()
        assert result is not None
        return {
            "answers": {k: (a.kind, sorted(a.options)) for k, a in answers.items()},
            "answer_rows": rows,
            "result": (result.overall, result.lens, result.areas),
        }
    finally:
        engine.dispose()


# -- the test ----------------------------------------------------------------------------------


async def test_two_webhook_replicas_store_every_answer_once_like_one_process(
    postgres_url: str, indexed_chroma_server: str, index_dir: Path, tmp_path: Path
) -> None:
    model = load_index_model()
    chroma = indexed_chroma_server
    async with StandIn(balance_webhooks=True) as standin:
        async with replica_processes(standin, postgres_url, chroma, tmp_path) as urls:
            async with aiohttp.ClientSession() as http:
                for url in urls:
                    async with http.get(f"{url}/healthz") as response:
                        assert response.status == 200, await response.text()
            run_id, deliveries = await quick_self_check(standin, model, urls)
            async with aiohttp.ClientSession() as http:
                handled = []
                for url in urls:
                    async with http.get(f"{url}/metrics") as response:
                        exposition = await response.text()
                    handled.append(
                        sum(
                            metric(exposition, "icc_updates_handled_total", kind=kind)
                            for kind in ("command", "press")
                        )
                    )
        replicated = transcript(standin)
    two = stored(postgres_url, run_id)

    # Single process: the same presses, one bot, SQLite and the embedded index (the results
    # quote guide passages, so the index is part of what must come out the same).
    async with StandIn() as standin:
        settings = load_settings(
            icc_data_dir=index_dir.parent,
            telegram_bot_token=TOKEN,
            telegram_api_base_url=standin.base_url,
        )
        port = free_port()
        async with webhook(
            build_application(settings, build_services(settings), retry_backoff=0.01),
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            secret_token=SECRET,
        ):
            single_run_id, _ = await quick_self_check(standin, model)
        single_transcript = transcript(standin)
    one = stored(settings.resolved_database_url, single_run_id)

    quick = len(model.quick_check_ids)
    assert two["answer_rows"] == len(two["answers"]) == quick  # every answer, exactly once
    assert two == one
    assert replicated == single_transcript
    assert sum(handled) == deliveries  # both replicas saw the doubled presses...
    assert min(handled) >= deliveries // 3  # ...and the alternating ones were shared
