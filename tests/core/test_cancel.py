"""/cancel ends whatever multi-step input is pending (the city after /start, a study-visit
draft), while other commands keep their own rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from core_helpers import Chat, buttons
from visit_helpers import only

from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope


def _user(services: Services) -> Any:
    with session_scope(services.engine) as session:
        return repo.get_user(session, user_id=100)


def test_cancel_while_the_city_is_awaited(chat: Chat, services: Services) -> None:
    chat.send("/start")
    only(chat.send("/help"))  # help leaves the question open
    assert _user(services).state == "awaiting_city"
    done = only(chat.send("/cancel"))
    assert "you left the current step" in done.text
    assert _user(services).state == "idle"
    assert "nothing to cancel" in only(chat.send("/cancel")).text


def test_cancel_mid_study_visit_draft_makes_its_buttons_stale(
    chat: Chat, services: Services
) -> None:
    mentors = only(chat.send("/visit education"))
    fmt = only(chat.press(buttons(mentors)["Let the secretariat choose"]))
    period = only(chat.press(buttons(fmt)["Online"]))
    assert _user(services).state == "visit_period"
    done = only(chat.send("/cancel"))
    assert "you left the current step" in done.text
    user = _user(services)
    assert (user.state, user.state_data) == ("idle", {})
    stale = only(chat.press(buttons(period)["Flexible"]))
    assert stale.toast and "no longer applies" in stale.text
    assert _user(services).state_data == {}


def test_cancel_a_draft_waiting_for_a_button(chat: Chat, services: Services) -> None:
    mentors = only(chat.send("/visit education"))
    assert _user(services).state == "idle" and _user(services).state_data
    assert "you left the current step" in only(chat.send("/cancel")).text
    assert _user(services).state_data == {}
    assert only(chat.press(buttons(mentors)["Let the secretariat choose"])).toast


def test_another_command_still_drops_the_pending_text_input(chat: Chat, services: Services) -> None:
    chat.send("/start")
    chat.send("/mentors education")
    assert _user(services).state == "idle"
