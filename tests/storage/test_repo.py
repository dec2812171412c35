"""The repository's guarantees, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine

from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import AnswerKind, RunStatus, User, utcnow


def _user_and_run(engine: Engine, user_id: int = 1) -> int:
    with session_scope(engine, write=True) as session:
        repo.touch_user(session, user_id=user_id, chat_id=user_id, language="en")
        run = repo.create_run(session, user_id=user_id, city=None, scope="full", model_version="v1")
    return run.id or 0


def test_touch_user_keeps_the_chosen_language(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        repo.touch_user(session, user_id=3, chat_id=30, language="en", display_name="Ann")
        repo.update_user(session, user_id=3, language="fr", city="Lyon")
    with session_scope(engine, write=True) as session:
        user = repo.touch_user(session, user_id=3, chat_id=31, language="en", display_name="A")
    assert (user.language, user.city, user.chat_id, user.display_name) == ("fr", "Lyon", 31, "A")
    assert user.seen_at.tzinfo is not None


def test_update_user_refuses_unknown_columns(engine: Engine) -> None:
    with session_scope(engine, write=True) as session, pytest.raises(ValueError, match="id"):
        repo.update_user(session, user_id=3, id=4)


def test_an_answer_given_twice_is_stored_once(engine: Engine) -> None:
    run_id = _user_and_run(engine)
    with session_scope(engine, write=True) as session:
        repo.save_answer(
            session, run_id=run_id, indicator_id="a", kind=AnswerKind.OPTION, options=["x"]
        )
        repo.save_answer(
            session, run_id=run_id, indicator_id="a", kind=AnswerKind.OPTION, options=["y"]
        )
        repo.save_answer(session, run_id=run_id, indicator_id="b", kind=AnswerKind.SKIPPED)
    with session_scope(engine) as session:
        answers = repo.answers_for(session, run_id=run_id)
    assert {k: (a.kind, a.options) for k, a in answers.items()} == {
        "a": ("option", ["y"]),
        "b": ("skipped", []),
    }


def test_an_event_is_claimed_once(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        assert repo.claim_event(session, event_id="update-1")
        assert not repo.claim_event(session, event_id="update-1")
    with session_scope(engine, write=True) as session:
        assert not repo.claim_event(session, event_id="update-1")
        assert repo.event_processed(session, event_id="update-1")
        assert repo.forget_events_before(session, before=utcnow() + timedelta(seconds=1)) == 1
        assert not repo.event_processed(session, event_id="update-1")


def test_a_rolled_back_claim_leaves_the_event_unprocessed(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine, write=True) as session:
        repo.claim_event(session, event_id="update-2")
        raise RuntimeError("crash before the effect committed")
    with session_scope(engine) as session:
        assert not repo.event_processed(session, event_id="update-2")


def test_only_one_open_run_per_user(engine: Engine) -> None:
    run_id = _user_and_run(engine)
    with pytest.raises(repo.Conflict), session_scope(engine, write=True) as session:
        repo.create_run(session, user_id=1, city=None, scope="quick", model_version="v1")
    with session_scope(engine, write=True) as session:
        run = repo.get_run(session, run_id=run_id)
        assert run is not None
        repo.update_run(session, run=run, status=RunStatus.COMPLETED)
        again = repo.create_run(session, user_id=1, city=None, scope="quick", model_version="v1")
    assert again.id != run_id and run.finished_at is not None


def test_a_run_changed_meanwhile_is_a_conflict(engine: Engine) -> None:
    run_id = _user_and_run(engine)
    with session_scope(engine) as session:
        stale = repo.get_run(session, run_id=run_id)
    with session_scope(engine, write=True) as session:
        fresh = repo.get_run(session, run_id=run_id)
        assert fresh is not None
        repo.update_run(session, run=fresh, position=1)
    assert stale is not None
    with pytest.raises(repo.Conflict), session_scope(engine, write=True) as session:
        repo.update_run(session, run=stale, position=5)
    with session_scope(engine) as session:
        current = repo.get_run(session, run_id=run_id)
    assert current is not None and (current.position, current.version) == (1, 2)


def test_previous_result_is_the_latest_completed_run(engine: Engine) -> None:
    ids = []
    for overall in (40.0, 55.0):
        run_id = _user_and_run(engine)
        with session_scope(engine, write=True) as session:
            run = repo.get_run(session, run_id=run_id)
            assert run is not None
            repo.save_result(session, run_id=run_id, overall=overall, lens=None, areas=[])
            repo.update_run(session, run=run, status=RunStatus.COMPLETED)
        ids.append(run_id)
    with session_scope(engine) as session:
        found = repo.previous_result(session, user_id=1, before_run_id=ids[1] + 1)
        first_run = repo.previous_result(session, user_id=1, before_run_id=ids[1])
    assert found is not None and found[1].overall == 55.0
    assert first_run is not None and first_run[0].id == ids[0]


def test_forgetting_a_user_removes_runs_and_keeps_anonymous_questions(engine: Engine) -> None:
    run_id = _user_and_run(engine, user_id=9)
    with session_scope(engine, write=True) as session:
        repo.save_answer(session, run_id=run_id, indicator_id="a", kind=AnswerKind.DONT_KNOW)
        question = repo.add_question(
            session,
            user_id=9,
            text="q",
            language="en",
            answered=True,
            top_source=None,
            sources=[],
        )
        repo.save_feedback(session, question_id=question.id or 0, user_id=9, helpful=True)
    with session_scope(engine, write=True) as session:
        session.execute(delete(User).where(User.id == 9))
    with session_scope(engine) as session:
        assert repo.get_run(session, run_id=run_id) is None
        assert repo.answers_for(session, run_id=run_id) == {}
        kept = repo.get_question(session, question_id=question.id or 0)
        verdict = repo.feedback_for(session, question_id=question.id or 0)
    assert kept is not None and kept.user_id is None
    assert verdict is not None and verdict.user_id is None and verdict.helpful


def test_feedback_changes_are_upserts(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        repo.touch_user(session, user_id=4, chat_id=4, language="en")
        question = repo.add_question(
            session, user_id=4, text="q", language="en", answered=True, top_source="T", sources=[]
        )
        repo.save_feedback(session, question_id=question.id or 0, user_id=4, helpful=True)
        repo.save_feedback(
            session, question_id=question.id or 0, user_id=4, helpful=False, reason="wrong"
        )
    with session_scope(engine) as session:
        verdict = repo.feedback_for(session, question_id=question.id or 0)
        since = utcnow() - timedelta(minutes=1)
        assert repo.count_questions_since(session, user_id=4, since=since) == 1
        last = repo.last_question(session, user_id=4, since=since)
    assert verdict is not None and (verdict.helpful, verdict.reason) == (False, "wrong")
    assert last is not None and last.text == "q"


def test_official_scores_are_replaced_by_city_year_and_area(engine: Engine) -> None:
    row = SimpleNamespace(
        city="Lyon",
        country="France",
        year=2024,
        area="education",
        score=61.0,
        network_average=55.0,
        source_url="https://example.org/lyon",
    )
    with session_scope(engine, write=True) as session:
        assert repo.save_official_scores(session, rows=[row]) == 1
        repo.save_official_scores(session, rows=[SimpleNamespace(**{**vars(row), "score": 70})])
    with session_scope(engine) as session:
        rows = repo.official_scores(session)
    assert [(r.city, r.area_id, r.score) for r in rows] == [("Lyon", "education", 70.0)]
