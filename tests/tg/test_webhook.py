"""Webhook mode: the stand-in delivers updates to the bot's URL with the secret header."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
from tg_helpers import TOKEN, ScriptedCore

from bot.config import load_settings
from bot.core.messages import Incoming, Reply
from bot.playground.server import StandIn
from bot.playground.state import PlaygroundUser
from bot.services import build_services
from bot.tg.app import build_application, webhook

ANA = PlaygroundUser(id=601, first_name="Ana")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_updates_arrive_by_webhook_and_a_wrong_secret_is_refused(
    standin: StandIn, tmp_path: Path
) -> None:
    settings = load_settings(
        telegram_bot_token=TOKEN, telegram_api_base_url=standin.base_url, icc_data_dir=tmp_path
    )
    core = ScriptedCore(lambda incoming: [Reply(text=f"got {incoming.text}")])
    application = build_application(settings, build_services(settings), core=core)
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg-hook"
    async with webhook(
        application,
        listen="127.0.0.1",
        port=port,
        url_path="tg-hook",
        webhook_url=url,
        secret_token="s3cret",
    ):
        assert standin.state.webhook is not None
        assert (standin.state.webhook.url, standin.state.webhook.secret_token) == (url, "s3cret")
        await standin.send_text(ANA, "hello")
        [reply] = await standin.wait_for_bot_messages(ANA.id, 1)
        assert reply.text == "got hello"
        forged = {
            "update_id": 10_000,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "x",
                "chat": ANA.chat(),
                "from": ANA.to_api(),
            },
        }
        async with aiohttp.ClientSession() as session:
            for secret in ("wrong", None):
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
                async with session.post(url, json=forged, headers=headers) as response:
                    assert response.status == 403
    assert [i.text for i in core.seen] == ["hello"]
    assert isinstance(core.seen[0], Incoming)


async def test_a_balancing_stand_in_alternates_updates_between_replicas(tmp_path: Path) -> None:
    """Two replicas behind one public URL, as a load balancer would spread them (issue #6)."""
    async with StandIn(balance_webhooks=True) as standin:
        settings = load_settings(
            telegram_bot_token=TOKEN, telegram_api_base_url=standin.base_url, icc_data_dir=tmp_path
        )
        cores = [ScriptedCore(lambda i, n=n: [Reply(text=f"{n}: {i.text}")]) for n in (1, 2)]
        ports = [free_port(), free_port()]
        async with (
            webhook(
                build_application(settings, build_services(settings), core=cores[0]),
                listen="127.0.0.1",
                port=ports[0],
                url_path="hook",
                webhook_url=f"http://127.0.0.1:{ports[0]}/hook",
                secret_token="s3cret",
            ),
            webhook(
                build_application(settings, build_services(settings), core=cores[1]),
                listen="127.0.0.1",
                port=ports[1],
                url_path="hook",
                webhook_url=f"http://127.0.0.1:{ports[1]}/hook",
                secret_token="s3cret",
            ),
        ):
            for n in range(4):
                await standin.send_text(ANA, f"m{n}")
                await standin.wait_for_bot_messages(ANA.id, n + 1)
    assert [len(core.seen) for core in cores] == [2, 2]
    assert sorted(m.text for m in standin.bot_messages(ANA.id)) == sorted(
        f"{n}: {i.text}" for n, core in ((1, cores[0]), (2, cores[1])) for i in core.seen
    )
