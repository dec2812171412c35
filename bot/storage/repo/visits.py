"""Study-visit requests: filing a request, listing requests, and moving one through its statuses."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.storage.models import VisitRequest, VisitStatus, utcnow
from bot.storage.repo.common import Conflict, changed_rows


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
    if changed_rows(session, stmt) != 1:
        raise Conflict(f"visit request {request_id} changed meanwhile")
