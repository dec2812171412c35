"""Which stored self-checks feed the peer averages, on SQLite and PostgreSQL: completed, with a
city, of an officer who currently consents; withdrawing consent or /forget removes them."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import RunStatus


def _checked(
    engine: Engine,
    user_id: int,
    *,
    city: str | None,
    consent: bool | None = True,
    status: RunStatus = RunStatus.COMPLETED,
    version: str = "v1",
    score: float = 50.0,
) -> int:
    """A user of ``city`` with one self-check in ``status`` (with a result if completed)."""
    with session_scope(engine, write=True) as session:
        repo.touch_user(session, user_id=user_id, chat_id=user_id, language="en")
        repo.update_user(session, user_id=user_id, city=city, consent_share_results=consent)
        run = repo.create_run(
            session, user_id=user_id, city=city, scope="quick", model_version=version
        )
        repo.update_run(session, run=run, status=status)
        if status is RunStatus.COMPLETED:
            areas = [{"id": "education", "score": score}]
            repo.save_result(session, run_id=run.id or 0, overall=score, lens=None, areas=areas)
        return run.id or 0


def _shared(engine: Engine, version: str | None = "v1") -> list[tuple[str | None, int | None]]:
    with session_scope(engine) as session:
        return [(r.city, r.id) for r, _ in repo.shared_results(session, model_version=version)]


def test_only_completed_checks_of_consenting_officers_with_a_city(engine: Engine) -> None:
    kept = _checked(engine, 1, city="Oslo")
    _checked(engine, 2, city="Lyon", consent=None)  # never asked
    _checked(engine, 3, city="Bergen", consent=False)  # refused
    _checked(engine, 4, city=None)  # no member city
    _checked(engine, 5, city="Turku", status=RunStatus.ABANDONED)
    old = _checked(engine, 6, city="Porto", version="v0")
    assert _shared(engine) == [("Oslo", kept)]
    assert sorted(_shared(engine, None)) == sorted([("Oslo", kept), ("Porto", old)])


def test_latest_first_and_withdrawn_consent_or_forget_takes_a_city_out(engine: Engine) -> None:
    first = _checked(engine, 1, city="Oslo")
    second = _checked(engine, 2, city="Lyon")
    third = _checked(engine, 3, city="Porto")
    assert [run_id for _, run_id in _shared(engine)] == [third, second, first]
    with session_scope(engine, write=True) as session:
        repo.update_user(session, user_id=2, consent_share_results=False)
    assert _shared(engine) == [("Porto", third), ("Oslo", first)]
    with session_scope(engine, write=True) as session:
        repo.forget_user(session, user_id=3)
    assert _shared(engine) == [("Oslo", first)]
    with session_scope(engine, write=True) as session:
        repo.update_user(session, user_id=2, consent_share_results=True)  # given again
    assert _shared(engine) == [("Lyon", second), ("Oslo", first)]
