"""Study visits through the core: from the results to the secretariat and back to the officer,
the draft's steps and their checks, /mentors' button, /myrequests (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from core_helpers import Chat, button, buttons, make_services
from selfcheck_helpers import answer_all, worst

from bot.core.assistant import Assistant
from bot.core.messages import Reply
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import User, VisitStatus

ADMIN = 900
OFFICER = 100


@pytest.fixture
def services(database_url: str, tmp_path: Path, shared_parts: dict[str, Any]) -> Iterator[Services]:
    """The core fixture's services, with a secretariat."""
    services = make_services(database_url, tmp_path, shared_parts, icc_admin_ids=str(ADMIN))
    yield services
    services.engine.dispose()


@pytest.fixture
def admin(assistant: Assistant) -> Chat:
    return Chat(assistant, user_id=ADMIN)


def _requests(services: Services, **filters: Any) -> list[Any]:
    with session_scope(services.engine) as session:
        return repo.visit_requests(session, **filters)


def _user(services: Services, user_id: int = OFFICER) -> User | None:
    with session_scope(services.engine) as session:
        return repo.get_user(session, user_id=user_id)


def _only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0]


@pytest.mark.usefixtures("with_index")
def test_a_request_from_the_results_reaches_the_admin_and_the_status_comes_back(
    chat: Chat, admin: Chat, services: Services
) -> None:
    chat.send("/start")
    chat.send("Barcelona")
    [menu] = chat.send("/selfcheck")
    [first] = chat.press(button(menu, "Quick"))
    *_, last = answer_all(chat, services, "quick", first, worst)
    area_label = next(iter(buttons(last)))
    mentors = _only(chat.press(buttons(last)[area_label]))
    assert "<b>Study visit:" in mentors.text and "Suggested mentor cities" in mentors.text
    assert '<a href="http' in mentors.text  # every documented mentor carries its source
    choices = [label for label in buttons(mentors) if label not in ("Cancel",)]
    assert "Let the secretariat choose" in choices and "Barcelona" not in choices
    mentor = choices[0]
    fmt = _only(chat.press(buttons(mentors)[mentor]))
    assert fmt.edit and "On site or online?" in fmt.text
    period = _only(chat.press(buttons(fmt)["On site"]))
    group = _only(chat.send("Spring 2027"))
    assert "How many people" in group.text
    again = _only(chat.send("²"))  # a digit to Unicode, not a number to int()
    assert "number of people from 1 to 50" in again.text
    note = _only(chat.send("4"))
    confirm = _only(chat.send("We want to see <how> the anti-rumour network works."))
    assert "Spring 2027" in confirm.text and "Group size: 4" in confirm.text
    assert "&lt;how&gt;" in confirm.text and "Format: On site" in confirm.text
    assert _requests(services) == []  # nothing is stored before the officer confirms
    assert period.buttons and note.buttons

    sent, *rest = chat.press(buttons(confirm)["Send the request"])
    [stored] = _requests(services)
    assert stored.reference and stored.reference in sent.text and sent.edit
    assert (stored.city, stored.mentor_city, stored.format, stored.group_size) == (
        "Barcelona",
        mentor,
        "onsite",
        4,
    )
    assert stored.run_id == int(button(last, area_label).split(":")[1])
    assert stored.status == VisitStatus.NEW and stored.period == "Spring 2027"
    consents = [r for r in rest if r.chat_id is None]
    assert len(consents) == 2 and all(r.buttons for r in consents)  # asked once, both
    [notice] = [r for r in rest if r.chat_id is not None]
    assert notice.chat_id == ADMIN and stored.reference in notice.text
    assert "Barcelona" in notice.text
    assert "Officer" not in notice.text  # the display name: /forget cannot recall a message
    assert set(buttons(notice)) == {"Forward", "Accept", "Decline"}
    user = _user(services)
    assert user is not None and user.state == "idle" and user.state_data == {}

    edited, told = admin.press(buttons(notice)["Accept"])
    assert edited.edit and "accepted" in edited.text and set(buttons(edited)) == {"Mark done"}
    assert told.chat_id == OFFICER and stored.reference in told.text and "accepted" in told.text
    [again] = admin.press(buttons(notice)["Decline"])  # a second admin's stale button
    assert "no longer applies" in again.text
    assert _requests(services)[0].status == VisitStatus.ACCEPTED
    mine = _only(chat.send("/myrequests"))
    assert stored.reference in mine.text and "accepted" in mine.text
    # The officer cannot move their own request.
    [refused] = chat.press(buttons(edited)["Mark done"])
    assert "secretariat" in refused.text
    assert _requests(services)[0].status == VisitStatus.ACCEPTED


def test_visit_steps_check_their_input_and_cancel_stores_nothing(
    chat: Chat, services: Services
) -> None:
    menu = _only(chat.send("/visit"))
    assert "Which area" in menu.text and "Education" in buttons(menu)
    mentors = _only(chat.press(buttons(menu)["Education"]))
    assert "Study visit: Education" in mentors.text and mentors.edit
    [stale] = chat.press(buttons(menu)["Public space"])  # the menu's draft was replaced
    assert "no longer applies" in stale.text
    fmt = _only(chat.press(buttons(mentors)["Let the secretariat choose"]))
    period = _only(chat.press(buttons(fmt)["Online"]))
    group = _only(chat.press(buttons(period)["Within 6 months"]))
    for bad in ("0", "many", "51"):
        hint = _only(chat.send(bad))
        assert "from 1 to 50" in hint.text
    note = _only(chat.send("12"))
    assert "under 500" in _only(chat.send("x" * 600)).text
    confirm = _only(chat.press(buttons(note)["No note"]))
    assert "chosen by the secretariat" in confirm.text and "Within 6 months" in confirm.text
    assert "Group size: 12" in confirm.text and "Note:" not in confirm.text
    cancelled = _only(chat.press(buttons(confirm)["Cancel"]))
    assert "cancelled" in cancelled.text and _requests(services) == []
    [stale] = chat.press(buttons(confirm)["Send the request"])
    assert "no longer applies" in stale.text and _requests(services) == []
    assert group.buttons
    user = _user(services)
    assert user is not None and user.state == "idle" and user.state_data == {}


def test_any_command_leaves_the_drafts_text_step(chat: Chat, services: Services) -> None:
    """After a command, free text is no longer read as the visit's period."""
    mentors = _only(chat.send("/visit education"))
    fmt = _only(chat.press(buttons(mentors)["Let the secretariat choose"]))
    _only(chat.press(buttons(fmt)["Online"]))
    user = _user(services)
    assert user is not None and user.state == "visit_period"
    chat.send("/cancel")
    user = _user(services)
    assert user is not None and user.state == "idle"


def test_forged_and_foreign_visit_buttons_change_nothing(
    chat: Chat, services: Services, assistant: Assistant
) -> None:
    mentors = _only(chat.send("/visit education"))
    token = buttons(mentors)["Cancel"].split(":")[1]
    stranger = Chat(assistant, user_id=200)
    for data in (
        f"vis1:{token}:c:yes",  # another user's draft token
        "vis1:s:no_such_area",
        "visit1:999999:education",  # no such run
        "vis1:zzzz:m:any",
    ):
        [reply] = stranger.press(data)
        assert reply.toast, data
    for data in (f"vis1:{token}:m:9", f"vis1:{token}:f:by_boat", f"vis1:{token}:g:99"):
        [reply] = chat.press(data)
        assert reply.toast, data
    assert _requests(services) == []
    user = _user(services, 200)
    assert user is not None and user.state_data == {}


def test_mentors_offer_a_study_visit(chat: Chat) -> None:
    [reply] = chat.send("/mentors education")
    visit = _only(chat.press(button(reply, "Request a study visit")))
    assert "Study visit: Education" in visit.text


def test_myrequests_without_any(chat: Chat) -> None:
    assert "no study-visit request yet" in _only(chat.send("/myrequests")).text


def test_french_officer_gets_french_steps_and_status(
    assistant: Assistant, admin: Chat, services: Services
) -> None:
    zoe = Chat(assistant, user_id=300, language="fr")
    mentors = _only(zoe.send("/visit éducation"))
    assert "Visite d'étude" in mentors.text
    fmt = _only(zoe.press(buttons(mentors)["Laisser le secrétariat choisir"]))
    period = _only(zoe.press(buttons(fmt)["En ligne"]))
    group = _only(zoe.press(buttons(period)["Flexible"]))
    note = _only(zoe.press(buttons(group)["2"]))
    confirm = _only(zoe.send("Bonjour"))
    _, *rest = zoe.press(buttons(confirm)["Envoyer la demande"])
    [notice] = [r for r in rest if r.chat_id == ADMIN]
    assert "New study-visit request" in notice.text  # the admin never wrote: English
    _, told = admin.press(buttons(notice)["Forward"])
    assert told.chat_id == 300 and "transmise" in told.text
    assert note.buttons
