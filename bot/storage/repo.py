"""Every read and write of the database, as small keyword-only functions over a session.

No other module builds queries. Writes that several replicas may race on are written so the
database settles the race: answers are upserts on UNIQUE(run, indicator), a run changes only
if its version is still the one the caller read (else `Conflict`), a redelivered event id is
refused by its primary key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.storage.models import (
    OPEN_STATUSES,
    Answer,
    AnswerKind,
    Feedback,
    OfficialAreaScore,
    ProcessedEvent,
    Question,
    Result,
    RunStatus,
    SelfcheckRun,
    User,
    utcnow,
)


class Conflict(Exception):
    """Someone else changed the row first (another replica, a double tap): re-read and decide."""


def _insert(session: Session, table: type) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


# --- users -----------------------------------------------------------------------------------


def get_user(session: Session, *, user_id: int) -> User | None:
    """The user with this transport id, if they ever wrote."""
    return session.get(User, user_id)


def touch_user(
    session: Session,
    *,
    user_id: int,
    chat_id: int,
    language: str,
    display_name: str = "",
    username: str | None = None,
) -> User:
    """Create the user on first contact, else refresh how to reach them; returns the row.

    The language is only set on creation: afterwards it is the user's choice (/language).
    """
    now = utcnow()
    stmt = _insert(session, User).values(
        id=user_id,
        chat_id=chat_id,
        language=language,
        display_name=display_name[:200],
        username=username,
        state="idle",
        state_data={},
        created_at=now,
        seen_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "chat_id": chat_id,
            "display_name": display_name[:200],
            "username": username,
            "seen_at": now,
        },
    )
    session.execute(stmt)
    user = session.get(User, user_id, populate_existing=True)
    assert user is not None
    return user


def update_user(session: Session, *, user_id: int, **fields: Any) -> None:
    """Set some of a user's columns (language, city, country, state, state_data, consents)."""
    allowed = {
        "language",
        "city",
        "country",
        "state",
        "state_data",
        "consent_mentor",
        "consent_share_results",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not user settings: {sorted(unknown)}")
    session.execute(update(User).where(col(User.id) == user_id).values(**fields))


# --- processed events ------------------------------------------------------------------------


def event_processed(session: Session, *, event_id: str) -> bool:
    """Whether this transport event was already applied."""
    return session.get(ProcessedEvent, event_id) is not None


def claim_event(session: Session, *, event_id: str) -> bool:
    """Record the event in the current transaction; False if it was already recorded.

    Done in the same transaction as the event's effect, so the effect and the record commit or
    vanish together: a crash in between makes the redelivery apply it, never skip it.
    """
    stmt = (
        _insert(session, ProcessedEvent)
        .values(event_id=event_id, processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProcessedEvent.event_id)  # type: ignore[arg-type]
    )
    return session.execute(stmt).first() is not None


def forget_events_before(session: Session, *, before: datetime) -> int:
    """Drop old event ids (transports redeliver within minutes, not months)."""
    stmt = delete(ProcessedEvent).where(col(ProcessedEvent.processed_at) < before)
    return session.execute(stmt).rowcount


# --- self-check runs -------------------------------------------------------------------------


def get_run(session: Session, *, run_id: int, lock: bool = False) -> SelfcheckRun | None:
    """One run, fresh from the database (never a stale identity-map copy).

    ``lock=True`` holds the row until the transaction ends (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite's write transactions are serialised already), so concurrent presses on
    one run queue up instead of failing late on a constraint.
    """
    return session.get(SelfcheckRun, run_id, populate_existing=True, with_for_update=lock)


def open_run(session: Session, *, user_id: int) -> SelfcheckRun | None:
    """The user's active or paused run, if any (there is at most one)."""
    stmt = select(SelfcheckRun).where(
        col(SelfcheckRun.user_id) == user_id, col(SelfcheckRun.status).in_(OPEN_STATUSES)
    )
    return session.exec(stmt.execution_options(populate_existing=True)).first()


def create_run(
    session: Session, *, user_id: int, city: str | None, scope: str, model_version: str
) -> SelfcheckRun:
    """Start a run; `Conflict` if the user already has an open one (the partial unique index)."""
    now = utcnow()
    run = SelfcheckRun(
        user_id=user_id,
        city=city,
        scope=scope,
        model_version=model_version,
        status=RunStatus.ACTIVE,
        started_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError as exc:
        raise Conflict("the user already has an open self-check") from exc
    return run


def update_run(
    session: Session,
    *,
    run: SelfcheckRun,
    position: int | None = None,
    status: RunStatus | None = None,
) -> None:
    """Move a run on, if nobody moved it since ``run`` was read; else raise `Conflict`.

    On success ``run`` reflects the new row (its version bumped).
    """
    values: dict[str, Any] = {"version": run.version + 1, "updated_at": utcnow()}
    if position is not None:
        values["position"] = position
    if status is not None:
        values["status"] = status
        if status in (RunStatus.COMPLETED, RunStatus.ABANDONED):
            values["finished_at"] = values["updated_at"]
    stmt = (
        update(SelfcheckRun)
        .where(col(SelfcheckRun.id) == run.id, col(SelfcheckRun.version) == run.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if session.execute(stmt).rowcount != 1:
        raise Conflict(f"self-check {run.id} changed meanwhile")
    for key, value in values.items():
        setattr(run, key, value)


def save_answer(
    session: Session,
    *,
    run_id: int,
    indicator_id: str,
    kind: AnswerKind,
    options: Sequence[str] = (),
) -> None:
    """Store (or replace) the answer to one indicator of a run."""
    values = {
        "run_id": run_id,
        "indicator_id": indicator_id,
        "kind": kind.value,
        "options": list(options) if kind is AnswerKind.OPTION else [],
        "answered_at": utcnow(),
    }
    stmt = _insert(session, Answer).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["run_id", "indicator_id"],
        set_={k: values[k] for k in ("kind", "options", "answered_at")},
    )
    session.execute(stmt)


def answers_for(session: Session, *, run_id: int) -> dict[str, Answer]:
    """The run's answers by indicator id."""
    rows = session.exec(select(Answer).where(col(Answer.run_id) == run_id)).all()
    return {row.indicator_id: row for row in rows}


def save_result(
    session: Session,
    *,
    run_id: int,
    overall: float | None,
    lens: float | None,
    areas: list[dict[str, Any]],
) -> Result:
    """Keep the scored result of a completed run."""
    result = Result(run_id=run_id, overall=overall, lens=lens, areas=areas)
    session.add(result)
    session.flush()
    return result


def result_for(session: Session, *, run_id: int) -> Result | None:
    """The stored result of a run, if it was completed."""
    return session.exec(select(Result).where(col(Result.run_id) == run_id)).first()


def previous_result(
    session: Session, *, user_id: int, before_run_id: int, scope: str | None = None
) -> tuple[SelfcheckRun, Result] | None:
    """The user's latest completed run other than this one (of ``scope`` if given), with its
    result (for "+12 in Education since March")."""
    stmt = (
        select(SelfcheckRun, Result)
        .join(Result, col(Result.run_id) == col(SelfcheckRun.id))
        .where(
            col(SelfcheckRun.user_id) == user_id,
            col(SelfcheckRun.id) != before_run_id,
            col(SelfcheckRun.status) == RunStatus.COMPLETED,
        )
        .order_by(col(SelfcheckRun.finished_at).desc(), col(SelfcheckRun.id).desc())
        .limit(1)
    )
    if scope is not None:
        stmt = stmt.where(col(SelfcheckRun.scope) == scope)
    row = session.exec(stmt).first()
    return (row[0], row[1]) if row else None


# --- questions and feedback ------------------------------------------------------------------


def add_question(
    session: Session,
    *,
    user_id: int | None,
    text: str,
    language: str,
    answered: bool,
    top_source: str | None,
    sources: list[dict[str, Any]],
) -> Question:
    """Log a question with what it was answered from."""
    question = Question(
        user_id=user_id,
        text=text,
        language=language[:8],
        answered=answered,
        top_source=top_source[:300] if top_source else None,
        sources=sources,
    )
    session.add(question)
    session.flush()
    return question


def get_question(session: Session, *, question_id: int) -> Question | None:
    """One logged question."""
    return session.get(Question, question_id)


def count_questions_since(session: Session, *, user_id: int, since: datetime) -> int:
    """How many questions the user asked since ``since`` (the rate limit, shared by replicas)."""
    stmt = select(func.count()).where(
        col(Question.user_id) == user_id, col(Question.created_at) >= since
    )
    return int(session.exec(stmt).one())


def last_question(session: Session, *, user_id: int, since: datetime) -> Question | None:
    """The user's latest question after ``since`` (context for a follow-up)."""
    stmt = (
        select(Question)
        .where(col(Question.user_id) == user_id, col(Question.created_at) >= since)
        .order_by(col(Question.created_at).desc(), col(Question.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def save_feedback(
    session: Session, *, question_id: int, user_id: int, helpful: bool, reason: str | None = None
) -> None:
    """Record (or change) the user's verdict on an answer."""
    values = {
        "question_id": question_id,
        "user_id": user_id,
        "helpful": helpful,
        "reason": reason,
        "created_at": utcnow(),
    }
    stmt = _insert(session, Feedback).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["question_id"],
        set_={k: values[k] for k in ("helpful", "reason", "created_at")},
    )
    session.execute(stmt)


def feedback_for(session: Session, *, question_id: int) -> Feedback | None:
    """The verdict on one answer, if any."""
    stmt = select(Feedback).where(col(Feedback.question_id) == question_id)
    return session.exec(stmt.execution_options(populate_existing=True)).first()


# --- official per-area scores ----------------------------------------------------------------


def save_official_scores(session: Session, *, rows: Iterable[Any]) -> int:
    """Upsert imported scores (scoring.cities.OfficialAreaScore rows) by (city, year, area).

    Returns the number of rows written.
    """
    count = 0
    now = utcnow()
    for row in rows:
        values = {
            "city": row.city,
            "country": row.country,
            "year": row.year,
            "area_id": row.area,
            "score": float(row.score),
            "network_average": row.network_average,
            "source_url": row.source_url,
            "imported_at": now,
        }
        stmt = _insert(session, OfficialAreaScore).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["city", "year", "area_id"],
            set_={k: values[k] for k in ("country", "score", "network_average", "source_url")}
            | {"imported_at": now},
        )
        session.execute(stmt)
        count += 1
    return count


def official_scores(session: Session) -> list[OfficialAreaScore]:
    """Every imported per-area score, by city, year and area."""
    stmt = select(OfficialAreaScore).order_by(
        col(OfficialAreaScore.city), col(OfficialAreaScore.year), col(OfficialAreaScore.area_id)
    )
    return list(session.exec(stmt).all())
