"""The stand-in behaves like the Bot API where a bot could tell the difference."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from bot.playground.server import StandIn
from bot.playground.state import Fault, PlaygroundUser

ANA = PlaygroundUser(id=501, first_name="Ana", language_code="fr")


async def call(standin: StandIn, method: str, **params: object) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{standin.base_url}/bot123:TEST/{method}",
            data={k: str(v) for k, v in params.items()},
        ) as response,
    ):
        return response.status, await response.json()


async def test_get_updates_confirms_by_offset_and_redelivers_unconfirmed(standin: StandIn) -> None:
    first = await standin.send_text(ANA, "/start")
    second = await standin.send_text(ANA, "hello")
    _, body = await call(standin, "getUpdates", offset=0, timeout=0)
    assert [u["update_id"] for u in body["result"]] == [first, second]
    assert body["result"][0]["message"]["entities"][0]["type"] == "bot_command"
    # A bot killed before confirming sees the same updates again.
    _, again = await call(standin, "getUpdates", offset=0, timeout=0)
    assert [u["update_id"] for u in again["result"]] == [first, second]
    _, rest = await call(standin, "getUpdates", offset=second, timeout=0)
    assert [u["update_id"] for u in rest["result"]] == [second]


async def test_long_poll_wakes_up_on_a_new_update(standin: StandIn) -> None:
    poll = asyncio.create_task(call(standin, "getUpdates", offset=0, timeout=20))
    await asyncio.sleep(0.1)
    assert not poll.done()
    update_id = await standin.send_text(ANA, "hi")
    _, body = await asyncio.wait_for(poll, 5)
    assert [u["update_id"] for u in body["result"]] == [update_id]


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("<b>bold <i>both</b></i>", "can't parse entities"),
        ("<script>x</script>", "can't parse entities"),
        ("fish & chips", "can't parse entities"),
        ("x" * 4097, "message is too long"),
        ("   ", "message text is empty"),
    ],
)
async def test_send_message_refuses_what_telegram_refuses(
    standin: StandIn, text: str, description: str
) -> None:
    standin.add_user(ANA)
    status, body = await call(standin, "sendMessage", chat_id=ANA.id, text=text, parse_mode="HTML")
    assert status == 400
    assert description in body["description"]
    assert standin.bot_messages(ANA.id) == []


async def test_send_message_counts_utf16_units_and_keeps_safe_html(standin: StandIn) -> None:
    standin.add_user(ANA)
    html = '<b>Pro</b> &amp; <a href="https://rm.coe.int/x">guide</a> 🙂'
    status, body = await call(standin, "sendMessage", chat_id=ANA.id, text=html, parse_mode="HTML")
    assert status == 200
    assert body["result"]["text"] == "Pro & guide 🙂"
    message = standin.bot_messages(ANA.id)[0]
    assert '<a href="https://rm.coe.int/x"' in message.html
    # 🙂 is two UTF-16 units: 4095 of them plus the emoji is one unit too many.
    status, _ = await call(
        standin, "sendMessage", chat_id=ANA.id, text="x" * 4095 + "🙂", parse_mode="HTML"
    )
    assert status == 400


async def test_callback_data_over_64_bytes_is_refused(standin: StandIn) -> None:
    standin.add_user(ANA)
    markup = '{"inline_keyboard": [[{"text": "x", "callback_data": "%s"}]]}' % ("é" * 33)
    status, body = await call(standin, "sendMessage", chat_id=ANA.id, text="x", reply_markup=markup)
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_a_javascript_link_button_is_refused(standin: StandIn) -> None:
    standin.add_user(ANA)
    markup = '{"inline_keyboard": [[{"text": "x", "url": "javascript:alert(1)"}]]}'
    status, body = await call(standin, "sendMessage", chat_id=ANA.id, text="x", reply_markup=markup)
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_URL_INVALID")


async def test_injected_faults_answer_before_or_after_the_work(standin: StandIn) -> None:
    standin.add_user(ANA)
    standin.inject(Fault("sendMessage", status=429, retry_after=3))
    status, body = await call(standin, "sendMessage", chat_id=ANA.id, text="a")
    assert (status, body["parameters"]) == (429, {"retry_after": 3})
    standin.inject(Fault("sendMessage", status=502))
    assert (await call(standin, "sendMessage", chat_id=ANA.id, text="b"))[0] == 502
    assert standin.bot_messages(ANA.id) == []
    standin.inject(Fault("sendMessage", delay=0.2))
    assert (await call(standin, "sendMessage", chat_id=ANA.id, text="c"))[0] == 200
    assert [m.text for m in standin.bot_messages(ANA.id)] == ["c"]


async def test_uploaded_file_is_downloadable_through_get_file(standin: StandIn) -> None:
    await standin.upload(ANA, "scores.csv", b"city,area,score\n", "text/csv")
    _, body = await call(standin, "getUpdates", timeout=0)
    document = body["result"][0]["message"]["document"]
    _, file = await call(standin, "getFile", file_id=document["file_id"])
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{standin.base_url}/file/bot123:TEST/{file['result']['file_path']}") as r,
    ):
        assert await r.read() == b"city,area,score\n"


async def test_webhook_mode_posts_updates_with_the_secret_and_blocks_polling(
    standin: StandIn,
) -> None:
    received: list[tuple[str | None, dict]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        # The first delivery fails: Telegram tries again.
        return web.Response(status=500 if len(received) == 1 else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        url = f"http://127.0.0.1:{port}/hook"
        assert (await call(standin, "setWebhook", url=url, secret_token="s3cret"))[0] == 200
        assert (await call(standin, "getUpdates", timeout=0))[0] == 409
        update_id = await standin.send_text(ANA, "via webhook")
        await standin.wait_for(lambda: len(received) >= 2 and not standin.state.updates, 10)
        assert [(secret, body["update_id"]) for secret, body in received] == [
            ("s3cret", update_id),
            ("s3cret", update_id),
        ]
    finally:
        await runner.cleanup()
