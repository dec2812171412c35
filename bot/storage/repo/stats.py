"""Matchmaking and statistics: read-only queries across users, runs, questions and requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.storage.models import (
    Feedback,
    Question,
    RunStatus,
    SelfcheckRun,
    StoredResult,
    User,
    VisitRequest,
)


def latest_results(session: Session) -> list[tuple[User, SelfcheckRun, StoredResult]]:
    """Each user's latest completed self-check with its result (the matchmaking's input)."""
    stmt = (
        select(User, SelfcheckRun, StoredResult)
        .join(SelfcheckRun, col(SelfcheckRun.user_id) == col(User.id))
        .join(StoredResult, col(StoredResult.run_id) == col(SelfcheckRun.id))
        .where(col(SelfcheckRun.status) == RunStatus.COMPLETED)
        .order_by(col(SelfcheckRun.finished_at).desc(), col(SelfcheckRun.id).desc())
    )
    latest: dict[int, tuple[User, SelfcheckRun, StoredResult]] = {}
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
