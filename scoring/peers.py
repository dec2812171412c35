"""Peer averages: what member cities using the assistant estimate for themselves, per area.

Pure functions over plain `Contribution` records (the core reads them from the database). The
disclosure rules live here, in one place, so every screen that shows a peer average (the
officer's results and chart, the secretariat's /stats) applies the same ones:

- **One city, one contribution**: the latest completed self-check of the city among those whose
  author agreed to share results, per model version and scope; self-checks of different
  versions or scopes estimate different things and are never mixed.
- **A threshold that the viewer's own city does not help reach**: an area's average is shown
  only when at least `MIN_CITIES` cities *other than the viewer's* have a score in it. Counting
  the viewer's city would let an officer in a pool of five learn the average of four others.
- **The same figure for every viewer**: the average is over every contributing city, the
  viewer's included. Leaving the viewer's city out would make the figure depend on who looks;
  since an officer chooses their own city, they could then look once as city X and once as
  another city and take the difference, which gives X's own score. An average that does not
  depend on the viewer gives nothing away by switching cities.
- **Whole points only**: the mean is rounded here, and the unrounded value never leaves this
  module. Two figures taken before and after one city joins or leaves still narrow that city's
  score down only to a band of about ±N points (N cities), not to its value.

What remains, documented rather than hidden: the city is what the officer declares, so a
consenting officer who claims another city replaces that city's contribution.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

#: Cities other than the viewer's that must have a score in an area before its average shows.
MIN_CITIES = 5


@dataclass(frozen=True)
class Contribution:
    """One completed, shared self-check: whose city, when, which model and scope, the scores.

    ``city`` is a key the caller has already normalised (two spellings of one city must give
    the same key, or the city would count twice).
    """

    city: str
    run_id: int
    finished_at: datetime
    model_version: str
    scope: str
    scores: Mapping[str, float | None]


@dataclass(frozen=True)
class PeerAverage:
    """One area's peer average: how many cities have a score in it, and the rounded mean.

    ``value`` is None when too few cities (other than the viewer's) contribute: then only the
    count may be shown, never a figure.
    """

    area: str
    cities: int
    value: int | None

    @property
    def shown(self) -> bool:
        """Whether the average may be shown."""
        return self.value is not None


def shown(peers: Mapping[str, PeerAverage]) -> dict[str, PeerAverage]:
    """Only the areas whose average may be shown."""
    return {area: peer for area, peer in peers.items() if peer.shown}


def count_label(peers: Mapping[str, PeerAverage]) -> str:
    """How many cities the shown averages rest on: "6", or "5–8" when areas differ."""
    counts = sorted({peer.cities for peer in peers.values() if peer.shown})
    if not counts:
        return "0"
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"


def whole_points(value: float) -> int:
    """Round half up to a whole point (Python's round() would send 57.5 and 58.5 both to 58)."""
    return math.floor(value + 0.5)


def latest_per_city(contributions: Iterable[Contribution]) -> list[Contribution]:
    """Each city's latest contribution per (model version, scope); later finish wins, then the
    higher run id (two runs finished in the same instant)."""
    latest: dict[tuple[str, str, str], Contribution] = {}
    for item in contributions:
        key = (item.model_version, item.scope, item.city)
        kept = latest.get(key)
        if kept is None or (item.finished_at, item.run_id) > (kept.finished_at, kept.run_id):
            latest[key] = item
    return list(latest.values())


def peer_averages(
    contributions: Iterable[Contribution],
    *,
    model_version: str,
    scope: str,
    areas: Iterable[str],
    viewer_city: str | None = None,
    min_cities: int = MIN_CITIES,
) -> dict[str, PeerAverage]:
    """Area id -> peer average for self-checks of this model version and scope.

    Every area asked for gets an entry (count 0 when nobody scored it). ``viewer_city`` (a
    normalised key, or None for the secretariat) does not count toward ``min_cities``.
    """
    pool = [
        item
        for item in latest_per_city(contributions)
        if item.model_version == model_version and item.scope == scope
    ]
    averages: dict[str, PeerAverage] = {}
    for area in areas:
        scored = {
            item.city: float(value) for item in pool if (value := item.scores.get(area)) is not None
        }
        others = sum(1 for city in scored if city != viewer_city)
        value = whole_points(sum(scored.values()) / len(scored)) if others >= min_cities else None
        averages[area] = PeerAverage(area=area, cities=len(scored), value=value)
    return averages


def scopes_of(contributions: Iterable[Contribution], *, model_version: str) -> list[str]:
    """The scopes that have at least one contribution with this model version, sorted."""
    return sorted({item.scope for item in contributions if item.model_version == model_version})
