"""Member cities, their published Index scores and good practices: the facts mentors rest on.

Loaded from the cleaned CSV files under corpus/cities/ (see its README for provenance). Every
figure keeps the source URL it was read from, because the assistant never shows a fact without
one. Official per-area scores imported by the secretariat sit beside the researched data and take
precedence over its figures; they are validated strictly because they come from outside
(scoring.official_scores, whose names this module re-exports for its callers).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

# Re-exported ("as" names): callers import them from here, where they always lived.
from scoring.names import normalise_name as normalise_name
from scoring.official_scores import MAX_OFFICIAL_CSV_BYTES as MAX_OFFICIAL_CSV_BYTES
from scoring.official_scores import OfficialAreaScore as OfficialAreaScore
from scoring.official_scores import parse_official_scores_csv as parse_official_scores_csv

log = logging.getLogger(__name__)

DEFAULT_CITY_DIR = Path(__file__).resolve().parent.parent / "corpus" / "cities"

#: How close (0-100, rapidfuzz ratio on normalised names) a typed name must be to match a city.
FUZZY_CUTOFF = 85


@dataclass(frozen=True)
class City:
    """A member city (or, with kind "network", a national network of cities)."""

    name: str
    country: str
    kind: str
    aliases: tuple[str, ...] = ()
    population: int | None = None
    population_note: str = ""
    population_source_url: str = ""
    member_since: str = ""
    membership_source_url: str = ""

    @property
    def is_city(self) -> bool:
        """False for national networks, which are never proposed as mentor cities."""
        return self.kind == "city"

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every known alias."""
        return (self.name, *self.aliases)


#: The language of every practice text (the researcher paraphrased each source in English), so
#: an interface in another language can say so.
PRACTICE_LANGUAGE = "en"
#: What a practice's source is: a page on the practice; a listing of many practices (a page of
#: the ICC good-practice database) that does not lead to the practice itself; or an address
#: the research recorded without the page's own part (`.../interculturalcities/view`), kept as
#: provenance because no better one was found, and said to be what it is.
SOURCE_KINDS = ("page", "listing", "unresolved")


@dataclass(frozen=True)
class Practice:
    """A documented good practice of a city in one Index area, in one sentence, with its source.

    `source_kind` and `source_about` say how far the source leads to the practice, so that the
    assistant never presents a listing or another city's page as the practice's own page.
    """

    city: str
    country: str
    area: str
    text: str
    source_url: str
    origin: str = ""
    #: One of `SOURCE_KINDS`.
    source_kind: str = "page"
    #: The other city whose page the source is, when it is not this city's (else empty).
    source_about: str = ""

    @property
    def is_listing(self) -> bool:
        """True when the source only lists the practice among others."""
        return self.source_kind == "listing"

    @property
    def is_unresolved(self) -> bool:
        """True when the recorded address does not name the practice's page."""
        return self.source_kind == "unresolved"


@dataclass(frozen=True)
class CityScore:
    """One published Index report of a city: overall and area scores where the source gave them."""

    city: str
    country: str
    year: int | None
    sample_size: int | None
    overall: float | None
    areas: dict[str, float]
    source_url: str


@dataclass(frozen=True)
class AreaRelative:
    """A qualitative position of a city's area against the sample ("above_average", ...)."""

    city: str
    country: str
    year: int | None
    area: str
    relation: str
    source_url: str

    @property
    def favourable(self) -> bool:
        """True when the source describes the area as a strength."""
        return self.relation in FAVOURABLE_RELATIONS


FAVOURABLE_RELATIONS = frozenset(
    {"above_average", "stand_out_vs_95_cities", "maximum_score", "highlighted_strength"}
)


@dataclass(frozen=True)
class AreaAverage:
    """A sample (network or peer-group) average for one area, as a source stated it."""

    city: str
    country: str
    year: int | None
    area: str
    city_score: float
    sample_average: float
    basis: str
    source_url: str


class NetworkAverage(NamedTuple):
    """A network average for an area: the value, what it averages over, and where it was read."""

    value: float
    basis: str
    source_url: str


@dataclass(frozen=True)
class CityData:
    """All city facts, with lookups that honour aliases and official imports."""

    cities: list[City]
    practices: list[Practice]
    scores: list[CityScore]
    relative: list[AreaRelative]
    averages: list[AreaAverage]
    official: list[OfficialAreaScore] = field(default_factory=list)

    def city(self, name: str) -> City | None:
        """The city whose canonical name or alias is `name` (accents and case ignored)."""
        return self._by_key.get(normalise_name(name))

    def match_city(self, text: str) -> City | None:
        """The city a person most likely meant by `text` (aliases, accents, small typos)."""
        key = normalise_name(text)
        if not key:
            return None
        exact = self._by_key.get(key)
        if exact is not None:
            return exact
        best = process.extractOne(key, self._by_key.keys(), scorer=fuzz.ratio)
        if best is None or best[1] < FUZZY_CUTOFF:
            return None
        return self._by_key[best[0]]

    def network_averages(self) -> dict[str, NetworkAverage]:
        """Area id -> network average, only where a source or an official import states one.

        Official imports win (the latest year per area); otherwise a published sample average.
        """
        found: dict[str, tuple[int, NetworkAverage]] = {}
        for row in self.averages:
            basis = f"{row.basis} ({row.city} report, {row.year})"
            found[row.area] = (-1, NetworkAverage(row.sample_average, basis, row.source_url))
        for off in self.official:
            if off.network_average is None:
                continue
            if off.area not in found or off.year >= found[off.area][0]:
                basis = f"official ICC Index network average ({off.year})"
                found[off.area] = (
                    off.year,
                    NetworkAverage(off.network_average, basis, off.source_url),
                )
        return {area: average for area, (_, average) in found.items()}

    def practices_in(self, area_id: str) -> list[Practice]:
        """Good practices tagged with this area, in data order."""
        return [practice for practice in self.practices if practice.area == area_id]

    def with_official_scores(self, rows: Iterable[OfficialAreaScore]) -> CityData:
        """A copy with these official per-area scores added (same city, year and area replaced).

        City names are mapped to the canonical spelling when they match a known name or alias;
        a city the data does not know yet is added with the country from the import.
        """
        cities = list(self.cities)
        official = {(o.city, o.year, o.area): o for o in self.official}
        known = {normalise_name(n): c for c in cities for n in c.names}
        for row in rows:
            city = known.get(normalise_name(row.city))
            if city is None:
                city = City(name=row.city, country=row.country, kind="city")
                cities.append(city)
                known[normalise_name(row.city)] = city
            row = replace(row, city=city.name)
            official[(row.city, row.year, row.area)] = row
        return replace(self, cities=cities, official=list(official.values()))

    @cached_property
    def _by_key(self) -> dict[str, City]:
        """Normalised name or alias (also without a parenthesis, "Guro-gu") -> city."""
        index: dict[str, City] = {}
        for city in self.cities:
            for name in city.names:
                for key in {normalise_name(name), normalise_name(re.sub(r"\(.*?\)", "", name))}:
                    index.setdefault(key, city)
        return index


def load_city_data(dir: Path | None = None) -> CityData:
    """Load the cleaned city data (the bundled corpus/cities/ when `dir` is None)."""
    folder = dir or DEFAULT_CITY_DIR
    cities = [
        City(
            name=r["name"],
            country=r["country"],
            kind=r["kind"],
            aliases=tuple(a for a in r["aliases"].split(";") if a),
            population=_int(r["population"], "population"),
            population_note=r["population_note"],
            population_source_url=r["population_source_url"],
            member_since=r["member_since"],
            membership_source_url=r["membership_source_url"],
        )
        for r in _rows(folder / "cities.csv")
    ]
    practices = [_practice(r) for r in _rows(folder / "practices.csv")]
    fixed = {"city", "country", "year", "sample_size", "overall", "source_url"}
    scores = [
        CityScore(
            city=r["city"],
            country=r["country"],
            year=_int(r["year"], "year"),
            sample_size=_int(r["sample_size"], "sample_size"),
            overall=_float(r["overall"]),
            areas={k: float(v) for k, v in r.items() if k not in fixed and v},
            source_url=r["source_url"],
        )
        for r in _rows(folder / "scores.csv")
    ]
    relative = [
        AreaRelative(
            r["city"],
            r["country"],
            _int(r["year"], "year"),
            r["area"],
            r["relation"],
            r["source_url"],
        )
        for r in _rows(folder / "area_relative.csv")
    ]
    averages = [
        AreaAverage(
            city=r["city"],
            country=r["country"],
            year=_int(r["year"], "year"),
            area=r["area"],
            city_score=float(r["city_score"]),
            sample_average=float(r["sample_average"]),
            basis=r["average_basis"],
            source_url=r["source_url"],
        )
        for r in _rows(folder / "area_averages.csv")
    ]
    data = CityData(cities, practices, scores, relative, averages)
    log.debug("city data: %d cities, %d practices", len(cities), len(practices))
    return data


def _practice(row: dict[str, str]) -> Practice:
    """One row of practices.csv; an unknown source kind stops loading rather than mislabel."""
    if row["source_kind"] not in SOURCE_KINDS:
        raise ValueError(f"practices.csv: unknown source_kind {row['source_kind']!r}")
    return Practice(
        row["city"],
        row["country"],
        row["area"],
        row["practice"],
        row["source_url"],
        row["origin"],
        row["source_kind"],
        row["source_about"],
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _int(text: str, name: str) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a whole number") from None


def _float(text: str) -> float | None:
    return float(text) if text else None
