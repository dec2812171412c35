"""Prometheus metrics of one bot process: updates handled, reply latency, errors and lost replies.

Each application gets its own registry rather than prometheus_client's global one, so two bots
in one process (the tests, the scale benchmark) keep separate counts, and a replica's
`/metrics` shows exactly what that replica did. A load balancer's scrape of every replica then
adds up to the whole service.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.tg.ordering import PerChatUpdateProcessor
from bot.tg.render import RepliesLost

#: Where `build_application` keeps the metrics of an application (in its `bot_data`).
METRICS_KEY = "icc.metrics"

#: Reply latency buckets (seconds): a press answers in tens of milliseconds, a question in
#: under a second, a busy replica in several.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class BotMetrics:
    """The counters and the histogram of one application, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "icc_updates_handled",
            "Updates handled, by kind (command, text, press, document, other).",
            ["kind"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "icc_reply_latency_seconds",
            "From an update's arrival to the end of its handling (replies sent), by kind.",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "icc_errors",
            "Updates whose handling failed, by kind of update and of error.",
            ["kind", "error"],
            registry=self.registry,
        )

        self.replies_lost = Counter(
            "icc_replies_lost",
            "Messages of a reply that never reached their chat (a part, a chart, a notification, "
            "or the apology itself), by reason: timeout, network, server_error, rate_limited, "
            "forbidden, bad_request, other, apology.",
            ["reason"],
            registry=self.registry,
        )

    def observe(self, kind: str, seconds: float) -> None:
        """Count one handled update of ``kind`` that took ``seconds``."""
        self.updates.labels(kind).inc()
        self.latency.labels(kind).observe(seconds)

    def exposition(self) -> tuple[bytes, str]:
        """The metrics in Prometheus' text format, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def update_kind(update: object) -> str:
    """A small, fixed set of labels (never user text, which would explode the series)."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "press"
    message = update.effective_message
    if message is None:
        return "other"
    if message.document is not None:
        return "document"
    if (message.text or "").startswith("/"):
        return "command"
    return "text"


class InstrumentedUpdateProcessor(PerChatUpdateProcessor):
    """Per-chat ordering as before, timing each update from its arrival to its last reply.

    The time spent waiting for the chat's earlier updates is included: that wait is part of
    what the person experiences.
    """

    def __init__(
        self,
        metrics: BotMetrics,
        max_working: int = 64,
        on_done: Callable[[object], None] | None = None,
    ) -> None:
        super().__init__(max_working=max_working, on_done=on_done)
        self.metrics = metrics

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            await super().do_process_update(update, coroutine)
        finally:
            self.metrics.observe(update_kind(update), time.perf_counter() - started)


def error_counter(metrics: BotMetrics) -> Any:
    """An error handler (registered next to `on_error`) that counts each failure by kind."""

    async def count_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = type(context.error).__name__ if context.error is not None else "unknown"
        metrics.errors.labels(update_kind(update), error).inc()
        if isinstance(context.error, RepliesLost):
            for lost in context.error.lost:
                metrics.replies_lost.labels(lost.reason).inc()

    return count_error


def metrics_of(application: Application) -> BotMetrics:
    """The metrics `build_application` attached to ``application``."""
    metrics = application.bot_data.get(METRICS_KEY)
    if not isinstance(metrics, BotMetrics):
        raise LookupError("this application was not built by build_application")
    return metrics
