"""Mentor cities for a weak area: real member cities the data shows doing well there.

Only the city data is used, never a model's guess: each mentor carries the fact that made it a
mentor and that fact's source URL. Stronger evidence ranks first (official imported scores, then
published area scores, then a report's qualitative "above average", then a documented practice);
within the same kind of evidence, cities of the same country and of a similar size come first,
because their policies transfer more easily. The user's own city is never proposed.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from scoring.cities import City, CityData, normalise_name

log = logging.getLogger(__name__)

#: Populations within this factor of each other count as "a similar size".
SIMILAR_SIZE_FACTOR = 2.5

#: Evidence tiers, strongest first.
OFFICIAL, AREA_SCORE, RELATIVE, PRACTICE = range(4)

_STATEMENTS = {
    "en": {
        "official": "Official ICC Index score {score:g}/100 in this area ({year})",
        "area_score": "Scored {score:g}/100 in this area in its {year} ICC Index report",
        "above_average": "Above the sample average in this area in its {year} ICC Index report",
        "stand_out_vs_95_cities": (
            "Stood out in this area among 95 cities in its {year} ICC Index report"
        ),
        "maximum_score": "Maximum score in this area in its {year} ICC Index report",
        "highlighted_strength": "Area highlighted as a strength of its {year} ICC Index report",
        "practice": "Documented good practice in this area",
    },
    "fr": {
        "official": "Score officiel de l'Index ICC : {score:g}/100 dans ce domaine ({year})",
        "area_score": "{score:g}/100 dans ce domaine dans son rapport de l'Index ICC de {year}",
        "above_average": (
            "Au-dessus de la moyenne dans ce domaine dans son rapport de l'Index ICC de {year}"
        ),
        "stand_out_vs_95_cities": (
            "Se distingue dans ce domaine parmi 95 villes (rapport de l'Index ICC de {year})"
        ),
        "maximum_score": "Score maximal dans ce domaine dans son rapport de l'Index ICC de {year}",
        "highlighted_strength": (
            "Domaine souligné comme un point fort (rapport de l'Index ICC de {year})"
        ),
        "practice": "Bonne pratique documentée dans ce domaine",
    },
}


@dataclass(frozen=True)
class Mentor:
    """A city to learn from: why (one line, the practice when there is one) and the source.

    `evidence` says what ranked the city (a score statement with its own source, or a practice).
    """

    city: str
    country: str
    reason: str
    source_url: str
    evidence: str


@dataclass(frozen=True)
class _Candidate:
    city: City
    tier: int
    strength: float
    statement: str
    statement_url: str


def find_mentors(
    cities: CityData,
    area_id: str,
    *,
    own_city: str | None = None,
    own_country: str | None = None,
    own_population: int | None = None,
    limit: int = 3,
    strong_at_least: float = 80.0,
    lang: str = "en",
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
    texts = _STATEMENTS.get(lang[:2], _STATEMENTS["en"])

    best: dict[str, _Candidate] = {}
    for candidate in _candidates(cities, area_id, strong_at_least, texts):
        if not candidate.city.is_city or normalise_name(candidate.city.name) in excluded:
            continue
        current = best.get(candidate.city.name)
        if current is None or (candidate.tier, -candidate.strength) < (
            current.tier,
            -current.strength,
        ):
            best[candidate.city.name] = candidate

    practices = {}
    counts: dict[str, int] = {}
    for practice in cities.practices_in(area_id):
        practices.setdefault(practice.city, practice)
        counts[practice.city] = counts.get(practice.city, 0) + 1

    def rank(candidate: _Candidate) -> tuple:
        city = candidate.city
        other_country = own_country is not None and city.country != own_country
        return (
            candidate.tier,
            other_country,
            _size_rank(city.population, own_population),
            -candidate.strength,
            -counts.get(city.name, 0),
            city.name.casefold(),
        )

    mentors = []
    for candidate in sorted(best.values(), key=rank)[:limit]:
        practice = practices.get(candidate.city.name)
        reason, url = (
            (practice.text, practice.source_url)
            if practice
            else (candidate.statement, candidate.statement_url)
        )
        evidence = (
            texts["practice"]
            if candidate.tier == PRACTICE
            else f"{candidate.statement} ({candidate.statement_url})"
        )
        mentors.append(Mentor(candidate.city.name, candidate.city.country, reason, url, evidence))
    log.debug("mentors for %s: %s", area_id, [m.city for m in mentors])
    return mentors


def _candidates(
    cities: CityData, area_id: str, strong_at_least: float, texts: dict[str, str]
) -> list[_Candidate]:
    """Every piece of evidence that a city does well in the area, tagged with its tier."""
    found: list[_Candidate] = []
    for row in cities.official:
        above_network = row.network_average is not None and row.score > row.network_average
        if row.area == area_id and (row.score >= strong_at_least or above_network):
            city = cities.city(row.city)
            if city is not None:
                statement = texts["official"].format(score=row.score, year=row.year)
                found.append(_Candidate(city, OFFICIAL, row.score, statement, row.source_url))
    for report in cities.scores:
        value = report.areas.get(area_id)
        city = cities.city(report.city)
        if value is not None and value >= strong_at_least and city is not None:
            statement = texts["area_score"].format(score=value, year=report.year)
            found.append(_Candidate(city, AREA_SCORE, value, statement, report.source_url))
    for row in cities.relative:
        city = cities.city(row.city)
        if row.area == area_id and row.favourable and city is not None:
            statement = texts[row.relation].format(year=row.year)
            found.append(_Candidate(city, RELATIVE, 0.0, statement, row.source_url))
    for practice in cities.practices_in(area_id):
        city = cities.city(practice.city)
        if city is not None:
            found.append(_Candidate(city, PRACTICE, 0.0, practice.text, practice.source_url))
    return found


def _size_rank(population: int | None, own_population: int | None) -> int:
    """0 = similar size, 1 = unknown, 2 = clearly different size."""
    if not population or not own_population:
        return 1
    return 0 if abs(math.log(population / own_population)) <= math.log(SIMILAR_SIZE_FACTOR) else 2
