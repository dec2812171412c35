"""Readiness of one replica: does the database answer, do the index and the models answer?

A load balancer (or Docker's HEALTHCHECK, or Kubernetes' readiness probe) asks `GET /healthz`
and sends Telegram's deliveries only to replicas that answer 200. Each check does real work
against the real part, because a replica whose Postgres connection or Chroma server is gone
must stop receiving updates even though its process is alive.

`add_health_routes` puts `/healthz` and `/metrics` on an aiohttp app: the webhook server's in
webhook mode, `health_server`'s own in polling mode (which has no HTTP server otherwise).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy import text

if TYPE_CHECKING:
    from bot.services import Services
    from bot.tg.metrics import BotMetrics

log = logging.getLogger(__name__)

#: A query the bundled corpus always answers; it runs the embedding model and the vector store.
PROBE_QUERY = "intercultural strategy"
#: A readiness probe that hangs is a failed probe.
HEALTH_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Health:
    """The outcome of every check: ``ready`` only when all passed."""

    checks: dict[str, str] = field(default_factory=dict)
    failed: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def ready(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ready else "unavailable",
            "checks": self.checks,
            "seconds": round(self.seconds, 3),
        }


def check_health(services: Services) -> Health:
    """Run each check (blocking: call it from a worker thread) and collect the outcomes.

    A failing check reports only the error's type: the body is served without authentication,
    and exception messages can carry host names or paths. The details go to the log.
    """
    started = time.perf_counter()
    checks: dict[str, str] = {}
    failed: list[str] = []
    for name, probe in _probes(services).items():
        try:
            checks[name] = probe()
        except Exception as exc:  # any failure means "not ready"
            log.warning("health check %s failed: %r", name, exc)
            checks[name] = f"failed: {type(exc).__name__}"
            failed.append(name)
    return Health(checks=checks, failed=tuple(failed), seconds=time.perf_counter() - started)


def _probes(services: Services) -> dict[str, Callable[[], str]]:
    def database() -> str:
        with services.engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()
        return "ok"

    def index() -> str:
        hits = services.qa.search(PROBE_QUERY, k=1)
        if not hits:
            raise LookupError("the index returned no passage")
        return "ok"

    def index_model() -> str:
        return f"ok ({services.index_model.version})"

    return {"database": database, "index": index, "index_model": index_model}


def add_health_routes(
    app: web.Application, metrics: BotMetrics, services: Services | None = None
) -> None:
    """`GET /metrics` and, when there are ``services`` to check, `GET /healthz` on ``app``."""

    async def healthz(request: web.Request) -> web.Response:
        assert services is not None
        try:
            health = await asyncio.wait_for(
                asyncio.to_thread(check_health, services), HEALTH_TIMEOUT_SECONDS
            )
        except TimeoutError:
            body = {"status": "unavailable", "checks": {"all": "timed out"}}
            return web.json_response(body, status=503)
        return web.json_response(health.to_json(), status=200 if health.ready else 503)

    async def metrics_page(request: web.Request) -> web.Response:
        body, content_type = metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    app.router.add_get("/metrics", metrics_page)
    if services is not None:
        app.router.add_get("/healthz", healthz)


@asynccontextmanager
async def health_server(
    listen: str, port: int, *, metrics: BotMetrics, services: Services
) -> AsyncIterator[int]:
    """Serve `/healthz` and `/metrics` alone on ``listen:port`` inside an ``async with``; yields
    the port bound (``port`` 0 picks a free one). An address in use raises `OSError`."""
    app = web.Application()
    add_health_routes(app, metrics, services)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, listen, port)
        await site.start()
        server = site._server  # aiohttp keeps the bound asyncio server private (untyped)
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        bound = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
        log.info("/healthz and /metrics on %s:%s", listen, bound)
        yield bound
    finally:
        await runner.cleanup()
