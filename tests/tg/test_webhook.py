"""Webhook mode: the stand-in delivers updates to the bot's URL with the secret header."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from tg_helpers import TOKEN, ScriptedCore

from bot.config import load_settings
from bot.core.messages import Incoming, Reply
from bot.playground.server import StandIn
from bot.playground.state import PlaygroundUser
from bot.services import build_services
from bot.tg.app import build_application, webhook
from bot.tg.update_check import MAX_JSON_DEPTH, json_depth_within

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


def _message(**changes: Any) -> dict[str, Any]:
    """A delivery of a plain text message from Ana, with some fields changed."""
    message = {
        "message_id": 1,
        "date": 0,
        "text": "x",
        "chat": ANA.chat(),
        "from": ANA.to_api(),
        **changes,
    }
    return {"update_id": 20_000, "message": message}


#: Bodies a leaked secret or a broken proxy could post; each must get a 400, and no traceback.
MALFORMED: dict[str, bytes] = {
    "nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "a nested object in a message": json.dumps(
        _message(text="ok")
        | {"extra": json.loads("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))}
    ).encode(),
    "not JSON": b"{update_id: 1",
    "not UTF-8": b'{"update_id": 1, "x": "\xff"}',
    "an array": b"[]",
    "null": b"null",
    "a string update id": json.dumps({"update_id": "7"}).encode(),
    "a boolean update id": json.dumps({"update_id": True}).encode(),
    "a number for a name": json.dumps(
        _message(**{"from": {**ANA.to_api(), "first_name": 5}})
    ).encode(),
    "a chat id beyond 64 bits": json.dumps(
        _message(chat={"id": 2**70, "type": "private"})
    ).encode(),
    "a list for a text": json.dumps(_message(text=["x"])).encode(),
    "a date out of range (de_json fails)": json.dumps(_message(date=10**15)).encode(),
    "entities as an object (de_json fails)": json.dumps(_message(entities={"a": 1})).encode(),
    "a button press from nobody": json.dumps(
        {"update_id": 3, "callback_query": {"id": "q", "chat_instance": "c", "data": "x"}}
    ).encode(),
}


async def test_malformed_or_over_deep_deliveries_get_a_400_without_a_traceback(
    standin: StandIn, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = load_settings(
        telegram_bot_token=TOKEN, telegram_api_base_url=standin.base_url, icc_data_dir=tmp_path
    )
    core = ScriptedCore(lambda incoming: [Reply(text=f"got {incoming.text}")])
    application = build_application(settings, build_services(settings), core=core)
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg-hook"
    statuses = {}
    async with webhook(
        application,
        listen="127.0.0.1",
        port=port,
        url_path="tg-hook",
        webhook_url=url,
        secret_token="s3cret",
    ):
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret", "Content-Type": "application/json"}
        async with aiohttp.ClientSession() as session:
            for name, body in MALFORMED.items():
                async with session.post(url, data=body, headers=headers) as response:
                    statuses[name] = (response.status, (await response.text())[:14])
        await standin.send_text(ANA, "still here")  # a real update after them all
        [reply] = await standin.wait_for_bot_messages(ANA.id, 1)
    assert statuses == {name: (400, "not an update:") for name in MALFORMED}
    assert reply.text == "got still here" and [i.text for i in core.seen] == ["still here"]
    refused = [r for r in caplog.records if "undecodable webhook delivery" in r.getMessage()]
    assert len(refused) == len(MALFORMED)
    assert not any(r.exc_info for r in caplog.records) and "Traceback" not in caplog.text
    # the reason names the field, and nothing of the body is logged
    assert "update.message.from.first_name: str expected" in caplog.text
    assert str(2**70) not in caplog.text


def test_the_depth_scan_ignores_brackets_inside_strings() -> None:
    deep_text = json.dumps({"text": "[" * 500 + '\\"{' * 50}).encode()
    assert json_depth_within(deep_text)
    assert json_depth_within(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert not json_depth_within(b"[" * (MAX_JSON_DEPTH + 1))
