"""The page's JSON API: what the browser sends becomes updates; it sees messages and toasts."""

from __future__ import annotations

import aiohttp

from bot.playground.server import StandIn


async def test_the_page_sends_as_a_user_and_sees_replies_and_toasts(standin: StandIn) -> None:
    user = {"user_id": 77, "first_name": "Ana", "language_code": "fr"}
    async with aiohttp.ClientSession(base_url=standin.base_url) as http:
        async with http.post("/api/send", json={**user, "text": "<b>hi</b>"}) as response:
            assert response.status == 200
        [update] = standin.state.updates
        assert update["message"]["from"]["language_code"] == "fr"
        async with http.post(
            "/bot1:x/sendMessage",
            data={
                "chat_id": "77",
                "text": "Pick",
                "reply_markup": '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}',
            },
        ) as response:
            assert response.status == 200
        async with http.post("/api/press", json={**user, "message_id": 2, "data": "a"}) as r:
            assert r.status == 200
        query_id = standin.state.updates[-1]["callback_query"]["id"]
        async with http.post(
            "/bot1:x/answerCallbackQuery", data={"callback_query_id": query_id, "text": "Saved"}
        ) as response:
            assert response.status == 200
        async with http.get("/api/messages", params={"chat_id": "77", "since": "0"}) as response:
            page = await response.json()
    user_message, bot_message = page["messages"]
    assert user_message["html"] == "&lt;b&gt;hi&lt;/b&gt;"  # what a user types is never markup
    assert bot_message["buttons"] == [[{"text": "A", "callback_data": "a"}]]
    assert [t["text"] for t in page["toasts"]] == ["Saved"]


async def test_bad_page_requests_are_refused(standin: StandIn) -> None:
    async with aiohttp.ClientSession(base_url=standin.base_url) as http:
        async with http.post("/api/send", json={"user_id": "x", "text": "hi"}) as response:
            assert response.status == 400
        async with http.post("/api/press", json={"user_id": 5, "message_id": 9, "data": "a"}) as r:
            assert r.status == 400
        async with http.get("/static/../api.py") as response:
            assert response.status == 404
    assert standin.state.updates == []
