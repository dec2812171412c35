"""Questions and feedback: the question log (also the shared rate limit) and verdicts on answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.storage.models import Feedback, Question, utcnow
from bot.storage.repo.common import _insert


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
    """The user's latest question after ``since``."""
    found = recent_questions(session, user_id=user_id, since=since, limit=1)
    return found[0] if found else None


def recent_questions(
    session: Session, *, user_id: int, since: datetime, limit: int, before: datetime | None = None
) -> list[Question]:
    """The user's latest ``limit`` questions after ``since`` (and before ``before``), newest
    first (a follow-up's context: "any city examples?" after "and for the police?" after the
    question they follow)."""
    stmt = select(Question).where(
        col(Question.user_id) == user_id, col(Question.created_at) >= since
    )
    if before is not None:
        stmt = stmt.where(col(Question.created_at) < before)
    stmt = stmt.order_by(col(Question.created_at).desc(), col(Question.id).desc()).limit(limit)
    return list(session.exec(stmt).all())


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
