"""The page's JSON API: what the browser sends becomes updates; it sees messages and toasts."""

from __future__ import annotations

import time
from collections.abc import Callable

import aiohttp
from page_visitor import Visitor

from bot.playground.server import StandIn
from bot.playground.sessions import is_playground_user
from bot.playground.state import BotApiState


async def test_the_page_sends_as_its_user_and_sees_replies_and_toasts(
    standin: StandIn, visitor: Callable[[], Visitor]
) -> None:
    page = visitor()
    session = await page.open(name="Ana", lang="fr")
    assert is_playground_user(page.user_id)
    assert (session["first_name"], session["language_code"]) == ("Ana", "fr")
    status, body = await page.post("/api/send", {"text": "<b>hi</b>"})
    [update] = standin.state.updates
    assert (status, body) == (200, f'{{"update_id": {update["update_id"]}}}')
    assert update["message"]["from"] == {
        "id": page.user_id,
        "is_bot": False,
        "first_name": "Ana",
        "language_code": "fr",
    }
    async with aiohttp.ClientSession(base_url=standin.base_url) as bot_api:
        markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
        async with bot_api.post(
            "/bot1:x/sendMessage",
            data={"chat_id": str(page.user_id), "text": "Pick", "reply_markup": markup},
        ) as response:
            assert response.status == 200
        status, _ = await page.post("/api/press", {"message_id": 2, "data": "a"})
        assert status == 200
        query_id = standin.state.updates[-1]["callback_query"]["id"]
        async with bot_api.post(
            "/bot1:x/answerCallbackQuery", data={"callback_query_id": query_id, "text": "Saved"}
        ) as response:
            assert response.status == 200
    async with page.http.get("/api/messages", params={"since": "0"}) as response:
        assert response.headers["Cache-Control"] == "no-store"
        shown = await response.json()
    user_message, bot_message = shown["messages"]
    assert user_message["html"] == "&lt;b&gt;hi&lt;/b&gt;"  # what a user types is never markup
    assert bot_message["buttons"] == [[{"text": "A", "callback_data": "a"}]]
    assert [t["text"] for t in shown["toasts"]] == ["Saved"]


async def test_a_session_lasts_and_each_browser_is_its_own_user(
    visitor: Callable[[], Visitor],
) -> None:
    first, second = visitor(), visitor()
    one = await first.open()
    again = await first.open(name="Someone else")  # the cookie names the same session
    other = await second.open()
    assert again == one
    assert other["user_id"] != one["user_id"] and is_playground_user(other["user_id"])
    assert other["csrf_token"] != one["csrf_token"]


async def test_the_session_cookie_is_http_only_and_same_site_strict(standin: StandIn) -> None:
    async with (
        aiohttp.ClientSession(base_url=standin.page_url) as http,
        http.get("/api/session") as response,
    ):
        cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"icc_playground_{standin.port}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie


async def test_the_page_forbids_framing_and_sniffing(standin: StandIn) -> None:
    async with (
        aiohttp.ClientSession(base_url=standin.page_url) as http,
        http.get("/") as response,
    ):
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_bad_page_requests_are_refused(
    standin: StandIn, visitor: Callable[[], Visitor]
) -> None:
    page = visitor()
    await page.open()
    assert (await page.post("/api/send", {"text": "   "}))[0] == 400
    assert (await page.post("/api/press", {"message_id": 9, "data": "a"}))[0] == 400
    assert (await page.post("/api/press", {"message_id": "x", "data": "a"}))[0] == 400
    assert (await page.get("/static/../api.py"))[0] == 404
    assert standin.state.updates == []


def test_update_ids_keep_growing_across_restarts_like_telegrams() -> None:
    """The bot records the update ids it applied: a playground restarted on the same database
    must not reuse one, or a new message would be taken for a redelivery of an old one."""
    first = BotApiState()
    before = [first.push_update({"message": {}}) for _ in range(3)]
    time.sleep(0.01)  # a restart takes seconds; ids start at the clock in milliseconds
    again = BotApiState()
    assert again.push_update({"message": {}}) > max(before)
