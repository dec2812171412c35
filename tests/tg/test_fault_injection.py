"""Bot API faults injected under the real bot: replies may be lost, never silently, never twice.

`bench/faults.py` drives officers (questions, "Sources", /help, self-checks to their results)
through the real PTB stack, the core, SQLite and the bundled index, while the stand-in drops
connections, answers 5xx and holds calls past the read timeout, before or after the call took
effect. A short, seeded run of it here; the benchmark itself runs longer.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tg_helpers import TOKEN

from bot.config import load_settings
from bot.playground.server import StandIn
from bot.services import build_services
from bot.tg.app import build_application, polling

BENCH = Path(__file__).resolve().parents[2] / "bench" / "faults.py"


def load_bench() -> ModuleType:
    """bench/faults.py as a module (the bench folder is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_faults", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


async def test_injected_faults_lose_no_reply_silently_and_duplicate_none(
    standin: StandIn, index_dir: Path
) -> None:
    faults = load_bench()
    settings = load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
        icc_data_dir=index_dir.parent,
    )
    application = build_application(settings, build_services(settings), retry_backoff=0.01)
    async with polling(application):
        report = await faults.drive(standin, application, officers=4, actions=8, rate=0.7, seed=11)
    assert report.actions == 32 and report.problems == []
    assert report.faults_injected >= 6, report.summary()
    assert report.silent_losses == 0
    assert report.duplicates == 0
    # The faults did bite: some replies never arrived, and the bot knew and said so.
    assert report.replies_lost >= 1, report.summary()
    assert report.apologies >= 1
    assert sum(report.counted_by_bot.values()) >= report.replies_lost
