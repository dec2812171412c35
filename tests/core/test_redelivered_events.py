"""An event applied by a process that is gone (it died before its replies went out) and
delivered again to a new one: the officer gets the state it left, and nothing is applied twice.

A new `Assistant` over the same database is the restarted process (SQLite and PostgreSQL).
The self-check cases, with a real kill -9, are in test_kill9.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from core_helpers import Chat, buttons

from bot.core.assistant import Assistant
from bot.core.texts import t
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope

QUESTION = "How do I start an anti-rumours campaign?"


def _user(services: Services) -> Any:
    with session_scope(services.engine) as session:
        return repo.get_user(session, user_id=100)


def _restarted(services: Services) -> Chat:
    """The same officer talking to a freshly started process."""
    return Chat(Assistant(services))


@pytest.mark.usefixtures("with_index")
def test_a_redelivered_question_is_answered_again_and_logged_once(
    chat: Chat, services: Services
) -> None:
    [first] = chat.send(QUESTION, event_id="update-1")
    [again] = _restarted(services).send(QUESTION, event_id="update-1")
    assert again.text == first.text
    assert buttons(again) == buttons(first)  # feedback goes to the question that was logged
    with session_scope(services.engine) as session:
        since = _user(services).created_at
        assert repo.count_questions_since(session, user_id=100, since=since) == 1
    # The process that handled it once does not answer a second delivery again.
    assert chat.send(QUESTION, event_id="update-1") == []


def test_a_redelivered_city_is_not_taken_twice_and_says_so(chat: Chat, services: Services) -> None:
    chat.send("/start", event_id="update-1")
    [saved] = chat.send("Barcelona", event_id="update-2")
    assert "Barcelona" in saved.text
    before = _user(services)
    [note] = _restarted(services).send("Barcelona", event_id="update-2")
    assert note.text == t("en", "already_done") and note.toast is None
    after = _user(services)
    assert (after.city, after.state, after.state_data) == (
        before.city,
        before.state,
        before.state_data,
    )


def test_a_redelivered_press_that_wrote_answers_with_a_note_and_writes_nothing(
    chat: Chat, services: Services
) -> None:
    chat.send("/help")
    [consent] = chat.press("cns1:m:1", event_id="update-3")
    assert consent.text and _user(services).consent_mentor is True
    with session_scope(services.engine, write=True) as session:  # withdrawn meanwhile
        repo.update_user(session, user_id=100, consent_mentor=False)
    [note] = _restarted(services).press("cns1:m:1", event_id="update-3")
    assert note.text == t("en", "already_done") and note.toast == note.text
    assert _user(services).consent_mentor is False  # the old press was not applied again


def test_a_redelivered_read_only_command_is_answered_as_the_first_time(
    chat: Chat, services: Services
) -> None:
    [first] = chat.send("/help", event_id="update-4")
    [again] = _restarted(services).send("/help", event_id="update-4")
    assert again.text == first.text


@pytest.mark.usefixtures("with_index")
def test_a_redelivered_follow_up_is_answered_in_its_context(chat: Chat, services: Services) -> None:
    chat.send("How do we train municipal staff in intercultural competence?", event_id="u-1")
    [first] = chat.send("and for the police?", event_id="u-2")
    [again] = _restarted(services).send("and for the police?", event_id="u-2")
    assert again.text == first.text and "police" in again.text.lower()
