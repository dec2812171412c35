"""Personal data: what a user can see of themselves (/mydata), erasure and the retention purge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from bot.storage.models import (
    Feedback,
    Question,
    SelfcheckRun,
    StoredResult,
    User,
    VisitRequest,
    utcnow,
)
from bot.storage.repo.common import changed_rows


def runs_of(session: Session, *, user_id: int) -> list[tuple[SelfcheckRun, StoredResult | None]]:
    """Every self-check of a user with its result, oldest first (for /mydata)."""
    stmt = (
        select(SelfcheckRun, StoredResult)
        .join(StoredResult, col(StoredResult.run_id) == col(SelfcheckRun.id), isouter=True)
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


#: A request whose officer is forgotten keeps what the secretariat needs to honour an accepted
#: visit (reference, area, mentor city, format, group size, status, dates). The city goes too:
#: with one officer per member city it would name the person; and so does the free text they
#: typed (period, note), which may name them.
_ANONYMOUS_REQUEST: dict[str, Any] = {
    "user_id": None,
    "city": None,
    "country": None,
    "period": "",
    "note": "",
    "run_id": None,
}

#: A question whose asker is forgotten: it still counts (day, answered) but its words, which may
#: name the person, go with them.
_ANONYMOUS_QUESTION: dict[str, Any] = {"user_id": None, "text": "", "sources": []}


def forget_user(session: Session, *, user_id: int) -> None:
    """Erase a user: their requests are kept for the network's records but made anonymous
    (`_ANONYMOUS_REQUEST`), their questions only as counts; then the user row goes and the
    foreign keys delete their self-checks, answers and results."""
    session.execute(
        update(VisitRequest)
        .where(col(VisitRequest.user_id) == user_id)
        .values(**_ANONYMOUS_REQUEST, updated_at=utcnow())
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
    return changed_rows(session, stmt)


def anonymise_requests_before(session: Session, *, before: datetime) -> int:
    """Anonymise requests last changed before ``before`` (closed long ago or abandoned), as
    `forget_user` does."""
    stmt = (
        update(VisitRequest)
        .where(col(VisitRequest.updated_at) < before, col(VisitRequest.user_id).is_not(None))
        .values(**_ANONYMOUS_REQUEST)
        .execution_options(synchronize_session=False)
    )
    return changed_rows(session, stmt)
