"""Scale-out benchmark: the same load on one webhook replica, then on two, side by side.

Each configuration is the shipped path: `icc-assistant run` processes in webhook mode sharing a
fresh PostgreSQL database and one Chroma server, behind the Bot API stand-in, which spreads the
deliveries round-robin over the replicas' URLs as a load balancer would. The simulated officers
of bench/load.py (questions, quick self-checks, think times; same seed, same number, same
duration in both runs) chat with them. We report replies per second (bot messages sent) and
actions per second, the p50/p95 reply latency, lost and duplicated replies, and the ratio
two-replicas / one-replica.

    python bench/scale.py                        # 30 users for 30 s per configuration
    python bench/scale.py --users 60 --duration 45 --think-max 2

Bounded: fixed users and duration, a hard deadline per phase, loopback only; the scratch
databases, the Chroma server and the replicas are removed or stopped on exit. The replicas
keep Telegram's flood limits (30 messages/s per replica's limiter); stay under them, or the
limiter, not the replicas, is what gets measured. `--no-telegram-limits` runs each replica with
the limiter lifted (the same factory and webhook server as `icc-assistant run`, started by this
script) to see the replicas' own capacity. Telegram's real limit is per bot, not per replica.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/: the simulated officers

import aiohttp
from load import REACTION_TIMEOUT, SimulatedUser, Stats, percentile

from bot.playground.server import StandIn
from bot.playground.state import PlaygroundUser
from retrieval.chroma_server import free_port

log = logging.getLogger("bench.scale")

TOKEN = "300000:scale-bench"
SECRET = "scale-bench-secret"
STARTUP_SECONDS = 300


# -- the shared backends ---------------------------------------------------------------------


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (SQLAlchemy URL), dropped afterwards."""
    import psycopg

    name = f"icc_bench_{uuid.uuid4().hex[:10]}"
    admin = admin_url.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def chroma_server(scratch: Path, index_dir: Path) -> Iterator[str]:
    """A `chroma run` server on loopback, holding the chunks and vectors of ``index_dir``.

    Copying the embedded index is seconds; ingesting through the server would embed again.
    """
    from retrieval.chroma_server import local_chroma_server
    from retrieval.service import DEFAULT_EMBEDDERS, build_retrieval
    from retrieval.stores import open_store

    build_retrieval(index_dir=index_dir, chroma_url=None, llm=None).library.ensure_index()
    with local_chroma_server(scratch / "chroma") as url:
        source = open_store(index_dir, None, DEFAULT_EMBEDDERS)
        source.copy_to(open_store(index_dir, url, DEFAULT_EMBEDDERS))
        yield url


# -- the replicas ----------------------------------------------------------------------------


@asynccontextmanager
async def replicas(
    count: int,
    standin: StandIn,
    database_url: str,
    chroma_url: str,
    scratch: Path,
    *,
    limits: bool = True,
) -> AsyncIterator[list[str]]:
    """``count`` `python -m bot run` processes in webhook mode, ready (healthz 200).

    Without ``limits`` each replica runs `serve_replica` (below) instead.
    """
    processes: list[asyncio.subprocess.Process] = []
    urls = []
    try:
        for n in range(count):
            port = free_port()
            urls.append(f"http://127.0.0.1:{port}")
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": standin.base_url,
                "ICC_DATA_DIR": str(scratch / f"replica{count}-{n}"),
                "DATABASE_URL": database_url,
                "CHROMA_URL": chroma_url,
                "ICC_WEBHOOK_URL": f"{urls[-1]}/telegram",
                "ICC_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
                "ICC_WEBHOOK_SECRET": SECRET,
            }
            command = ["-m", "bot", "run"] if limits else [__file__, "--serve-replica"]
            with (scratch / f"replica{count}-{n}.log").open("wb") as out:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable, *command, env=env, stdout=out, stderr=out
                    )
                )
        await standin.wait_for(lambda: len(standin.state.webhook_pool) == count, STARTUP_SECONDS)
        async with aiohttp.ClientSession() as http:
            for url in urls:
                async with http.get(f"{url}/healthz") as response:
                    if response.status != 200:
                        raise RuntimeError(f"replica {url} not ready: {await response.text()}")
        yield urls
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


# -- one configuration -----------------------------------------------------------------------


async def measure(
    count: int, args: argparse.Namespace, chroma_url: str, scratch: Path
) -> dict[str, object]:
    """Run the load against ``count`` replicas; the figures of that run."""
    with scratch_database(args.postgres_admin_url) as database_url:
        async with (
            StandIn(balance_webhooks=True) as standin,
            replicas(
                count, standin, database_url, chroma_url, scratch, limits=args.telegram_limits
            ),
        ):
            stats = Stats()
            rng = Random(args.seed)
            people = [
                PlaygroundUser(id=2_000_000 + i, first_name=f"Officer {i}")
                for i in range(args.users)
            ]
            users = [
                SimulatedUser(standin, person, stats, Random(rng.random())) for person in people
            ]
            started = time.monotonic()
            deadline = started + args.duration
            await asyncio.wait_for(
                asyncio.gather(*(u.run(deadline, (args.think_min, args.think_max)) for u in users)),
                args.duration + 3 * REACTION_TIMEOUT,
            )
            elapsed = time.monotonic() - started
            replies = sum(len(standin.bot_messages(p.id)) for p in people)
    latencies = [s for values in stats.latencies.values() for s in values]
    return {
        "replicas": count,
        "seconds": round(elapsed, 1),
        "replies": replies,
        "replies_per_second": round(replies / elapsed, 2),
        "actions": len(latencies),
        "actions_per_second": round(len(latencies) / elapsed, 2),
        "p50_s": round(percentile(latencies, 0.50), 3),
        "p95_s": round(percentile(latencies, 0.95), 3),
        "question_p95_s": round(percentile(stats.latencies.get("question", [0.0]), 0.95), 3),
        "lost": len(stats.lost),
        "duplicated": len(stats.duplicates),
    }


def side_by_side(one: dict[str, object], two: dict[str, object]) -> str:
    rows = [
        ("replies/s", "replies_per_second"),
        ("actions/s", "actions_per_second"),
        ("p50 latency (s)", "p50_s"),
        ("p95 latency (s)", "p95_s"),
        ("question p95 (s)", "question_p95_s"),
        ("lost", "lost"),
        ("duplicated", "duplicated"),
    ]
    lines = [f"{'':<18}{'1 replica':>12}{'2 replicas':>12}{'2 / 1':>9}"]
    for label, key in rows:
        a, b = float(one[key]), float(two[key])
        ratio = f"{b / a:.2f}" if a else "-"
        lines.append(f"{label:<18}{a:>12g}{b:>12g}{ratio:>9}")
    return "\n".join(lines)


async def bench(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="icc-scale-") as tmp:
        scratch = Path(tmp)
        with chroma_server(scratch, Path(args.data_dir) / "index") as chroma_url:
            one = await measure(1, args, chroma_url, scratch)
            two = await measure(2, args, chroma_url, scratch)
    return {"one": one, "two": two}


def serve_replica() -> int:
    """`icc-assistant run` in webhook mode with the flood limiter lifted (settings from env)."""
    from telegram.ext import AIORateLimiter

    from bot.commands.serve import serve_until_stopped, warm_up, webhook_options
    from bot.config import load_settings
    from bot.services import build_services
    from bot.tg.app import build_application, webhook

    settings = load_settings()
    services = build_services(settings)
    warm_up(services)
    unlimited = AIORateLimiter(0, 0, 0, 0, max_retries=5)
    application = build_application(settings, services, rate_limiter=unlimited)
    options = webhook_options(settings)
    asyncio.run(serve_until_stopped(webhook(application, **options, services=services)))
    return 0


def main() -> int:
    if sys.argv[1:] == ["--serve-replica"]:
        return serve_replica()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of chatting")
    parser.add_argument("--think-min", type=float, default=0.5, help="seconds between actions")
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument("--data-dir", default=os.environ.get("ICC_DATA_DIR", "data"))
    parser.add_argument(
        "--postgres-admin-url",
        default=os.environ.get(
            "ICC_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
        ),
        help="a database to connect to for creating the scratch databases",
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--no-telegram-limits",
        dest="telegram_limits",
        action="store_false",
        help="lift each replica's flood limiter (30 messages/s) to see the replicas' capacity",
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 0 < args.duration <= 300:
        parser.error("--users must be 1..500 and --duration 0..300 s")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    report = asyncio.run(bench(args))
    print(json.dumps(report, indent=2))
    one, two = report["one"], report["two"]
    limits = "with" if args.telegram_limits else "without"
    print(f"\n{args.users} users, {args.duration:g} s each, same seed, {limits} flood limits:\n")
    print(side_by_side(one, two))
    problems = sum(int(r[k]) for r in (one, two) for k in ("lost", "duplicated"))
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
