"""The playground page in headless Chromium (Debian's package; no browser is downloaded).

A person's path through the page: a question typed and answered with links, a quick
self-check clicked through to the chart, a file uploaded. The chart must really render: its
image decodes at full size and the screenshot of it is not blank.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from PIL import Image
from playwright.async_api import Browser, Page, async_playwright
from selfcheck_driver import lowest_answer

from bot.playground.server import StandIn
from bot.playground.sessions import is_playground_user
from bot.services import Services

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium package is missing (apt-get install -y chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def page(browser: Browser, standin: StandIn, bot: object) -> AsyncIterator[Page]:
    """The page as a person opens it: the server gives it a session (and so a user)."""
    # A context of its own (not browser.new_page), so a test can open another site beside it.
    context = await browser.new_context(viewport={"width": 900, "height": 1400})
    page = await context.new_page()
    await page.goto(f"{standin.page_url}/?name=Ana&lang=en")
    await page.locator("body[data-user-id]").wait_for(state="attached", timeout=10_000)
    yield page
    await context.close()


async def user_of(page: Page) -> int:
    """The playground user the server chose for this page's session."""
    return int(await page.get_attribute("body", "data-user-id") or 0)


async def say(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.click("#send")


async def test_a_french_officer_reads_the_page_in_french(
    browser: Browser, standin: StandIn, bot: object
) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{standin.page_url}/?name=Claire&lang=fr")
    await page.locator("body[data-user-id]").wait_for(state="attached", timeout=10_000)
    assert await page.inner_text("#send") == "Envoyer"
    assert await page.get_attribute("#text", "placeholder") == "Posez une question, ou tapez /start"
    assert await page.inner_text("#who") == "Vous êtes Claire"
    assert await page.get_attribute("html", "lang") == "fr"
    await context.close()


async def test_a_question_typed_in_the_page_is_answered_with_links(page: Page) -> None:
    await say(page, "How can a city fight rumours about migrants?")
    answer = page.locator(".msg.bot").last
    await answer.locator("a[href^='https://']").first.wait_for(timeout=90_000)
    assert "[1]" in await answer.inner_text()
    assert await page.locator(".msg.user").first.inner_text() == (
        "How can a city fight rumours about migrants?"
    )


async def test_a_quick_self_check_clicked_through_shows_the_chart(
    page: Page, services: Services, tmp_path: Path
) -> None:
    await say(page, "/selfcheck")
    await page.get_by_role("button", name="Quick check").click(timeout=60_000)
    chart = page.locator(".msg.bot img")
    step_button = page.locator('button[data-callback^="sc1:"]')
    for turn in range(80):
        # The click on "Quick check" (or on an answer) is followed by an edit of the message:
        # until it lands, the page still shows the buttons pressed before.
        await chart.or_(page.locator(".msg.bot", has=step_button)).first.wait_for(timeout=60_000)
        if await chart.count():
            break
        question = page.locator(".msg.bot", has=step_button).last
        message_id = await question.get_attribute("data-message-id")
        callbacks = await question.locator("button[data-callback]").evaluate_all(
            "buttons => buttons.map(b => b.dataset.callback)"
        )
        steps = [c for c in callbacks if c.startswith("sc1:")]
        presses, _ = lowest_answer(services.index_model, steps)
        for data in presses:  # click what a person aiming low would click
            before = await question.inner_text()
            await question.locator(f'button[data-callback="{data}"]').click()
            await page.wait_for_function(
                """([id, before]) => {
                    const m = document.querySelector(`.msg[data-message-id="${id}"]`);
                    return document.querySelector('.msg.bot img') || !m || m.innerText !== before;
                }""",
                arg=[message_id, before],
                timeout=60_000,
            )
        if turn == 0:  # the bot's callback answer shows as a toast
            await page.locator(".toast", has_text="Saved").first.wait_for(timeout=10_000)
    await chart.first.wait_for(timeout=60_000)
    await page.wait_for_function(
        "() => { const i = document.querySelector('.msg.bot img');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=30_000,
    )
    width = await chart.first.evaluate("img => img.naturalWidth")
    assert width >= 1000  # the chart is sent at full resolution
    await chart.first.scroll_into_view_if_needed()
    shot = await chart.first.screenshot()
    # The whole page, kept with the test's files for a person to look at.
    await page.screenshot(path=tmp_path / "playground-chart.png")
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    colours = image.getcolors(maxcolors=1_000_000) or []
    assert image.width > 300 and len(colours) > 20  # drawn bars and labels, not a blank box
    assert "mentor" in (await page.locator("#log").inner_text()).lower()


async def test_a_file_uploaded_from_the_page_reaches_the_bot(
    page: Page, standin: StandIn, tmp_path: Path
) -> None:
    upload = tmp_path / "scores.csv"
    upload.write_text("city,area,score\n")
    await page.set_input_files("#file", str(upload))
    await page.locator(".msg.user .doc").first.wait_for(timeout=10_000)
    user_id = await user_of(page)
    assert is_playground_user(user_id)
    await standin.wait_for_bot_messages(user_id, 1, 60)
    await page.locator(".msg.bot").first.wait_for(timeout=10_000)
    assert "scores.csv" in await page.locator(".msg.user .doc").first.inner_text()


async def test_another_site_open_in_the_same_browser_cannot_act_in_the_playground(
    page: Page, standin: StandIn
) -> None:
    """The probe's cross-site ``/forget``: a page on another port of 127.0.0.1 (the same *site*,
    so the browser does send the playground's cookie) posts JSON as ``text/plain``, which
    needs no CORS preflight, and tries a JSON fetch too. Neither reaches the bot."""
    user_id = await user_of(page)
    attack = """
        const target = TARGET;
        const body = JSON.stringify({text: "/forget", user_id: 999});
        Promise.allSettled([
          fetch(target + "/api/send", {method: "POST", mode: "no-cors", credentials: "include",
                headers: {"Content-Type": "text/plain"}, body}),
          fetch(target + "/api/send", {method: "POST", credentials: "include",
                headers: {"Content-Type": "application/json"}, body}),
        ]).then(() => { document.title = "done"; });
    """.replace("TARGET", json.dumps(standin.page_url))

    async def evil_page(request: web.Request) -> web.Response:
        html = f"<!doctype html><title>evil</title><script>{attack}</script>"
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", evil_page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        evil = await page.context.new_page()
        await evil.goto(f"http://127.0.0.1:{port}/")
        await evil.wait_for_function("() => document.title === 'done'", timeout=10_000)
        await evil.close()
    finally:
        await runner.cleanup()
    # The playground's own page still works, and only what it sent reached the bot.
    await say(page, "/help")
    await standin.wait_for_bot_messages(user_id, 1, 60)
    typed = [m.text for m in standin.state.chats[user_id] if not m.from_bot]
    assert typed == ["/help"]
    assert 999 not in standin.state.chats
