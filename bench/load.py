"""Load benchmark: many simulated officers chatting with the real bot at once, on loopback.

The real application (PTB HTTP stack, rate limiter, per-chat ordering, the core, the database,
the index and the embedding model) runs against the Bot API stand-in. Each simulated user asks
questions and presses through quick self-checks with a think time between actions, the way
people do. We measure the reply latency of every action (from the update being queued to the
bot's first visible reaction: a new message or an edit), check that no action went unanswered
and that no reply was sent twice, and compare with the warm single-question latency measured
in the same run, with nobody else chatting.

    python bench/load.py                 # 200 users for 60 s, index in ./data (built if missing)
    python bench/load.py --users 50 --duration 20 --database-url postgresql+psycopg://...

Bounded: a fixed number of users, a fixed duration, a hard overall deadline, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import AIORateLimiter

from bot.commands.serve import warm_up
from bot.config import load_settings
from bot.playground.server import StandIn
from bot.playground.state import Message, PlaygroundUser
from bot.services import build_services
from bot.tg.app import build_application, polling

log = logging.getLogger("bench.load")

QUESTIONS = (
    "How can a city fight rumours about migrants?",
    "What is an intercultural strategy?",
    "How should a city consult residents of diverse backgrounds?",
    "What does the ICC Index measure?",
    "How can schools become more intercultural?",
    "What is community policing in a diverse city?",
    "How can public services adapt to a diverse population?",
    "What is intercultural competence for city staff?",
    "How can newcomers be welcomed in the first weeks?",
    "How do cities involve migrants in decision making?",
    "Comment lutter contre les rumeurs sur les migrants ?",
    "What should a city do in an emergency affecting migrants?",
)
#: An action without any reaction after this long counts as lost.
REACTION_TIMEOUT = 60.0


@dataclass
class Stats:
    """Latencies and problems, per kind of action."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    answered: int = 0  # questions answered with sources (the rest: "not covered")

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class SimulatedUser:
    """One officer: /start, then questions and quick self-check presses until time is up."""

    def __init__(self, standin: StandIn, user: PlaygroundUser, stats: Stats, rng: random.Random):
        self.standin = standin
        self.user = user
        self.stats = stats
        self.rng = rng

    def _messages(self) -> list[Message]:
        return self.standin.bot_messages(self.user.id)

    async def act(self, kind: str, send: object, target: Message | None = None) -> list[Message]:
        """Do one action and wait for the bot's first reaction; returns the new messages."""
        before = len(self._messages())
        version = target.version if target else None
        started = time.perf_counter()
        await send

        def reacted() -> bool:
            edited = target is not None and target.version != version
            return edited or len(self._messages()) > before

        try:
            await self.standin.wait_for(reacted, REACTION_TIMEOUT)
        except TimeoutError:
            self.stats.lost.append(f"user {self.user.id}: {kind}")
            return []
        self.stats.add(kind, time.perf_counter() - started)
        await asyncio.sleep(0.3)  # let a multi-message reply finish before checking it
        new = self._messages()[before:]
        texts = [m.html for m in new if m.html]
        if len(texts) != len(set(texts)):
            self.stats.duplicates.append(f"user {self.user.id}: {kind}")
        return new

    def current_question(self) -> Message | None:
        for message in reversed(self._messages()):
            if any(d.startswith("sc1:") for d in message.button_data()):
                return message
        return None

    async def run(self, deadline: float, think: tuple[float, float]) -> None:
        await asyncio.sleep(self.rng.uniform(0, think[1]))  # people do not all arrive at once
        welcome = await self.act("command", self.standin.send_text(self.user, "/start"))
        other = next((m for m in welcome if "city1:other" in m.button_data()), None)
        if other is not None:  # "which city?": this officer works outside the member cities
            await self.act("press", self.standin.press(self.user, other, "city1:other"), other)
        in_check = False
        while time.monotonic() < deadline:
            await asyncio.sleep(self.rng.uniform(*think))
            if time.monotonic() >= deadline:
                break
            question = self.current_question() if in_check else None
            if question is not None and self.rng.random() < 0.7:
                options = [d for d in question.button_data() if ":o:" in d or ":k" in d]
                data = self.rng.choice(options or question.button_data())
                await self.act("press", self.standin.press(self.user, question, data), question)
                if any(m.photo for m in self._messages()):
                    in_check = False
            elif not in_check and self.rng.random() < 0.3:
                replies = await self.act("command", self.standin.send_text(self.user, "/selfcheck"))
                choice = next((m for m in replies if "scs1:quick" in m.button_data()), None)
                resume = next(
                    (d for m in replies for d in m.button_data() if d.startswith("scr1:r:")), None
                )
                if choice is not None:
                    await asyncio.sleep(self.rng.uniform(*think) / 2)
                    press = self.standin.press(self.user, choice, "scs1:quick")
                    await self.act("press", press, choice)
                    in_check = True
                elif resume is not None:
                    offer = next(m for m in replies if resume in m.button_data())
                    await self.act("press", self.standin.press(self.user, offer, resume), offer)
                    in_check = True
            else:
                text = self.rng.choice(QUESTIONS)
                replies = await self.act("question", self.standin.send_text(self.user, text))
                if any(d.startswith("qa1:s:") for m in replies for d in m.button_data()):
                    self.stats.answered += 1


async def single_question_latency(standin: StandIn, repeats: int) -> list[float]:
    """Warm latency of one question with nobody else chatting (after one warm-up question)."""
    user = PlaygroundUser(id=999_999, first_name="Solo")
    stats = Stats()
    solo = SimulatedUser(standin, user, stats, random.Random(0))
    for text in (QUESTIONS[0], *QUESTIONS[1 : repeats + 1]):
        await solo.act("question", standin.send_text(user, text))
    return stats.latencies["question"][1:]


async def bench(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="icc-load-") as scratch:
        async with StandIn() as standin:
            settings = load_settings(
                icc_data_dir=Path(args.data_dir),
                database_url=args.database_url or f"sqlite:///{scratch}/load.db",
                telegram_bot_token="200000:load-bench",
                telegram_api_base_url=standin.base_url,
            )
            services = build_services(settings)
            await asyncio.to_thread(warm_up, services)
            limiter = None if args.telegram_limits else AIORateLimiter(0, 0, 0, 0, max_retries=5)
            async with polling(build_application(settings, services, rate_limiter=limiter)):
                solo = await single_question_latency(standin, repeats=5)
                stats = Stats()
                rng = random.Random(args.seed)
                users = [
                    SimulatedUser(
                        standin,
                        PlaygroundUser(id=1_000_000 + i, first_name=f"Officer {i}"),
                        stats,
                        random.Random(rng.random()),
                    )
                    for i in range(args.users)
                ]
                started = time.monotonic()
                deadline = started + args.duration
                await asyncio.wait_for(
                    asyncio.gather(
                        *(u.run(deadline, (args.think_min, args.think_max)) for u in users)
                    ),
                    args.duration + 3 * REACTION_TIMEOUT,
                )
                elapsed = time.monotonic() - started
                pending = len(standin.state.updates)
    everything = [s for values in stats.latencies.values() for s in values]
    return {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "actions": len(everything),
        "actions_per_second": round(len(everything) / elapsed, 1),
        "questions_answered_with_sources": stats.answered,
        "lost": len(stats.lost),
        "duplicated": len(stats.duplicates),
        "unconsumed_updates": pending,
        "single_question_p50_s": round(statistics.median(solo), 3),
        "p50_s": round(percentile(everything, 0.50), 3),
        "p95_s": round(percentile(everything, 0.95), 3),
        "by_kind": {
            kind: {
                "n": len(values),
                "p50_s": round(percentile(values, 0.50), 3),
                "p95_s": round(percentile(values, 0.95), 3),
            }
            for kind, values in sorted(stats.latencies.items())
        },
        "problems": (stats.lost + stats.duplicates)[:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of chatting")
    parser.add_argument("--think-min", type=float, default=5.0, help="seconds between actions")
    parser.add_argument("--think-max", type=float, default=15.0)
    parser.add_argument("--data-dir", default=os.environ.get("ICC_DATA_DIR", "data"))
    parser.add_argument("--database-url", default="", help="default: a scratch SQLite file")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--no-telegram-limits",
        dest="telegram_limits",
        action="store_false",
        help="lift the rate limiter's flood limits (30 messages/s) to see the bot's own capacity",
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 1000 or not 0 < args.duration <= 600:
        parser.error("--users must be 1..1000 and --duration 0..600 s")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    report = asyncio.run(bench(args))
    report["telegram_limits"] = args.telegram_limits
    print(json.dumps(report, indent=2, ensure_ascii=False))
    target_met = report["p95_s"] <= 1.0
    print(
        f"\n{report['users']} users, {report['actions']} actions in {report['seconds']} s: "
        f"p50 {report['p50_s']} s, p95 {report['p95_s']} s "
        f"(single warm question {report['single_question_p50_s']} s); "
        f"lost {report['lost']}, duplicated {report['duplicated']}; "
        f"target p95 <= 1 s {'met' if target_met else 'NOT met'}"
    )
    return 0 if report["lost"] == report["duplicated"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
