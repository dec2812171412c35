"""The whole bot through the real PTB HTTP stack against the Bot API stand-in."""

from __future__ import annotations

import dataclasses
import re

import pytest
from selfcheck_driver import answer_one, current_question, run_id_of, start_quick_check

from bot.playground.server import StandIn
from bot.playground.state import Fault, PlaygroundUser
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope

pytestmark = pytest.mark.e2e

ANA = PlaygroundUser(id=9001, first_name="Ana", language_code="en")
ZOE = PlaygroundUser(id=9002, first_name="Zoé", language_code="fr")


async def test_start_welcomes_in_the_users_language(standin: StandIn, bot: object) -> None:
    await standin.send_text(ZOE, "/start")
    [welcome] = await standin.wait_for_bot_messages(ZOE.id, 1, 60)
    assert "Zoé" in welcome.text
    assert "city1:other" in welcome.button_data()
    await standin.send_text(ANA, "/start")
    [english] = await standin.wait_for_bot_messages(ANA.id, 1, 60)
    assert english.text != welcome.text  # French for Zoé, English for Ana
    assert [c["command"] for c in standin.state.commands][:2] == ["start", "help"]


async def test_a_question_is_answered_with_citations_and_sources(
    standin: StandIn, bot: object
) -> None:
    await standin.send_text(ANA, "How can a city fight rumours about migrants?")
    [answer] = await standin.wait_for_bot_messages(ANA.id, 1, 90)
    assert re.search(r"\[\d\]", answer.text), answer.text
    assert '<a href="https://' in answer.html
    sources = next(d for d in answer.button_data() if d.startswith("qa1:s:"))
    await standin.press(ANA, answer, sources)
    _, quotes = await standin.wait_for_bot_messages(ANA.id, 2, 30)
    assert "<blockquote>" in quotes.html or "“" in quotes.text


LEA = PlaygroundUser(id=9003, first_name="Lea", language_code="en")


async def test_a_follow_up_is_read_with_its_question_and_a_new_question_alone(
    standin: StandIn, bot: object
) -> None:
    """Question, elliptical follow-up, then a short unrelated question: each reply's topic."""
    await standin.send_text(LEA, "How do we train anti-rumour agents?")
    [first] = await standin.wait_for_bot_messages(LEA.id, 1, 90)
    assert "rumour" in first.text.lower(), first.text
    await standin.send_text(LEA, "and in Barcelona?")
    _, follow_up = await standin.wait_for_bot_messages(LEA.id, 2, 90)
    assert "Barcelona" in follow_up.text and "rumour" in follow_up.text.lower(), follow_up.text
    assert follow_up.text.split("\n")[0] != first.text.split("\n")[0]
    await standin.send_text(LEA, "How do cities join the ICC network?")
    *_, unrelated = await standin.wait_for_bot_messages(LEA.id, 3, 90)
    assert "rumour" not in unrelated.text.lower(), unrelated.text
    assert re.search(r"join|member|letter|request", unrelated.text, re.IGNORECASE)


async def test_a_quick_self_check_pressed_through_to_the_chart_and_mentors(
    standin: StandIn, bot: object, services: Services
) -> None:
    question = await start_quick_check(standin, ANA)
    chosen: dict[str, str] = {}
    run_id = run_id_of(question)
    for _ in range(60):
        question = current_question(standin, ANA)
        if question is None or any(m.photo for m in standin.bot_messages(ANA.id)):
            break
        before = question.text
        chosen[before] = await answer_one(standin, ANA, services.index_model, question)
    messages = await standin.wait_for(
        lambda: (
            (ms := standin.bot_messages(ANA.id))
            and any(d.startswith("visit1:") for d in ms[-1].button_data())
            and ms
        ),
        60,
    )
    photo = next(m for m in messages if m.photo)
    assert photo.photo is not None and photo.photo.content.startswith(b"\x89PNG")
    results = " ".join(m.text for m in messages[messages.index(photo) :])
    assert "mentor" in results.lower()
    assert "Request a study visit" in " ".join(
        b["text"] for row in messages[-1].buttons for b in row
    )
    with session_scope(services.engine) as session:
        stored = repo.answers_for(session, run_id=run_id)
    assert len(stored) == len(services.index_model.quick_check_ids)


async def test_forged_and_foreign_buttons_get_a_polite_answer_and_change_nothing(
    standin: StandIn, bot: object, services: Services
) -> None:
    question = await start_quick_check(standin, ANA)
    run_id = run_id_of(question)
    await standin.send_text(ZOE, "/help")
    await standin.wait_for_bot_messages(ZOE.id, 1, 30)
    own = standin.bot_messages(ZOE.id)[0]
    answered_before = sum(v is not None for v in standin.state.answered_callbacks.values())
    for forged in (f"sc1:{run_id}:0:o:0", "sc1:999999:0:o:0", "qa1:s:1", "not-ours:%%", "x" * 64):
        count = len(standin.bot_messages(ZOE.id))
        await standin.press(ZOE, own, forged)
        [*_, reply] = await standin.wait_for_bot_messages(ZOE.id, count + 1, 30)
        assert reply.text and "Traceback" not in reply.text
    answered = sum(v is not None for v in standin.state.answered_callbacks.values())
    assert answered == answered_before + 5  # every press got its spinner stopped
    with session_scope(services.engine) as session:
        assert repo.answers_for(session, run_id=run_id) == {}


async def test_a_429_delays_the_reply_which_then_arrives_once(
    standin: StandIn, bot: object
) -> None:
    standin.inject(Fault("sendMessage", status=429, retry_after=1))
    await standin.send_text(ANA, "/help")
    [reply] = await standin.wait_for_bot_messages(ANA.id, 1, 30)
    assert "/selfcheck" in reply.text
    assert len(standin.calls("sendMessage")) == 2
    assert len(standin.bot_messages(ANA.id)) == 1


async def test_a_10000_character_message_gets_a_polite_reply(standin: StandIn, bot: object) -> None:
    await standin.send_text(ANA, "intercultural " * 770)
    [reply] = await standin.wait_for_bot_messages(ANA.id, 1, 60)
    assert "long" in reply.text.lower()
    assert len(standin.bot_messages(ANA.id)) == 1


async def test_an_answer_longer_than_4096_characters_is_split(
    standin: StandIn, bot: object, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generative model (stood in for: it is paid) may write long answers; they arrive whole."""
    real_ask = services.qa.ask

    def verbose_ask(question: str, **kwargs: object) -> object:
        answer = real_ask(question, **kwargs)
        long = " ".join(f"Point {i}: {answer.answer}" for i in range(1, 40))
        return dataclasses.replace(answer, answer=long[:9000])

    monkeypatch.setattr(services.qa, "ask", verbose_ask)
    await standin.send_text(ANA, "How can a city fight rumours about migrants?")
    parts = await standin.wait_for(
        lambda: (ms := standin.bot_messages(ANA.id)) and ms[-1].buttons and ms, 90
    )
    assert len(parts) >= 3
    assert all(len(m.text) <= 4096 for m in parts)
    assert [bool(m.buttons) for m in parts] == [False] * (len(parts) - 1) + [True]
    assert "Point 1:" in parts[0].text and "https://" in parts[-1].html
