"""City data: every fact keeps its source, names match through aliases, official imports win."""

from __future__ import annotations

import pytest

from scoring.cities import CityData, load_city_data, parse_official_scores_csv

AREAS = ["commitment", "education", "language"]


@pytest.fixture(scope="module")
def cities() -> CityData:
    return load_city_data()


def test_bundled_data_is_complete_and_sourced(cities: CityData) -> None:
    originals = [p for p in cities.practices if p.origin == "good_practices.csv"]
    assert len(originals) == 295
    assert all(p.source_url.startswith("http") for p in cities.practices)
    assert all(s.source_url.startswith("http") for s in cities.scores)
    assert all(r.source_url.startswith("http") for r in cities.relative)
    known = {c.name for c in cities.cities}
    assert {p.city for p in cities.practices} <= known
    assert {s.city for s in cities.scores} <= known
    assert len([c for c in cities.cities if c.is_city]) >= 90


def test_figures_are_read_as_published(cities: CityData) -> None:
    oslo = next(s for s in cities.scores if s.city == "Oslo")
    assert (oslo.year, oslo.sample_size, oslo.overall) == (2017, 93, 85.0)
    guro = next(s for s in cities.scores if s.city == "Guro-gu (Seoul)")
    assert guro.areas["interaction"] == 100
    assert cities.city("Oslo").population == 580000


def test_duplicate_spellings_are_one_city(cities: CityData) -> None:
    castello = cities.city("Castellón de la Plana")
    assert castello is not None and castello.name == "Castelló de la Plana"
    assert any(s.city == "Castelló de la Plana" for s in cities.scores)
    assert cities.city("Berlin-Neukolln").name == "Berlin-Neukölln"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Neukölln", "Berlin-Neukölln"),
        ("neukolln", "Berlin-Neukölln"),
        ("Camden", "London Borough of Camden"),
        ("Odesa", "Odessa"),
        ("City of Oslo", "Oslo"),
        ("Oslo, Norway", "Oslo"),
        ("wroclaw", "Wrocław"),
        ("Barcelna", "Barcelona"),
        ("Guro-gu", "Guro-gu (Seoul)"),
    ],
)
def test_match_city_honours_aliases_accents_and_typos(
    cities: CityData, typed: str, expected: str
) -> None:
    assert cities.match_city(typed).name == expected


@pytest.mark.parametrize("typed", ["Salt Lake City", "Atlantis", "", "  "])
def test_match_city_refuses_what_is_not_there(cities: CityData, typed: str) -> None:
    assert cities.match_city(typed) is None


def test_network_averages_only_where_a_source_states_one(cities: CityData) -> None:
    averages = cities.network_averages()
    assert set(averages) == {"commitment"}
    value, basis, url = averages["commitment"]
    assert value == 69
    assert "Rochester" in basis
    assert url.startswith("https://www.postbulletin.com/")


OFFICIAL_CSV = (
    "city,country,year,area,score,network_average,source_url\n"
    "Neukölln,Germany,2024,language,91,62,https://example.org/neukolln-2024.pdf\n"
    "Newtown,Utopia,2024,language,40,,https://example.org/newtown.pdf\n"
    "Oslo,Norway,2023,language,88,60,https://example.org/oslo-2023.pdf\n"
)


def test_official_scores_parse_and_take_precedence(cities: CityData) -> None:
    rows = parse_official_scores_csv(OFFICIAL_CSV.encode(), area_ids=AREAS)
    assert [(r.city, r.score, r.network_average) for r in rows] == [
        ("Neukölln", 91.0, 62.0),
        ("Newtown", 40.0, None),
        ("Oslo", 88.0, 60.0),
    ]
    updated = cities.with_official_scores(rows)
    assert {o.city for o in updated.official} == {"Berlin-Neukölln", "Newtown", "Oslo"}
    assert updated.city("Newtown").country == "Utopia"
    assert updated.network_averages()["language"].value == 62  # latest year wins
    assert "official" in updated.network_averages()["language"].basis
    assert updated.network_averages()["commitment"].value == 69
    assert cities.official == []  # the original is untouched


def test_reimporting_replaces_the_same_city_year_and_area(cities: CityData) -> None:
    first = parse_official_scores_csv(OFFICIAL_CSV.encode(), area_ids=AREAS)
    again = parse_official_scores_csv(
        b"city,country,year,area,score,source_url\n"
        b"Berlin-Neukolln,Germany,2024,language,70,https://example.org/fix.pdf\n",
        area_ids=AREAS,
    )
    updated = cities.with_official_scores(first).with_official_scores(again)
    neukolln = [o for o in updated.official if o.city == "Berlin-Neukölln"]
    assert [(o.score, o.source_url) for o in neukolln] == [(70.0, "https://example.org/fix.pdf")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"city,year,area,score\nOslo,2020,language,50\n",
            "missing column(s): country, source_url",
        ),
        (b"city,country,year,area,score,source_url\n", "no rows"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (
            b"city,country,year,area,score,source_url\nOslo,Norway,2020,cooking,50,https://x.org\n",
            "line 2: unknown area 'cooking'",
        ),
        (
            b"city,country,year,area,score,source_url\nOslo,Norway,2020,language,150,https://x.org\n",
            "score 150 is not between 0 and 100",
        ),
        (
            b"city,country,year,area,score,source_url\nOslo,Norway,twenty,language,50,https://x.org\n",
            "year 'twenty' is not a year",
        ),
        (
            b"city,country,year,area,score,source_url\nOslo,Norway,2020,language,50,not a url\n",
            "source_url must be an http(s) address",
        ),
        (
            b"city,country,year,area,score,source_url\n"
            b"Oslo,Norway,2020,language,50,https://x.org\n"
            b"oslo,Norway,2020,language,55,https://x.org\n",
            "line 3: oslo 2020 language appears twice",
        ),
        (
            b"city,country,year,area,score,source_url\n,Norway,2020,language,50,https://x.org\n",
            "city is empty",
        ),
        (
            b"city,country,year,area,score,source_url\nOslo,Norway,2020,language,50,https://x.org/"
            + b"a" * 500
            + b"\n",
            "source_url is longer than 500 characters",
        ),
    ],
)
def test_bad_official_csv_is_refused_with_the_reason(content: bytes, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_official_scores_csv(content, area_ids=AREAS)
    assert message in str(caught.value)


def test_official_csv_defaults_to_the_model_areas() -> None:
    rows = parse_official_scores_csv(
        b"city,country,year,area,score,source_url\n"
        b"Oslo,Norway,2020,anti_discrimination,50,https://x.org\n"
    )
    assert rows[0].area == "anti_discrimination"
