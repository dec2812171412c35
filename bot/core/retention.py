"""The retention purge: personal data older than ``settings.icc_retention_days`` goes.

Run by a scheduled job in the serving process and by `icc-assistant admin purge`. Users silent
for longer than the retention period are forgotten exactly as /forget does; older questions,
verdicts and requests lose their link to the person but still count in the statistics; event
ids (kept only to drop redelivered updates) go too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import utcnow

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

#: Transports redeliver within minutes; a day of event ids is plenty.
EVENT_IDS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class PurgeReport:
    """What one purge removed or anonymised."""

    cutoff: datetime
    users_forgotten: int
    questions_detached: int
    requests_anonymised: int
    events_dropped: int


def purge_stale_data(services: Services, *, now: datetime | None = None) -> PurgeReport:
    """Apply the retention period once, in one transaction; returns the counts."""
    now = now or utcnow()
    cutoff = now - timedelta(days=services.settings.icc_retention_days)
    with session_scope(services.engine, write=True) as session:
        stale = repo.users_not_seen_since(session, before=cutoff)
        for user_id in stale:
            repo.forget_user(session, user_id=user_id)
        report = PurgeReport(
            cutoff=cutoff,
            users_forgotten=len(stale),
            questions_detached=repo.detach_questions_before(session, before=cutoff),
            requests_anonymised=repo.anonymise_requests_before(session, before=cutoff),
            events_dropped=repo.forget_events_before(session, before=now - EVENT_IDS_KEPT),
        )
    log.info(
        "retention purge before %s: %d users forgotten, %d questions detached, "
        "%d requests anonymised, %d event ids dropped",
        cutoff.date(),
        report.users_forgotten,
        report.questions_detached,
        report.requests_anonymised,
        report.events_dropped,
    )
    return report
