"""Mentor cities for a weak area: real member cities the data shows doing well there.

Only the city data is used, never a model's guess: each mentor carries the fact that made it a
mentor and that fact's source URL. An officer needs something to learn from, so cities with a
documented practice in the area come first; a city known only by a score or a report's remark
comes after them, shown as such. Within each group stronger evidence ranks first (official
imported scores, then published area scores, then a report's qualitative "above average", then
the practice alone); then cities of the same country and of a similar size, because their
policies transfer more easily; then a practice whose source is its own page before one that is
only listed or told on another city's page. The user's own city is never proposed.

Scoring speaks no language: a mentor carries its evidence as data (`Evidence`), and whoever
shows it puts it into words (the bot's text catalogs, bot.core.mentor_words).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from enum import StrEnum

from scoring.cities import City, CityData, Practice, normalise_name

log = logging.getLogger(__name__)

#: Populations within this factor of each other count as "a similar size".
SIMILAR_SIZE_FACTOR = 2.5

#: Evidence tiers, strongest first.
OFFICIAL, AREA_SCORE, RELATIVE, PRACTICE = range(4)


class EvidenceKind(StrEnum):
    """What the data says about a city in an area; the relative kinds are a report's own words
    (`scoring.cities.FAVOURABLE_RELATIONS`)."""

    #: A score the secretariat imported (`OfficialAreaScore`).
    OFFICIAL = "official"
    #: An area score published in the city's Index report.
    AREA_SCORE = "area_score"
    ABOVE_AVERAGE = "above_average"
    STAND_OUT_VS_95_CITIES = "stand_out_vs_95_cities"
    MAXIMUM_SCORE = "maximum_score"
    HIGHLIGHTED_STRENGTH = "highlighted_strength"
    #: A documented good practice of the city in the area.
    PRACTICE = "practice"


@dataclass(frozen=True)
class Evidence:
    """Why a city ranks as a mentor: the kind of fact, its numbers and its source."""

    kind: EvidenceKind
    source_url: str
    #: The area score (0-100) for the score kinds, else None.
    score: float | None = None
    #: The year of the report or import (None for a practice, or when the source gave none).
    year: int | None = None


@dataclass(frozen=True)
class Mentor:
    """A city to learn from: its documented practice when there is one, and the source of it.

    `evidence` says what ranked the city (a score or position with its own source, or a
    practice); it is also the reason to show when the city has no documented practice.
    """

    city: str
    country: str
    #: The text of the city's documented practice in the area (quoted from the source), if any.
    practice: str | None
    #: The source of the practice, or of the evidence when there is no practice.
    source_url: str
    evidence: Evidence
    #: The practice's row, for what its source is (a listing, another city's page); None when
    #: the city is known only by its evidence.
    documented: Practice | None = None


@dataclass(frozen=True)
class _Candidate:
    city: City
    tier: int
    strength: float
    evidence: Evidence


def find_mentors(
    cities: CityData,
    area_id: str,
    *,
    own_city: str | None = None,
    own_country: str | None = None,
    own_population: int | None = None,
    limit: int = 3,
    strong_at_least: float = 80.0,
) -> list[Mentor]:
    """Up to `limit` real cities strong or active in `area_id`, never the user's own city.

    `strong_at_least` is the score from which a published area score marks a strength (pass the
    model's `flagging.strong.at_least_score`).
    """
    own = cities.match_city(own_city) if own_city else None
    excluded = {normalise_name(own_city)} if own_city else set()
    if own is not None:
        excluded.update(normalise_name(name) for name in own.names)
        own_country = own_country or own.country
        own_population = own_population or own.population

    best: dict[str, _Candidate] = {}
    for candidate in _candidates(cities, area_id, strong_at_least):
        if not candidate.city.is_city or normalise_name(candidate.city.name) in excluded:
            continue
        current = best.get(candidate.city.name)
        if current is None or (candidate.tier, -candidate.strength) < (
            current.tier,
            -current.strength,
        ):
            best[candidate.city.name] = candidate

    # Each city's practice to show: the one whose source leads to it best (stable sort).
    practices: dict[str, Practice] = {}
    counts: dict[str, int] = {}
    for practice in sorted(cities.practices_in(area_id), key=link_rank):
        practices.setdefault(practice.city, practice)
        counts[practice.city] = counts.get(practice.city, 0) + 1

    def rank(candidate: _Candidate) -> tuple[bool, int, bool, int, float, int, int, str]:
        city = candidate.city
        other_country = own_country is not None and city.country != own_country
        shown = practices.get(city.name)
        return (
            shown is None,
            candidate.tier,
            other_country,
            _size_rank(city.population, own_population),
            -candidate.strength,
            link_rank(shown) if shown else 0,
            -counts.get(city.name, 0),
            city.name.casefold(),
        )

    mentors = []
    for candidate in sorted(best.values(), key=rank)[:limit]:
        city = candidate.city
        shown = practices.get(city.name)
        if shown is None:
            mentor = Mentor(
                city.name, city.country, None, candidate.evidence.source_url, candidate.evidence
            )
        else:
            mentor = Mentor(
                city.name, city.country, shown.text, shown.source_url, candidate.evidence, shown
            )
        mentors.append(mentor)
    log.debug("mentors for %s: %s", area_id, [m.city for m in mentors])
    return mentors


def _candidates(cities: CityData, area_id: str, strong_at_least: float) -> list[_Candidate]:
    """Every piece of evidence that a city does well in the area, tagged with its tier."""
    found: list[_Candidate] = []
    for row in cities.official:
        above_network = row.network_average is not None and row.score > row.network_average
        if row.area == area_id and (row.score >= strong_at_least or above_network):
            city = cities.city(row.city)
            if city is not None:
                evidence = Evidence(EvidenceKind.OFFICIAL, row.source_url, row.score, row.year)
                found.append(_Candidate(city, OFFICIAL, row.score, evidence))
    for report in cities.scores:
        value = report.areas.get(area_id)
        city = cities.city(report.city)
        if value is not None and value >= strong_at_least and city is not None:
            evidence = Evidence(EvidenceKind.AREA_SCORE, report.source_url, value, report.year)
            found.append(_Candidate(city, AREA_SCORE, value, evidence))
    for remark in cities.relative:
        city = cities.city(remark.city)
        if remark.area == area_id and remark.favourable and city is not None:
            evidence = Evidence(EvidenceKind(remark.relation), remark.source_url, year=remark.year)
            found.append(_Candidate(city, RELATIVE, 0.0, evidence))
    for practice in cities.practices_in(area_id):
        city = cities.city(practice.city)
        if city is not None:
            evidence = Evidence(EvidenceKind.PRACTICE, practice.source_url)
            found.append(_Candidate(city, PRACTICE, 0.0, evidence))
    return found


def link_rank(practice: Practice) -> int:
    """0 = the source is a page of the city's own, 1 = another city's page, 2 = a listing,
    3 = an address that does not name a page."""
    if practice.is_unresolved:
        return 3
    if practice.is_listing:
        return 2
    return 1 if practice.source_about else 0


def _size_rank(population: int | None, own_population: int | None) -> int:
    """0 = similar size, 1 = unknown, 2 = clearly different size."""
    if not population or not own_population:
        return 1
    return 0 if abs(math.log(population / own_population)) <= math.log(SIMILAR_SIZE_FACTOR) else 2
