"""Webhook mode's own endpoints: `/healthz` says whether the replica can serve, `/metrics`
counts what it did. One in-process bot against the stand-in, real services underneath."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from scale_helpers import SECRET, free_port, metric

from bot.config import Settings, load_settings
from bot.core.messages import Incoming, Reply
from bot.playground.server import StandIn
from bot.playground.state import PlaygroundUser
from bot.services import Services, build_services
from bot.tg.app import build_application, webhook
from bot.tg.handlers import Core
from bot.tg.webhook_server import MAX_ATTEMPTS, SECRET_HEADER

TOKEN = "777001:scale-endpoints"
ANA = PlaygroundUser(id=7001, first_name="Ana")


class FlakyCore:
    """Echoes, except that text saying "boom" fails the way a bug would."""

    def handle(self, incoming: Incoming) -> list[Reply]:
        if incoming.text == "boom":
            raise RuntimeError("a bug")
        return [Reply(text=f"echo {incoming.text or incoming.callback}")]


@asynccontextmanager
async def replica(
    standin: StandIn, settings: Settings, services: Services, core: Core | None = None
) -> AsyncIterator[str]:
    """The bot in webhook mode on a free port; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with webhook(
        build_application(settings, services, core=core, retry_backoff=0.01),
        listen="127.0.0.1",
        port=port,
        url_path="tg",
        webhook_url=f"{base}/tg",
        secret_token=SECRET,
        services=services,
    ):
        yield base


async def get_json(url: str) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


def settings_for(standin: StandIn, data_dir: Path, **overrides: object) -> Settings:
    return load_settings(
        icc_data_dir=data_dir,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
        **overrides,
    )


async def test_healthz_is_ready_when_database_index_and_models_answer(
    index_dir: Path, database_url: str
) -> None:
    async with StandIn() as standin:
        settings = settings_for(standin, index_dir.parent, database_url=database_url)
        async with replica(standin, settings, build_services(settings)) as base:
            status, body = await get_json(f"{base}/healthz")
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "index", "index_model"}


async def test_healthz_is_503_naming_the_database_when_it_is_unreachable(
    index_dir: Path,
) -> None:
    unreachable = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone"
    async with StandIn() as standin:
        settings = settings_for(standin, index_dir.parent, database_url=unreachable)
        async with replica(standin, settings, build_services(settings), FlakyCore()) as base:
            status, body = await get_json(f"{base}/healthz")
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "failed: OperationalError"
    assert body["checks"]["index"] == "ok"
    assert "127.0.0.1" not in str(body)  # no connection details to anonymous callers


async def test_metrics_count_updates_by_kind_latency_and_errors(tmp_path: Path) -> None:
    async with StandIn() as standin:
        settings = settings_for(standin, tmp_path)
        async with replica(standin, settings, build_services(settings), FlakyCore()) as base:
            await standin.send_text(ANA, "/help")
            await standin.send_text(ANA, "hello")
            [*_, echo] = await standin.wait_for_bot_messages(ANA.id, 2)
            await standin.press(ANA, echo, "b:1")
            await standin.send_text(ANA, "boom")  # fails on every delivery, until given up
            await standin.wait_for(lambda: not standin.state.updates)
            apologies = standin.bot_messages(ANA.id)[3:]
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{base}/metrics") as response:
                    exposition = await response.text()
                    content_type = response.headers["Content-Type"]
                async with http.post(f"{base}/tg", json={"update_id": 1}) as forged:
                    assert forged.status == 403
                for garbled in (b"\xff{not json", b"null", b"[1]", b'{"message": {}}'):
                    headers = {SECRET_HEADER: SECRET}
                    async with http.post(f"{base}/tg", data=garbled, headers=headers) as refused:
                        assert refused.status == 400, garbled
    assert content_type.startswith("text/plain")
    assert len(apologies) == MAX_ATTEMPTS
    assert all("Sorry" in apology.text for apology in apologies)
    assert metric(exposition, "icc_updates_handled_total", kind="command") == 1
    assert metric(exposition, "icc_updates_handled_total", kind="text") == 1 + MAX_ATTEMPTS
    assert metric(exposition, "icc_updates_handled_total", kind="press") == 1
    assert metric(exposition, "icc_reply_latency_seconds_count", kind="text") == 1 + MAX_ATTEMPTS
    assert metric(exposition, "icc_reply_latency_seconds_bucket", kind="press", le="+Inf") == 1
    assert metric(exposition, "icc_errors_total", kind="text", error="RuntimeError") == MAX_ATTEMPTS
    assert metric(exposition, "icc_errors_total", kind="command", error="RuntimeError") == 0
