"""Official per-area Index scores from the secretariat: strict checks on a CSV from outside.

Split from scoring.cities (which re-exports these names for its callers) because a file that
comes from outside needs many row-by-row checks, and those would crowd the module that loads
the researched data. The scores then sit beside the researched data (`CityData.official`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass

from scoring.model import load_index_model
from scoring.names import normalise_name

#: The largest official-scores CSV accepted (a full network is a few hundred KB).
MAX_OFFICIAL_CSV_BYTES = 2_000_000
OFFICIAL_COLUMNS = ("city", "country", "year", "area", "score", "source_url")
OFFICIAL_OPTIONAL_COLUMNS = ("network_average",)


@dataclass(frozen=True)
class OfficialAreaScore:
    """One row of an official per-area score import from the secretariat."""

    city: str
    country: str
    year: int
    area: str
    score: float
    network_average: float | None
    source_url: str


def parse_official_scores_csv(
    data: bytes, *, area_ids: Collection[str] | None = None
) -> list[OfficialAreaScore]:
    """Validate an official per-area score CSV; ValueError lists what is wrong, row by row.

    Columns: city, country, year, area, score, source_url, and optionally network_average.
    `area_ids` defaults to the areas of the bundled Index model.
    """
    if area_ids is None:
        area_ids = [area.id for area in load_index_model().areas]
    if len(data) > MAX_OFFICIAL_CSV_BYTES:
        raise ValueError(f"the file is larger than {MAX_OFFICIAL_CSV_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in OFFICIAL_COLUMNS if name not in header]
    if missing:
        raise ValueError(
            f"missing column(s): {', '.join(missing)} (needed: {', '.join(OFFICIAL_COLUMNS)})"
        )
    reader.fieldnames = header
    rows: list[OfficialAreaScore] = []
    problems: list[str] = []
    seen: set[tuple[str, int, str]] = set()
    for line, raw in enumerate(reader, start=2):
        try:
            row = _official_row(raw, area_ids)
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        key = (normalise_name(row.city), row.year, row.area)
        if key in seen:
            problems.append(f"line {line}: {row.city} {row.year} {row.area} appears twice")
        seen.add(key)
        rows.append(row)
    if problems:
        shown = problems[:10] + (
            [f"... and {len(problems) - 10} more"] if len(problems) > 10 else []
        )
        raise ValueError("\n".join(shown))
    if not rows:
        raise ValueError("the file has a header but no rows")
    return rows


def _official_row(raw: dict[str, str | None], area_ids: Collection[str]) -> OfficialAreaScore:
    if None in raw:
        raise ValueError("more fields than columns")
    value = {k: (v or "").strip() for k, v in raw.items()}
    for name in ("city", "country"):
        if not value[name]:
            raise ValueError(f"{name} is empty")
    # The database columns' sizes: PostgreSQL refuses longer values (SQLite would not).
    for name, limit in (("city", 120), ("country", 120), ("source_url", 500)):
        if len(value[name]) > limit or "\x00" in value[name]:
            raise ValueError(f"{name} is longer than {limit} characters or has a NUL byte")
    if value["area"] not in area_ids:
        raise ValueError(f"unknown area {value['area']!r}")
    if not re.fullmatch(r"(19|20)\d\d", value["year"]):
        raise ValueError(f"year {value['year']!r} is not a year")
    if not re.match(r"https?://\S+$", value["source_url"]):
        raise ValueError("source_url must be an http(s) address")
    average = value.get("network_average", "")
    return OfficialAreaScore(
        city=value["city"],
        country=value["country"],
        year=int(value["year"]),
        area=value["area"],
        score=_percent(value["score"], "score"),
        network_average=_percent(average, "network_average") if average else None,
        source_url=value["source_url"],
    )


def _percent(text: str, name: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a number") from None
    if not 0 <= number <= 100:
        raise ValueError(f"{name} {text} is not between 0 and 100")
    return number
