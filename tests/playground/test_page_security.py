"""The page is safe by construction: every hole a probe found, tried again through real HTTP.

Each test is the attack first (refused, and nothing reached the bot), then, where it matters,
the page's own request that must still work, so a check that refused everything would fail.
"""

from __future__ import annotations

from collections.abc import Callable

import aiohttp
import pytest
from page_visitor import Visitor

from bot.playground.server import StandIn
from bot.playground.sessions import CSRF_HEADER, DEMO_ADMIN_ID, is_playground_user


async def test_a_user_id_in_the_body_is_ignored(
    standin: StandIn, visitor: Callable[..., Visitor]
) -> None:
    page = visitor()
    await page.open()
    status, _ = await page.post("/api/send", {"user_id": 999, "text": "/export"})
    assert status == 200
    [update] = standin.state.updates
    assert update["message"]["from"]["id"] == page.user_id != 999
    assert update["message"]["chat"]["id"] == page.user_id
    assert 999 not in standin.state.chats


async def test_no_chat_but_ones_own_is_readable(
    standin: StandIn, visitor: Callable[..., Visitor]
) -> None:
    ana, eve = visitor(), visitor()
    await ana.open()
    await eve.open()
    assert (await ana.post("/api/send", {"text": "Ana's secret"}))[0] == 200
    await standin.upload(standin.state.users[ana.user_id], "ana.csv", b"a,b\n", "text/csv")
    [document] = [m.document for m in standin.state.chats[ana.user_id] if m.document]
    assert (await eve.get("/api/messages", chat_id=str(ana.user_id), since="0"))[0] == 403
    assert (await eve.get(f"/api/file/{document.file_id}"))[0] == 404
    assert await ana.get(f"/api/file/{document.file_id}") == (200, b"a,b\n")
    # Eve's own poll shows Eve's chat only.
    assert (await eve.post("/api/send", {"text": "Eve here"}))[0] == 200
    status, body = await eve.get("/api/messages", since="0")
    assert status == 200
    assert b"Eve here" in body and b"secret" not in body


async def test_no_session_no_access(standin: StandIn, visitor: Callable[..., Visitor]) -> None:
    stranger = visitor()  # never opened the page: no cookie
    assert (await stranger.get("/api/messages", since="0"))[0] == 403
    headers = {"Origin": standin.page_url, CSRF_HEADER: "guess"}
    assert (await stranger.post("/api/send", {"text": "hi"}, headers=headers))[0] == 403
    assert standin.state.updates == []


@pytest.mark.parametrize(
    "origin_headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Referer": "http://evil.example/page"},
        {},  # neither Origin nor Referer: nothing says it is the page's own request
    ],
    ids=["other-origin", "null-origin", "other-referer", "no-origin"],
)
async def test_a_write_from_another_origin_is_refused(
    standin: StandIn, visitor: Callable[..., Visitor], origin_headers: dict[str, str]
) -> None:
    page = visitor()
    await page.open()
    headers = {CSRF_HEADER: page.session["csrf_token"], **origin_headers}
    status, _ = await page.post("/api/send", {"text": "/forget"}, headers=headers)
    assert status == 403
    assert standin.state.updates == []


async def test_a_same_origin_referer_is_enough(
    standin: StandIn, visitor: Callable[..., Visitor]
) -> None:
    page = visitor()
    await page.open()
    headers = {CSRF_HEADER: page.session["csrf_token"], "Referer": f"{standin.page_url}/?x=1"}
    assert (await page.post("/api/send", {"text": "hi"}, headers=headers))[0] == 200


async def test_requests_another_site_started_are_refused(
    standin: StandIn, visitor: Callable[..., Visitor]
) -> None:
    page = visitor()
    await page.open()
    headers = {**page.own_headers, "Sec-Fetch-Site": "same-site"}  # another port of this host
    assert (await page.post("/api/send", {"text": "hi"}, headers=headers))[0] == 403
    async with page.http.get(
        "/api/messages", params={"since": "0"}, headers={"Sec-Fetch-Site": "cross-site"}
    ) as response:
        assert response.status == 403
    assert standin.state.updates == []


async def test_text_plain_and_form_bodies_are_refused(
    standin: StandIn, visitor: Callable[..., Visitor]
) -> None:
    """What a cross-site ``fetch(..., {mode: "no-cors"})`` or ``<form>`` can send."""
    page = visitor()
    await page.open()
    body = '{"text": "/forget"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        headers = {**page.own_headers, "Content-Type": content_type}
        async with page.http.post("/api/send", data=body, headers=headers) as response:
            assert response.status == 415
    form = aiohttp.FormData({"text": "/forget"})
    async with page.http.post("/api/press", data=form, headers=page.own_headers) as response:
        assert response.status == 415
    assert standin.state.updates == []


@pytest.mark.parametrize("token", [None, "", "forged"], ids=["missing", "empty", "wrong"])
async def test_a_write_without_the_csrf_token_is_refused(
    standin: StandIn, visitor: Callable[..., Visitor], token: str | None
) -> None:
    page = visitor()
    await page.open()
    headers = {"Origin": standin.page_url}
    if token is not None:
        headers[CSRF_HEADER] = token
    assert (await page.post("/api/send", {"text": "hi"}, headers=headers))[0] == 403
    form = aiohttp.FormData()
    form.add_field("file", b"x,y\n", filename="planted.csv", content_type="text/csv")
    async with page.http.post("/api/upload", data=form, headers=headers) as response:
        assert response.status == 403
    assert standin.state.updates == []


async def test_another_sessions_csrf_token_is_refused(
    standin: StandIn, visitor: Callable[..., Visitor]
) -> None:
    ana, eve = visitor(), visitor()
    await ana.open()
    await eve.open()
    headers = {"Origin": standin.page_url, CSRF_HEADER: eve.session["csrf_token"]}
    assert (await ana.post("/api/send", {"text": "hi"}, headers=headers))[0] == 403
    form = aiohttp.FormData()
    form.add_field("file", b"x,y\n", filename="ok.csv", content_type="text/csv")
    async with ana.http.post("/api/upload", data=form, headers=ana.own_headers) as response:
        assert response.status == 200  # the page's own upload, with its own token, still works
    assert [u["message"]["from"]["id"] for u in standin.state.updates] == [ana.user_id]


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "rebound.example.com:{port}", "127.0.0.1:1", "localhost"]
)
async def test_a_foreign_host_header_is_refused(
    standin: StandIn, visitor: Callable[..., Visitor], host: str
) -> None:
    """DNS rebinding: a name the attacker controls, pointed at 127.0.0.1 after the page loaded."""
    page = visitor()
    headers = {"Host": host.format(port=standin.port)}
    async with page.http.get("/api/session", headers=headers) as response:
        assert response.status == 421
    async with page.http.get("/", headers=headers) as response:
        assert response.status == 421
    assert len(standin.sessions) == 0


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
async def test_the_bound_address_is_accepted_by_either_name(
    standin: StandIn, visitor: Callable[..., Visitor], name: str
) -> None:
    page = visitor()
    async with page.http.get("/", headers={"Host": f"{name}:{standin.port}"}) as response:
        assert response.status == 200


async def test_the_bot_api_does_not_answer_on_the_page_port(standin: StandIn) -> None:
    assert standin.port != standin.api_port
    async with aiohttp.ClientSession(base_url=standin.page_url) as page:
        for path in ("/bot1:x/getMe", "/bot1:x/setWebhook", "/file/bot1:x/files/a/b"):
            async with page.post(path, data={"url": "http://evil.example/"}) as response:
                assert response.status in (404, 405)
    assert standin.state.webhook is None
    async with aiohttp.ClientSession(base_url=standin.base_url) as api:
        async with api.get("/bot1:x/getMe") as response:
            assert (await response.json())["ok"] is True  # the bot still reaches it
        async with api.get("/") as response:
            assert response.status == 404  # and the page is not served there


async def test_the_bot_api_refuses_browsers_and_foreign_hosts(standin: StandIn) -> None:
    async with aiohttp.ClientSession(base_url=standin.base_url) as api:
        for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            async with api.post(
                "/bot1:x/setWebhook", data={"url": "http://evil.example/"}, headers=headers
            ) as response:
                assert response.status == 403
        async with api.get("/bot1:x/getMe", headers={"Host": "evil.example"}) as response:
            assert response.status == 421
    assert standin.state.webhook is None


async def test_a_bot_api_with_a_token_takes_no_other() -> None:
    async with (
        StandIn(token="100000:secret") as standin,
        aiohttp.ClientSession(base_url=standin.base_url) as api,
    ):
        async with api.get("/bot100000:guess/getMe") as response:
            assert (response.status, (await response.json())["error_code"]) == (401, 401)
        async with api.get("/file/bot100000:guess/files/x/y") as response:
            assert response.status == 401
        async with api.get("/bot100000:secret/getMe") as response:
            assert response.status == 200


async def test_sessions_are_playground_users_and_never_the_admin_without_a_key(
    standin: StandIn, visitor: Callable[..., Visitor]
) -> None:
    page = visitor()
    session = await page.open(admin="anything")
    assert is_playground_user(page.user_id) and page.user_id != DEMO_ADMIN_ID
    assert session["demo_admin"] is False


async def test_the_demo_admin_key_opens_the_demo_admin_session(
    visitor: Callable[..., Visitor],
) -> None:
    async with StandIn(demo_admin_key="k3y") as standin:
        officer, guesser, admin = visitor(standin), visitor(standin), visitor(standin)
        assert (await officer.open())["demo_admin"] is False
        assert (await guesser.open(admin="k3"))["demo_admin"] is False
        assert guesser.user_id != DEMO_ADMIN_ID
        session = await admin.open(admin="k3y")
        assert session["demo_admin"] is True and admin.user_id == DEMO_ADMIN_ID
        assert (await admin.open())["user_id"] == DEMO_ADMIN_ID  # the cookie keeps it
