"""The city data the core shows: the bundled data with the secretariat's imports on top.

Official per-area scores imported into the database (`icc-assistant import-scores`, or later
from the chat) take precedence over the bundled figures for mentors and network averages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.storage import repo
from bot.storage.db import session_scope
from scoring.cities import OfficialAreaScore

if TYPE_CHECKING:
    from bot.services import Services
    from scoring.cities import CityData


def current_cities(services: Services) -> CityData:
    """`services.cities` with every imported official score applied."""

    with session_scope(services.engine) as session:
        rows = repo.official_scores(session)
    if not rows:
        return services.cities
    return services.cities.with_official_scores(
        OfficialAreaScore(
            city=row.city,
            country=row.country,
            year=row.year,
            area=row.area_id,
            score=row.score,
            network_average=row.network_average,
            source_url=row.source_url,
        )
        for row in rows
    )
