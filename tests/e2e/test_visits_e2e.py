"""Study visits, the secretariat's tools and privacy through the real PTB stack and the Bot API
stand-in, on SQLite and PostgreSQL: a request from the results to the admin's chat and the
status back to the officer, the CSV export, non-admins refused, uploads good and bad, /forget."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from made_files import make_pdf
from selfcheck_driver import answer_one, current_question, press_and_wait, start_quick_check

from bot.config import Settings, load_settings
from bot.playground.server import StandIn
from bot.playground.state import Message, PlaygroundUser
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import VisitStatus

pytestmark = pytest.mark.e2e

ANA = PlaygroundUser(id=9101, first_name="Ana", language_code="en")
SEC = PlaygroundUser(id=9900, first_name="Secretariat", language_code="en")
#: Any token works with the stand-in.
TOKEN = "424242:E2E-visits"
REFUSED = "Sorry, this command is for the ICC secretariat only."


@pytest.fixture
def settings(standin: StandIn, index_dir: Path, database_url: str) -> Settings:
    """The e2e settings with a secretariat, on SQLite or PostgreSQL."""
    return load_settings(
        icc_data_dir=index_dir.parent,
        database_url=database_url,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
        icc_admin_ids=str(SEC.id),
    )


async def say(standin: StandIn, user: PlaygroundUser, text: str, timeout: float = 60) -> Message:
    """Send ``text`` and return the bot's next message in that chat."""
    count = len(standin.bot_messages(user.id))
    await standin.send_text(user, text)
    return (await standin.wait_for_bot_messages(user.id, count + 1, timeout))[count]


async def tap(standin: StandIn, user: PlaygroundUser, message: Message, label: str) -> Message:
    """Press the button labelled ``label``; return the message that now carries the answer
    (the pressed one when it was edited, else the newest)."""
    data = next(b["callback_data"] for row in message.buttons for b in row if b["text"] == label)
    version = message.version
    await press_and_wait(standin, user, message, data)
    return message if message.version != version else standin.bot_messages(user.id)[-1]


async def request_visit(standin: StandIn, user: PlaygroundUser, start: Message) -> Message:
    """From the mentors step, a request with the secretariat choosing; the confirmation."""
    fmt = await tap(standin, user, start, "Let the secretariat choose")
    period = await tap(standin, user, fmt, "Online")
    group = await tap(standin, user, period, "Within 3 months")
    await tap(standin, user, group, "3")
    confirm = await say(standin, user, "We would like to see the welcome desk.")
    sent = await tap(standin, user, confirm, "Send the request")
    # The two consent questions follow a first request: wait for them, so later replies are
    # not mistaken for them.
    await standin.wait_for(lambda: len(_with_button(standin, user, "cns1:")) >= 2, 30)
    return sent


def _with_button(standin: StandIn, user: PlaygroundUser, prefix: str) -> list[Message]:
    return [
        m
        for m in standin.bot_messages(user.id)
        if any(d.startswith(prefix) for d in m.button_data())
    ]


async def test_a_request_from_the_results_reaches_the_admin_and_the_status_comes_back(
    standin: StandIn, bot: object, services: Services
) -> None:
    standin.add_user(SEC)
    question = await start_quick_check(standin, ANA)
    for _ in range(60):
        question = current_question(standin, ANA)
        if question is None or any(m.photo for m in standin.bot_messages(ANA.id)):
            break
        await answer_one(standin, ANA, services.index_model, question)
    results = await standin.wait_for(
        lambda: (
            (ms := standin.bot_messages(ANA.id))
            and any(d.startswith("visit1:") for d in ms[-1].button_data())
            and ms[-1]
        ),
        90,
    )
    label = results.buttons[0][0]["text"]
    assert label.startswith("Request a study visit")
    await press_and_wait(standin, ANA, results, results.buttons[0][0]["callback_data"])
    mentors = standin.bot_messages(ANA.id)[-1]
    assert "Study visit:" in mentors.text and '<a href="https://' in mentors.html
    sent = await request_visit(standin, ANA, mentors)
    with session_scope(services.engine) as session:
        [stored] = repo.visit_requests(session)
    assert stored.reference and stored.reference in sent.text and stored.run_id is not None

    [notice] = await standin.wait_for_bot_messages(SEC.id, 1, 30)
    # The request's details, never who sent it: a Telegram message outlives /forget.
    assert stored.reference in notice.text and "Ana" not in notice.text
    count = len(standin.bot_messages(ANA.id))
    edited = await tap(standin, SEC, notice, "Accept")
    assert "accepted" in edited.text and edited.message_id == notice.message_id
    told = (await standin.wait_for_bot_messages(ANA.id, count + 1, 30))[-1]
    assert stored.reference in told.text and "accepted" in told.text
    with session_scope(services.engine) as session:
        assert repo.visit_requests(session)[0].status == VisitStatus.ACCEPTED
    mine = await say(standin, ANA, "/myrequests")
    assert "accepted" in mine.text


async def test_export_sends_a_csv_of_the_requests(
    standin: StandIn, bot: object, services: Services
) -> None:
    standin.add_user(SEC)
    start = await say(standin, ANA, "/visit public space")
    await request_visit(standin, ANA, start)
    count = len(standin.bot_messages(SEC.id))
    await standin.send_text(SEC, "/export")
    messages = await standin.wait_for_bot_messages(SEC.id, count + 3, 30)  # notice + 2 replies
    [document] = [m for m in messages if m.document]
    assert document.document is not None and document.document.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(document.document.content.decode("utf-8-sig"))))
    assert [(r["area_id"], r["status"], r["format"]) for r in rows] == [
        ("public_space", "new", "online")
    ]
    assert (
        rows[0]["note"] == "We would like to see the welcome desk." and rows[0]["officer"] == "Ana"
    )


async def test_non_admins_are_refused_every_admin_command(
    standin: StandIn, bot: object, services: Services
) -> None:
    before = [d.doc_id for d in services.library.documents()]
    for command in ("/requests", "/export", "/stats", "/documents", "/remove icc-guide"):
        reply = await say(standin, ANA, command)
        assert reply.text == REFUSED and reply.document is None, command
    count = len(standin.bot_messages(ANA.id))
    await standin.upload(ANA, "guide.pdf", make_pdf(["A guide."]), "application/pdf")
    [*_, reply] = await standin.wait_for_bot_messages(ANA.id, count + 1, 30)
    assert "cannot use files" in reply.text
    assert [d.doc_id for d in services.library.documents()] == before


async def test_admin_uploads_a_good_pdf_and_bad_files_are_refused(
    standin: StandIn, bot: object, services: Services
) -> None:
    def index() -> dict[str, int]:
        return {d.doc_id: d.chunks for d in services.library.documents()}

    before = index()
    unique = (
        "The Quillon Bridge Circle is a monthly meeting in Tarvena where newcomers and residents "
        "repair bicycles together, guided by volunteer mechanics from twelve countries."
    )
    bad = [
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <</Type /Catalog>> garbage", "damaged"),
        ("empty.md", b"  \n", "empty"),
        ("huge.md", b"# Huge\n" + b"word " * 2_200_000, "larger than 10 MB"),
        ("notes.exe", b"MZ\x90\x00", "not accepted"),
    ]
    for name, content, reason in bad:
        count = len(standin.bot_messages(SEC.id))
        await standin.upload(SEC, name, content, "application/octet-stream")
        reply = (await standin.wait_for_bot_messages(SEC.id, count + 1, 60))[-1]
        assert reason in reply.text and "index is unchanged" in reply.text, reply.text
        assert index() == before

    count = len(standin.bot_messages(SEC.id))
    await standin.upload(SEC, "quillon-circle.pdf", make_pdf([unique, unique]), "application/pdf")
    reply = (await standin.wait_for_bot_messages(SEC.id, count + 1, 120))[-1]
    assert "(2 pages)" in reply.text and "passages added" in reply.text
    assert set(index()) - set(before) == {"quillon-circle"}
    answer = await say(standin, ANA, "What is the Quillon Bridge Circle?", 90)
    assert "Quillon" in answer.text and "quillon circle" in answer.text.lower()
    listing = await say(standin, SEC, "/documents")
    assert "quillon-circle" in listing.text


async def test_forget_through_telegram_leaves_no_row_of_the_user(
    standin: StandIn, bot: object, services: Services
) -> None:
    standin.add_user(SEC)
    await say(standin, ANA, "/start")
    await say(standin, ANA, "Barcelona")
    start = await say(standin, ANA, "/visit education")
    await request_visit(standin, ANA, start)
    confirm = await say(standin, ANA, "/forget")
    done = await tap(standin, ANA, confirm, "Yes, delete my data")
    assert "deleted" in done.text
    with session_scope(services.engine) as session:
        assert repo.get_user(session, user_id=ANA.id) is None
        assert repo.runs_of(session, user_id=ANA.id) == []
        assert repo.questions_of(session, user_id=ANA.id) == []
        [request] = repo.visit_requests(session)
    # Kept for the secretariat: reference, area, status, dates; not the city, which with one
    # officer per city would name the person.
    assert request.user_id is None and request.note == "" and request.period == ""
    assert request.city is None and request.country is None and request.reference
