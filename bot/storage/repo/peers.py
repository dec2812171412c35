"""Shared self-checks: the rows the peer averages are computed from (scoring.peers).

Only completed self-checks of a member city (the run names one) whose author currently agrees
to share results count. Consent is read at query time, so withdrawing it takes the city's
figures out of the very next average, and /forget does the same by deleting the runs.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.storage.models import RunStatus, SelfcheckRun, StoredResult, User


def shared_results(
    session: Session, *, model_version: str | None = None
) -> list[tuple[SelfcheckRun, StoredResult]]:
    """Completed self-checks with a city and a result, of users who consent to share results
    (of one model version if given), latest first; choosing one per city is the caller's."""
    stmt = (
        select(SelfcheckRun, StoredResult)
        .join(StoredResult, col(StoredResult.run_id) == col(SelfcheckRun.id))
        .join(User, col(User.id) == col(SelfcheckRun.user_id))
        .where(
            col(SelfcheckRun.status) == RunStatus.COMPLETED,
            col(SelfcheckRun.city).is_not(None),
            col(SelfcheckRun.city) != "",
            col(User.consent_share_results).is_(True),
        )
        .order_by(col(SelfcheckRun.finished_at).desc(), col(SelfcheckRun.id).desc())
    )
    if model_version is not None:
        stmt = stmt.where(col(SelfcheckRun.model_version) == model_version)
    return [(run, result) for run, result in session.exec(stmt).all()]
