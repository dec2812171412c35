"""Self-check runs: starting and moving a run on, its answers and its scored result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.storage.models import (
    OPEN_STATUSES,
    AnswerKind,
    IndicatorAnswer,
    RunStatus,
    SelfcheckRun,
    StoredResult,
    utcnow,
)
from bot.storage.repo.common import Conflict, _insert, changed_rows


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
    if changed_rows(session, stmt) != 1:
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
    stmt = _insert(session, IndicatorAnswer).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["run_id", "indicator_id"],
        set_={k: values[k] for k in ("kind", "options", "answered_at")},
    )
    session.execute(stmt)


def answers_for(session: Session, *, run_id: int) -> dict[str, IndicatorAnswer]:
    """The run's answers by indicator id."""
    rows = session.exec(select(IndicatorAnswer).where(col(IndicatorAnswer.run_id) == run_id)).all()
    return {row.indicator_id: row for row in rows}


def save_result(
    session: Session,
    *,
    run_id: int,
    overall: float | None,
    lens: float | None,
    areas: list[dict[str, Any]],
) -> StoredResult:
    """Keep the scored result of a completed run."""
    result = StoredResult(run_id=run_id, overall=overall, lens=lens, areas=areas)
    session.add(result)
    session.flush()
    return result


def result_for(session: Session, *, run_id: int) -> StoredResult | None:
    """The stored result of a run, if it was completed."""
    return session.exec(select(StoredResult).where(col(StoredResult.run_id) == run_id)).first()


def previous_result(
    session: Session, *, user_id: int, before_run_id: int, scope: str | None = None
) -> tuple[SelfcheckRun, StoredResult] | None:
    """The user's latest completed run other than this one (of ``scope`` if given), with its
    result (for "+12 in Education since March")."""
    stmt = (
        select(SelfcheckRun, StoredResult)
        .join(StoredResult, col(StoredResult.run_id) == col(SelfcheckRun.id))
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
