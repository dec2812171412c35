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
    VisitRequest,
    VisitStatus,
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


# --- study-visit requests --------------------------------------------------------------------


def add_visit_request(
    session: Session,
    *,
    user_id: int,
    city: str | None,
    country: str | None,
    area_id: str,
    mentor_city: str | None,
    format: str,
    period: str,
    group_size: int,
    note: str,
    run_id: int | None = None,
) -> VisitRequest:
    """Store a new request and give it its reference ("SV-2026-0007": year and row id)."""
    now = utcnow()
    request = VisitRequest(
        user_id=user_id,
        city=city,
        country=country,
        area_id=area_id,
        mentor_city=mentor_city,
        format=format,
        period=period[:120],
        group_size=group_size,
        note=note[:600],
        status=VisitStatus.NEW,
        run_id=run_id,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    request.reference = f"SV-{now.year}-{request.id:04d}"
    session.flush()
    return request


def get_visit_request(session: Session, *, request_id: int) -> VisitRequest | None:
    """One request, fresh from the database."""
    return session.get(VisitRequest, request_id, populate_existing=True)


def visit_requests(
    session: Session,
    *,
    user_id: int | None = None,
    statuses: Sequence[str] = (),
    area_id: str | None = None,
    limit: int | None = None,
) -> list[VisitRequest]:
    """Requests, newest first, optionally of one officer, some statuses or one area."""
    stmt = select(VisitRequest).order_by(
        col(VisitRequest.created_at).desc(), col(VisitRequest.id).desc()
    )
    if user_id is not None:
        stmt = stmt.where(col(VisitRequest.user_id) == user_id)
    if statuses:
        stmt = stmt.where(col(VisitRequest.status).in_(list(statuses)))
    if area_id is not None:
        stmt = stmt.where(col(VisitRequest.area_id) == area_id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.exec(stmt.execution_options(populate_existing=True)).all())


def set_visit_status(
    session: Session, *, request_id: int, status: VisitStatus, allowed_from: Sequence[str]
) -> None:
    """Move a request to ``status`` if it is still in one of ``allowed_from``; else `Conflict`
    (two admins pressing at once: the second sees what the first did)."""
    stmt = (
        update(VisitRequest)
        .where(
            col(VisitRequest.id) == request_id,
            col(VisitRequest.status).in_(list(allowed_from)),
        )
        .values(status=status, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if session.execute(stmt).rowcount != 1:
        raise Conflict(f"visit request {request_id} changed meanwhile")


# --- matchmaking and statistics --------------------------------------------------------------


def latest_results(session: Session) -> list[tuple[User, SelfcheckRun, Result]]:
    """Each user's latest completed self-check with its result (the matchmaking's input)."""
    stmt = (
        select(User, SelfcheckRun, Result)
        .join(SelfcheckRun, col(SelfcheckRun.user_id) == col(User.id))
        .join(Result, col(Result.run_id) == col(SelfcheckRun.id))
        .where(col(SelfcheckRun.status) == RunStatus.COMPLETED)
        .order_by(col(SelfcheckRun.finished_at).desc(), col(SelfcheckRun.id).desc())
    )
    latest: dict[int, tuple[User, SelfcheckRun, Result]] = {}
    for user, run, result in session.exec(stmt).all():
        latest.setdefault(user.id, (user, run, result))
    return list(latest.values())


def question_log(session: Session, *, since: datetime) -> list[tuple[datetime, bool]]:
    """(asked at, answered) of every question since ``since``, for the per-day statistics."""
    stmt = select(Question.created_at, Question.answered).where(col(Question.created_at) >= since)
    return [(row[0], bool(row[1])) for row in session.exec(stmt).all()]


def feedback_counts(session: Session, *, since: datetime) -> tuple[int, int]:
    """(helpful, not helpful) verdicts given since ``since``."""
    stmt = (
        select(Feedback.helpful, func.count())
        .where(col(Feedback.created_at) >= since)
        .group_by(col(Feedback.helpful))
    )
    counts = {bool(helpful): int(n) for helpful, n in session.exec(stmt).all()}
    return counts.get(True, 0), counts.get(False, 0)


def top_unanswered(session: Session, *, since: datetime, limit: int) -> list[tuple[str, int]]:
    """The most frequent unanswered questions (case-insensitive), the curation queue."""
    text_key = func.lower(col(Question.text))
    stmt = (
        select(text_key, func.count())
        .where(
            col(Question.answered).is_(False),
            col(Question.created_at) >= since,
            col(Question.text) != "",
        )
        .group_by(text_key)
        .order_by(func.count().desc(), text_key)
        .limit(limit)
    )
    return [(str(text), int(n)) for text, n in session.exec(stmt).all()]


def completed_runs_count(session: Session, *, since: datetime) -> int:
    """Self-checks completed since ``since``."""
    stmt = select(func.count()).where(
        col(SelfcheckRun.status) == RunStatus.COMPLETED, col(SelfcheckRun.finished_at) >= since
    )
    return int(session.exec(stmt).one())


def requests_by_area(session: Session) -> list[tuple[str, int]]:
    """How many study-visit requests each area has, most first."""
    stmt = (
        select(VisitRequest.area_id, func.count())
        .group_by(col(VisitRequest.area_id))
        .order_by(func.count().desc(), col(VisitRequest.area_id))
    )
    return [(str(area), int(n)) for area, n in session.exec(stmt).all()]


# --- personal data ---------------------------------------------------------------------------


def runs_of(session: Session, *, user_id: int) -> list[tuple[SelfcheckRun, Result | None]]:
    """Every self-check of a user with its result, oldest first (for /mydata)."""
    stmt = (
        select(SelfcheckRun, Result)
        .join(Result, col(Result.run_id) == col(SelfcheckRun.id), isouter=True)
        .where(col(SelfcheckRun.user_id) == user_id)
        .order_by(col(SelfcheckRun.id))
    )
    return [(run, result) for run, result in session.exec(stmt).all()]


def questions_of(session: Session, *, user_id: int) -> list[tuple[Question, Feedback | None]]:
    """Every question a user asked, with their verdict on the answer (for /mydata)."""
    stmt = (
        select(Question, Feedback)
        .join(Feedback, col(Feedback.question_id) == col(Question.id), isouter=True)
        .where(col(Question.user_id) == user_id)
        .order_by(col(Question.id))
    )
    return [(question, feedback) for question, feedback in session.exec(stmt).all()]


#: A question whose asker is forgotten: it still counts (day, answered) but its words, which may
#: name the person, go with them.
_ANONYMOUS_QUESTION: dict[str, Any] = {"user_id": None, "text": "", "sources": []}


def forget_user(session: Session, *, user_id: int) -> None:
    """Erase a user: their requests are kept for the network's records but made anonymous
    (note cleared, link cut), their questions only as counts; then the user row goes and the
    foreign keys delete their self-checks, answers and results."""
    session.execute(
        update(VisitRequest)
        .where(col(VisitRequest.user_id) == user_id)
        .values(user_id=None, note="", period="", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Question)
        .where(col(Question.user_id) == user_id)
        .values(**_ANONYMOUS_QUESTION)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Feedback)
        .where(col(Feedback.user_id) == user_id)
        .values(user_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(User).where(col(User.id) == user_id))
    session.expunge_all()


def users_not_seen_since(session: Session, *, before: datetime) -> list[int]:
    """Ids of the users who have not written since ``before`` (the retention purge)."""
    stmt = select(User.id).where(col(User.seen_at) < before)
    return [int(user_id) for user_id in session.exec(stmt).all()]


def detach_questions_before(session: Session, *, before: datetime) -> int:
    """Make old questions anonymous (link and words gone); they still count in the statistics."""
    old = select(Question.id).where(col(Question.created_at) < before)
    session.execute(
        update(Feedback)
        .where(col(Feedback.question_id).in_(old), col(Feedback.user_id).is_not(None))
        .values(user_id=None)
        .execution_options(synchronize_session=False)
    )
    stmt = (
        update(Question)
        .where(col(Question.created_at) < before, col(Question.user_id).is_not(None))
        .values(**_ANONYMOUS_QUESTION)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount


def anonymise_requests_before(session: Session, *, before: datetime) -> int:
    """Anonymise requests last changed before ``before`` (closed long ago or abandoned)."""
    stmt = (
        update(VisitRequest)
        .where(col(VisitRequest.updated_at) < before, col(VisitRequest.user_id).is_not(None))
        .values(user_id=None, note="", period="")
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount
