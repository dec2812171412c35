"""Readiness of one replica: does the database answer, do the index and the models answer?

A load balancer (or Docker's HEALTHCHECK, or Kubernetes' readiness probe) asks `GET /healthz`
and sends Telegram's deliveries only to replicas that answer 200. Each check does real work
against the real part, because a replica whose Postgres connection or Chroma server is gone
must stop receiving updates even though its process is alive.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

#: A query the bundled corpus always answers; it runs the embedding model and the vector store.
PROBE_QUERY = "intercultural strategy"


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
