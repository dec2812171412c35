"""The playground page in headless Chromium (Debian's package; no browser is downloaded).

A person's path through the page: a question typed and answered with links, a quick
self-check clicked through to the chart, a file uploaded. The chart must really render: its
image decodes at full size and the screenshot of it is not blank.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import Browser, Page, async_playwright
from selfcheck_driver import lowest_answer

from bot.playground.server import StandIn
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
    page = await browser.new_page(viewport={"width": 900, "height": 1400})
    await page.goto(f"{standin.base_url}/?user=9301&name=Ana&lang=en")
    yield page
    await page.close()


async def say(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.click("#send")


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
    for turn in range(80):
        if await chart.count():
            break
        question = page.locator(".msg.bot", has=page.locator(".keyboard")).last
        message_id = await question.get_attribute("data-message-id")
        callbacks = await question.locator("button[data-callback]").evaluate_all(
            "buttons => buttons.map(b => b.dataset.callback)"
        )
        presses, _ = lowest_answer(
            services.index_model, [c for c in callbacks if c.startswith("sc1:")]
        )
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
    await standin.wait_for_bot_messages(9301, 1, 60)
    await page.locator(".msg.bot").first.wait_for(timeout=10_000)
    assert "scores.csv" in await page.locator(".msg.user .doc").first.inner_text()
