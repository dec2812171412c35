"""Fault-injection benchmark: officers use the real bot while the Bot API fails under it.

The real application (PTB HTTP stack with its retries, per-chat ordering, the core, SQLite, the
index and the embedding model) polls the Bot API stand-in, which breaks some of the bot's calls
on purpose: the connection dropped before or after the call took effect, a 500 once (retried),
a 502 four times running (the retries run out), a timeout before or after the effect. Each
officer acts in turn (a question, "Sources", /help, /selfcheck, a self-check answer, the
results), and before an action the stand-in is told, with probability ``--rate``, to fail one
call of that officer's chat.

What the stand-in saw decides the figures, not what the bot believes:

* replies lost: calls that would have put a message in the chat (send, edit) and never took
  effect, nor did a later identical call (a retry);
* duplicates: two identical bot messages sent for one action;
* silent losses: actions that lost a reply and whose chat got no apology for it.

    python bench/faults.py                          # 6 officers x 25 actions, fault rate 0.35
    python bench/faults.py --officers 12 --actions 40 --rate 0.5 --seed 7

Bounded: a fixed number of actions, each with a deadline; a timeout fault holds one call for
just over the bot's 10-second read timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import Application

from bot.core.texts import LANGUAGES, t
from bot.playground.server import StandIn
from bot.playground.state import Fault, Message, PlaygroundUser
from bot.tg.metrics import metrics_of

log = logging.getLogger("bench.faults")

#: Held this long, a call outlasts the bot's read timeout (10 s in `build_application`).
HOLD_SECONDS = 10.5
#: An action not processed after this long is reported (it would be a hang, not a fault).
ACTION_DEADLINE = 90.0
#: Calls that put a message in the chat: one that never took effect is a lost reply.
REPLY_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)
QUESTIONS = (
    "How can a city fight rumours about migrants?",
    "What is an intercultural strategy?",
    "How can schools become more intercultural?",
    "Comment lutter contre les rumeurs sur les migrants ?",
)

#: The faults, by name: what they do to the one call they strike.
FAULTS: dict[str, Callable[[str, int], Fault]] = {
    "drop before effect": lambda m, c: Fault(m, drop=True, after=False, chat_id=c),
    "drop after effect": lambda m, c: Fault(m, drop=True, after=True, chat_id=c),
    "500 once": lambda m, c: Fault(m, status=500, chat_id=c),
    "502 four times": lambda m, c: Fault(m, status=502, times=4, chat_id=c),
    "timeout before effect": lambda m, c: Fault(
        m, delay=HOLD_SECONDS, after=False, status=504, chat_id=c
    ),
    "timeout after effect": lambda m, c: Fault(m, delay=HOLD_SECONDS, after=True, chat_id=c),
}
#: The calls a fault is aimed at, weighted by how often an action makes them.
TARGETS = ("sendMessage", "sendMessage", "editMessageText", "answerCallbackQuery", "sendPhoto")


@dataclass
class Report:
    """What the stand-in saw over the whole run."""

    actions: int = 0
    faults_injected: int = 0
    by_fault: Counter[str] = field(default_factory=Counter)
    replies_lost: int = 0
    lost_by_fault: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    silent_losses: int = 0
    apologies: int = 0
    counted_by_bot: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "actions": self.actions,
            "faults_injected": self.faults_injected,
            "faults_by_kind": dict(sorted(self.by_fault.items())),
            "replies_lost": self.replies_lost,
            "replies_lost_by_fault": dict(sorted(self.lost_by_fault.items())),
            "duplicates": self.duplicates,
            "silent_losses": self.silent_losses,
            "apologies_sent": self.apologies,
            "icc_replies_lost_total": self.counted_by_bot,
            "seconds": round(self.seconds, 1),
            "problems": self.problems[:10],
        }


def apology_prefixes() -> tuple[str, ...]:
    """The start of every apology the bot can send (plain and "part n of m"), all languages."""
    prefixes = []
    for lang in LANGUAGES:
        prefixes.append(str(t(lang, "apology")))
        missing = str(t(lang, "apology_parts_missing", missing="\x00", total="\x00"))
        prefixes.append(missing.split("\x00", 1)[0])
    return tuple(prefixes)


class Officer:
    """One officer acting through the stand-in, one action at a time, and its accounting."""

    def __init__(self, standin: StandIn, user: PlaygroundUser, rng: random.Random) -> None:
        self.standin = standin
        self.user = user
        self.rng = rng

    def _messages(self) -> list[Message]:
        return self.standin.bot_messages(self.user.id)

    def _next_action(self) -> tuple[str, Any]:
        """What a person would do now, from what the chat shows."""
        messages = self._messages()
        last = messages[-1] if messages else None
        data = last.button_data() if last else []
        steps = [d for d in data if d.startswith("sc1:") and (":o:" in d or d.endswith(":k"))]
        roll = self.rng.random()
        if last is not None and steps and roll < 0.85:
            return "self-check answer", self.standin.press(self.user, last, self.rng.choice(steps))
        if last is not None and "scs1:quick" in data:
            return "start a check", self.standin.press(self.user, last, "scs1:quick")
        resume = next((d for d in data if d.startswith("scr1:r:")), None)
        if last is not None and resume:
            return "resume", self.standin.press(self.user, last, resume)
        sources = next((d for d in data if d.startswith("qa1:s:")), None)
        if last is not None and sources and roll < 0.5:
            return "sources", self.standin.press(self.user, last, sources)
        if roll < 0.45:
            return "/selfcheck", self.standin.send_text(self.user, "/selfcheck")
        if roll < 0.55:
            return "/help", self.standin.send_text(self.user, "/help")
        return "question", self.standin.send_text(self.user, self.rng.choice(QUESTIONS))

    async def act(self, rate: float, report: Report) -> None:
        """One action, perhaps with one fault aimed at this chat, and its accounting."""
        state = self.standin.state
        fault_name, fault = None, None
        if self.rng.random() < rate:
            fault_name = self.rng.choice(sorted(FAULTS))
            method = self.rng.choice(TARGETS)
            fault = FAULTS[fault_name](method, self.user.id)
            state.inject(fault)
        first_call, first_fault = len(state.calls), len(state.injected)
        seen = {m.message_id for m in self._messages()}
        kind, push = self._next_action()
        update_id = await push
        try:
            await self.standin.wait_for(
                lambda: all(u["update_id"] != update_id for u in state.updates), ACTION_DEADLINE
            )
        except TimeoutError:
            report.problems.append(f"officer {self.user.id}: {kind} never processed")
        if any(pending is fault for pending in state.faults):
            state.faults.remove(fault)  # the action made no such call: nothing struck
        report.actions += 1
        struck = [f for f in state.injected[first_fault:] if f.fault.chat_id == self.user.id]
        if struck:
            report.faults_injected += 1
            report.by_fault[fault_name or "?"] += 1
        lost = self._lost(first_call, struck)
        new = [m for m in self._messages() if m.message_id not in seen]
        apologies = [m for m in new if m.text.startswith(apology_prefixes())]
        report.apologies += len(apologies)
        signatures = [
            (m.html, json.dumps(m.reply_markup, sort_keys=True), bool(m.photo)) for m in new
        ]
        duplicates = len(signatures) - len(set(signatures))
        report.duplicates += duplicates
        if duplicates:
            report.problems.append(f"officer {self.user.id}: {kind} duplicated ({fault_name})")
        if lost:
            report.replies_lost += lost
            report.lost_by_fault[fault_name or "?"] += lost
            if not apologies:
                report.silent_losses += 1
                report.problems.append(
                    f"officer {self.user.id}: {kind} lost silently ({fault_name})"
                )

    def _lost(self, first_call: int, struck: list[Any]) -> int:
        """Reply calls struck without effect that no identical later call (a retry) made good;
        a call retried and struck again counts once."""
        calls = self.standin.state.calls
        failed = {f.call for f in struck if not f.took_effect}
        lost = set()
        for f in struck:
            method, params = calls[f.call]
            if f.took_effect or method not in REPLY_METHODS:
                continue
            retried = any(
                calls[i] == (method, params) and i not in failed
                for i in range(f.call + 1, len(calls))
            )
            if not retried:
                lost.add(json.dumps([method, params], sort_keys=True))
        return len(lost)


async def drive(
    standin: StandIn,
    application: Application,
    *,
    officers: int,
    actions: int,
    rate: float,
    seed: int,
) -> Report:
    """Officers act concurrently (each one action at a time) against the running bot."""
    report = Report()
    rng = random.Random(seed)
    people = [
        Officer(
            standin,
            PlaygroundUser(id=3_000_000 + n, first_name=f"Officer {n}"),
            random.Random(rng.random()),
        )
        for n in range(officers)
    ]
    started = time.monotonic()

    async def run(officer: Officer) -> None:
        for _ in range(actions):
            await officer.act(rate, report)

    await asyncio.gather(*(run(officer) for officer in people))
    report.seconds = time.monotonic() - started
    metrics = metrics_of(application)
    for sample in metrics.replies_lost.collect()[0].samples:
        if sample.name.endswith("_total") and sample.value:
            report.counted_by_bot[sample.labels["reason"]] = sample.value
    return report


async def bench(args: argparse.Namespace) -> Report:
    # lazy: the bot's heavy parts load only when the benchmark runs
    from bot.commands.serve import warm_up
    from bot.config import load_settings
    from bot.services import build_services
    from bot.tg.app import build_application, polling

    with tempfile.TemporaryDirectory(prefix="icc-faults-") as scratch:
        async with StandIn() as standin:
            settings = load_settings(
                icc_data_dir=Path(args.data_dir),
                database_url=f"sqlite:///{scratch}/faults.db",
                telegram_bot_token="200000:faults-bench",
                telegram_api_base_url=standin.base_url,
            )
            services = build_services(settings)
            await asyncio.to_thread(warm_up, services)
            application = build_application(settings, services)
            async with polling(application):
                return await drive(
                    standin,
                    application,
                    officers=args.officers,
                    actions=args.actions,
                    rate=args.rate,
                    seed=args.seed,
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=6)
    parser.add_argument("--actions", type=int, default=25, help="actions per officer")
    parser.add_argument("--rate", type=float, default=0.35, help="share of actions with a fault")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", default=os.environ.get("ICC_DATA_DIR", "data"))
    args = parser.parse_args()
    if not 1 <= args.officers <= 200 or not 1 <= args.actions <= 500 or not 0 <= args.rate <= 1:
        parser.error("--officers 1..200, --actions 1..500, --rate 0..1")
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    # The bot logs every injected failure it meets; the figures below are what matters.
    for name in ("telegram", "bot", "httpx", "aiohttp"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    report = asyncio.run(bench(args))
    print(json.dumps(report.summary(), indent=2, ensure_ascii=False))
    print(
        f"\n{report.actions} actions, {report.faults_injected} faults injected: "
        f"{report.replies_lost} replies lost, {report.duplicates} duplicates, "
        f"{report.silent_losses} silent losses ({report.apologies} apologies sent) "
        f"in {report.seconds:.0f} s"
    )
    return 0 if report.silent_losses == report.duplicates == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
