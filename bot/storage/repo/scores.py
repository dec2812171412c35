"""Official per-area scores: the network's published city scores, imported for comparison."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from bot.storage.models import OfficialScoreRow, utcnow
from bot.storage.repo.common import _insert


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
        stmt = _insert(session, OfficialScoreRow).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["city", "year", "area_id"],
            set_={k: values[k] for k in ("country", "score", "network_average", "source_url")}
            | {"imported_at": now},
        )
        session.execute(stmt)
        count += 1
    return count


def official_scores(session: Session) -> list[OfficialScoreRow]:
    """Every imported per-area score, by city, year and area."""
    stmt = select(OfficialScoreRow).order_by(
        col(OfficialScoreRow.city), col(OfficialScoreRow.year), col(OfficialScoreRow.area_id)
    )
    return list(session.exec(stmt).all())
