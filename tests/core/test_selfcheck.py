"""The self-check through `Assistant.handle`, end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from core_helpers import Chat, button, buttons
from selfcheck_helpers import answer, answer_all, best, step_of, worst

from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import RunStatus
from scoring.score import indicators_for


def _state(services: Services, user_id: int = 100) -> tuple[Any, dict[str, Any]]:
    """The user's latest run and its answers as (kind, options)."""
    with session_scope(services.engine) as session:
        run = repo.open_run(session, user_id=user_id)
        answers = repo.answers_for(session, run_id=run.id or 0) if run else {}
    return run, {k: (a.kind, tuple(a.options)) for k, a in answers.items()}


@pytest.mark.usefixtures("with_index")
def test_quick_check_to_chart_weak_areas_mentors_and_comparison(
    chat: Chat, services: Services
) -> None:
    chat.send("/start")
    chat.send("Barcelona")
    [menu] = chat.send("/selfcheck")
    assert "not an official ICC Index result" in menu.text
    [first] = chat.press(button(menu, "Quick"))
    total = len(indicators_for(services.index_model, "quick"))
    assert f"Area 1/17, question 1/{total}" in first.text
    assert {"Don't know", "Skip", "Pause"} <= set(buttons(first))

    results = answer_all(chat, services, "quick", first, worst)
    done, summary, *weak = results
    assert done.edit and "Self-check complete" in done.text and not done.buttons
    assert summary.attachment is not None and summary.attachment.kind == "photo"
    assert summary.attachment.content.startswith(b"\x89PNG")
    assert "Overall: <b>0</b>/100" in summary.text and "estimate" in summary.text
    assert "⚠️" in summary.text
    weak_text = "\n".join(r.text for r in weak)
    assert "mentor" in weak_text.lower() and "From the ICC guides" in weak_text
    assert weak_text.count("<b>Weak area:") == 17
    assert "Barcelona" not in weak_text.split("From the ICC guides")[0].split("Weak area")[1]
    assert weak_text.count('<a href="http') >= 17 * 2
    assert all(len(r.text) < 4096 for r in results)
    visit = button(weak[-1], "Request a study visit")
    [later] = chat.press(visit)  # the study-visit flow takes over (tests/core/test_visits.py)
    assert "<b>Study visit:" in later.text

    with session_scope(services.engine) as session:
        done = repo.previous_result(session, user_id=100, before_run_id=0)
    assert done is not None and done[0].status == RunStatus.COMPLETED and done[1].overall == 0
    assert done[0].city == "Barcelona" and done[0].model_version == services.index_model.version

    [menu] = chat.send("/selfcheck")
    [first] = chat.press(button(menu, "Quick"))
    _, summary, no_weak, *consents = answer_all(chat, services, "quick", first, best)
    assert "Since your previous self-check" in summary.text
    assert "+100 in Education since" in summary.text
    assert "No weak area" in no_weak.text
    assert [set(buttons(c)) for c in consents] == [{"Yes", "No"}] * 2


def _consents_asked(replies: list[Any]) -> list[str]:
    return [r.text.split(":")[0] for r in replies if set(buttons(r)) == {"Yes", "No"}]


@pytest.mark.usefixtures("with_index")
def test_strong_results_ask_the_consents_not_asked_yet_once(chat: Chat, services: Services) -> None:
    chat.send("/start")
    chat.send("Barcelona")

    def quick_check(pick: Any) -> list[Any]:
        [menu] = chat.send("/selfcheck")
        [first] = chat.press(button(menu, "Quick"))
        return answer_all(chat, services, "quick", first, pick)

    assert _consents_asked(quick_check(worst)) == []  # nothing strong: nothing to propose
    results = quick_check(best)
    mentor, share = (r for r in results if set(buttons(r)) == {"Yes", "No"})
    assert results[-2:] == [mentor, share]  # after the results themselves
    assert "propose your city as a mentor" in mentor.text
    saved = chat.press(buttons(mentor)["Yes"])
    assert "proposed as a mentor" in saved[0].text
    with session_scope(services.engine) as session:
        user = repo.get_user(session, user_id=100)
    assert user is not None and (user.consent_mentor, user.consent_share_results) == (True, None)
    again = quick_check(best)
    assert len(_consents_asked(again)) == 1 and "results" in again[-1].text
    chat.press(buttons(again[-1])["No"])
    assert _consents_asked(quick_check(best)) == []


@pytest.mark.usefixtures("with_index")
def test_strong_results_without_a_member_city_ask_no_mentor_consent(
    chat: Chat, services: Services
) -> None:
    [welcome] = chat.send("/start")
    chat.press(button(welcome, "Other"))
    [menu] = chat.send("/selfcheck")
    [first] = chat.press(button(menu, "Quick"))
    assert _consents_asked(answer_all(chat, services, "quick", first, best)) == []


@pytest.mark.usefixtures("with_index")
def test_no_overall_figure_rests_on_a_few_answered_areas(chat: Chat, services: Services) -> None:
    [menu] = chat.send("/selfcheck")
    [question] = chat.press(button(menu, "Quick"))
    [question] = answer(chat, services, "quick", question, best)  # one area's first question
    replies = [question]
    while step_of(replies[-1]) is not None:
        replies = chat.press(buttons(replies[-1])["Don't know"])
    summary = replies[1]
    assert "Overall: not estimated (areas scored: 1 of 17)" in summary.text
    assert "Overall: <b>" not in summary.text and "Intercultural lens:" not in summary.text
    assert "estimate" in summary.text


def test_back_skip_dont_know_pause_and_resume(chat: Chat, services: Services) -> None:
    [menu] = chat.send("/selfcheck")
    [q1] = chat.press(button(menu, "Quick"))
    [q2] = answer(chat, services, "quick", q1, best)
    assert "question 2/" in q2.text and q2.edit and q2.toast == "Saved"
    [q3] = chat.press(buttons(q2)["Skip"])
    [q4] = chat.press(buttons(q3)["Don't know"])
    assert "question 4/" in q4.text
    [back] = chat.press(buttons(q4)["« Back"])
    assert "question 3/" in back.text and "Your answer so far: Don't know" in back.text
    [paused] = chat.press(buttons(back)["Pause"])
    assert "Paused at question 3/" in paused.text

    run, answers = _state(services)
    quick = indicators_for(services.index_model, "quick")
    assert run.status == RunStatus.PAUSED and run.position == 2
    assert [answers[i.id][0] for i in quick[:3]] == ["option", "skipped", "dont_know"]

    # An old question's button changes nothing while paused.
    [stale, offer] = chat.press(next(iter(buttons(q1).values())))
    assert "no longer applies" in stale.text and "Resume" in buttons(offer)
    assert _state(services)[1] == answers and _state(services)[0].version == run.version

    [offer] = chat.send("/selfcheck")
    assert "unfinished self-check" in offer.text and "question 3/" in offer.text
    [resumed] = chat.press(buttons(offer)["Resume"])
    assert "question 3/" in resumed.text
    [q4] = chat.press(buttons(resumed)["Skip"])
    [stale, current] = chat.press(buttons(q2)["Skip"])  # question 2 is not current
    assert "no longer applies" in stale.text and "question 4/" in current.text
    assert _state(services)[0].position == 3

    [offer] = chat.send("/start")[-1:]
    [menu] = chat.press(buttons(offer)["Start over"])
    assert "Quick check" in " ".join(buttons(menu))
    assert _state(services)[0] is None  # the old run is abandoned, its answers kept
    with session_scope(services.engine) as session:
        kept = repo.answers_for(session, run_id=run.id or 0)
    assert [kept[i.id].kind for i in quick[:3]] == ["option", "skipped", "skipped"]


def test_forged_foreign_and_malformed_step_buttons_change_nothing(
    chat: Chat, services: Services
) -> None:
    [menu] = chat.send("/selfcheck")
    [q1] = chat.press(button(menu, "Quick"))
    run_id, _ = step_of(q1)
    before = _state(services)
    stranger = Chat(chat.assistant, user_id=200)
    [refused] = stranger.press(f"sc1:{run_id}:0:o:0")
    assert "someone else" in refused.text and refused.toast
    forged = [
        f"sc1:{run_id}:0:o:99",  # no such option
        f"sc1:{run_id}:0:t:0",  # a toggle on a single-choice question
        f"sc1:{run_id}:0:z",  # unknown action
        f"sc1:{run_id + 1000}:0:o:0",  # no such run
        f"scr1:r:{run_id + 1000}",
        "scs1:a:no_such_area",
        "mnt1:no_such_area",
        "sc1:-1:0:o:0",
        "visit1:abc",
    ]
    for data in forged:
        [reply] = chat.press(data)
        assert reply.toast, data
    [stale, current] = chat.press(f"sc1:{run_id}:5:o:0")  # a step that is not current
    assert "no longer applies" in stale.text and "question 1/" in current.text
    assert _state(services) == before
    assert _state(services, user_id=200) == (None, {})


def test_multi_select_toggles_then_done(chat: Chat, services: Services) -> None:
    [menu] = chat.send("/selfcheck")
    [areas] = chat.press(button(menu, "One area"))
    [question] = chat.press(buttons(areas)["Language"])
    indicators = indicators_for(services.index_model, "area:language")
    position = next(n for n, i in enumerate(indicators) if i.multi)
    for _ in range(position):
        [question] = chat.press(buttons(question)["Skip"])
    assert "Select all that apply" in question.text
    run_id, _ = step_of(question)
    chat.press(f"sc1:{run_id}:{position}:t:0")
    chat.press(f"sc1:{run_id}:{position}:t:2")
    [shown] = chat.press(f"sc1:{run_id}:{position}:t:0")
    labels = list(buttons(shown))
    assert labels[2].startswith("☑") and labels[0].startswith("☐")
    [after] = chat.press(buttons(shown)["Done"])
    assert f"question {position + 2}/" in after.text
    indicator = indicators[position]
    assert _state(services)[1][indicator.id] == ("option", (indicator.options[2].id,))


@pytest.mark.usefixtures("with_index")
def test_a_weak_areas_guide_passages_name_its_topic(services: Services) -> None:
    from bot.core.selfcheck_results import guide_passages

    model = services.index_model
    language = guide_passages(services, model, "language")
    assert language and all("language" in f"{s.section} {s.text[:220]}".lower() for s in language)
    # searched by its description ("mixing of pupils..."), Education drew a start-up
    # incubator's "art of mixing": an area the guides barely cover gets no passage instead
    assert not any("Start-ups" in s.section for s in guide_passages(services, model, "education"))
