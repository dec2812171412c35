"""Mentors: only real cities from the data, each with a source, never the user's own city."""

from __future__ import annotations

import pytest

from scoring.cities import CityData, load_city_data, parse_official_scores_csv
from scoring.mentors import EvidenceKind, find_mentors, link_rank
from scoring.model import IndexModel


@pytest.fixture(scope="module")
def cities() -> CityData:
    return load_city_data()


def _documented(cities: CityData, mentor, area_id: str) -> bool:
    """The mentor's practice and URL, or its evidence's URL, are recorded for that area."""
    practice = mentor.practice is not None and any(
        p.city == mentor.city
        and p.area == area_id
        and p.text == mentor.practice
        and p.source_url == mentor.source_url
        for p in cities.practices
    )
    score_sources = {s.source_url for s in cities.scores if area_id in s.areas}
    score_sources |= {r.source_url for r in cities.relative if r.area == area_id}
    score_sources |= {o.source_url for o in cities.official if o.area == area_id}
    return practice or mentor.source_url in score_sources


def test_every_area_gets_three_documented_mentors(cities: CityData, model: IndexModel) -> None:
    names = {c.name for c in cities.cities if c.is_city}
    for area in model.areas:
        mentors = find_mentors(cities, area.id)
        assert len(mentors) == 3, area.id
        assert all(m.practice for m in mentors), area.id  # every area has practices to show
        assert len({m.city for m in mentors}) == 3
        for mentor in mentors:
            assert mentor.city in names
            assert mentor.source_url.startswith("http")
            assert mentor.evidence.source_url.startswith("http")
            if mentor.practice is None:  # no practice: the evidence is the reason shown
                assert mentor.evidence.kind != EvidenceKind.PRACTICE
                assert mentor.source_url == mentor.evidence.source_url
            else:
                assert mentor.practice
            assert _documented(cities, mentor, area.id), (area.id, mentor)


@pytest.mark.parametrize("own", ["Ansan", "Guro", "Oeiras", "neukölln", "Camden"])
def test_never_the_users_own_city_whatever_the_spelling(cities: CityData, model, own) -> None:
    own_city = cities.match_city(own)
    for area in model.areas:
        assert own_city.name not in {m.city for m in find_mentors(cities, area.id, own_city=own)}


def _practice_cities(cities: CityData, area_id: str) -> set[str]:
    return {p.city for p in cities.practices_in(area_id) if cities.city(p.city).is_city}


def test_cities_with_a_practice_come_first_in_every_area(
    cities: CityData, model: IndexModel
) -> None:
    for area in model.areas:
        mentors = find_mentors(cities, area.id, limit=200)
        documented = [m.practice is not None for m in mentors]
        assert documented == sorted(documented, reverse=True), area.id  # practices, then the rest
        assert {m.city for m in mentors if m.practice} == _practice_cities(cities, area.id)
        assert all(find_mentors(cities, area.id)[n].practice for n in range(3)), area.id


def test_a_published_score_ranks_first_among_cities_with_a_practice(cities: CityData) -> None:
    mentors = find_mentors(cities, "media_communication")
    assert [m.city for m in mentors[:2]] == ["Ansan", "Guro-gu (Seoul)"]
    assert (mentors[0].evidence.kind, mentors[0].evidence.score) == (EvidenceKind.AREA_SCORE, 100)
    assert mentors[0].practice and mentors[0].documented.area == "media_communication"
    assert find_mentors(cities, "neighbourhoods")[0].city == "Oeiras"  # 100 and a practice


def test_a_city_known_only_by_its_score_comes_after_and_keeps_its_source(
    cities: CityData,
) -> None:
    """Ansan and Guro-gu scored 100 in business_labour_market but have no practice there."""
    mentors = find_mentors(cities, "business_labour_market", limit=200)
    practised = len(_practice_cities(cities, "business_labour_market"))
    tail = {m.city: m for m in mentors[practised:]}
    for name, url in [
        ("Ansan", "https://kyeongin.com/article/1518886"),
        ("Guro-gu (Seoul)", "https://www.asiae.co.kr/article/2020113007120900162"),
    ]:
        mentor = tail[name]
        assert mentor.practice is None and mentor.documented is None
        assert (mentor.evidence.kind, mentor.evidence.score, mentor.evidence.year) == (
            EvidenceKind.AREA_SCORE,
            100,
            2020,
        )
        assert mentor.source_url == mentor.evidence.source_url == url
    assert "Ansan" not in {m.city for m in find_mentors(cities, "business_labour_market")}


def test_the_practice_shown_is_the_one_whose_source_leads_to_it_best(
    cities: CityData, model: IndexModel
) -> None:
    checked = 0
    for area in model.areas:
        for mentor in find_mentors(cities, area.id, limit=200):
            if mentor.documented is None:
                continue
            own = [p for p in cities.practices_in(area.id) if p.city == mentor.city]
            assert link_rank(mentor.documented) == min(link_rank(p) for p in own)
            checked += len({link_rank(p) for p in own}) > 1
    assert checked  # some city has both a page and a listing in one area
    # Oslo's education practices: a guidance page and a listing; the page is shown.
    oslo = next(m for m in find_mentors(cities, "education", limit=200) if m.city == "Oslo")
    assert not oslo.documented.is_listing


def test_official_imports_outrank_other_evidence_but_not_a_missing_practice(
    cities: CityData,
) -> None:
    rows = parse_official_scores_csv(
        b"city,country,year,area,score,network_average,source_url\n"
        b"Tilburg,Netherlands,2025,business_labour_market,92,61,https://example.org/t.pdf\n"
        b"Newtown,Atlantis,2025,business_labour_market,99,61,https://example.org/n.pdf\n",
        area_ids=["business_labour_market"],
    )
    mentors = find_mentors(cities.with_official_scores(rows), "business_labour_market", limit=200)
    assert mentors[0].city == "Tilburg" and mentors[0].practice  # a practice and the import
    evidence = mentors[0].evidence
    assert (evidence.kind, evidence.score, evidence.year) == (EvidenceKind.OFFICIAL, 92, 2025)
    assert evidence.source_url == "https://example.org/t.pdf"
    practised = len(_practice_cities(cities, "business_labour_market"))
    newtown = mentors[practised]  # no practice: first of the rest, by its official score
    assert (newtown.city, newtown.practice, newtown.source_url) == (
        "Newtown",
        None,
        "https://example.org/n.pdf",
    )


def test_same_country_and_similar_size_are_preferred(cities: CityData) -> None:
    practice_only = find_mentors(cities, "education", own_country="Ukraine")
    assert practice_only[0].country == "Ukraine"
    similar = find_mentors(cities, "education", own_population=150_000, own_country="Atlantis")
    sized = [cities.city(m.city).population for m in similar]
    assert sized[0] is not None and 60_000 <= sized[0] <= 375_000


def test_networks_are_never_mentors(cities: CityData, model: IndexModel) -> None:
    networks = {c.name for c in cities.cities if not c.is_city}
    for area in model.areas:
        assert not networks & {m.city for m in find_mentors(cities, area.id, limit=50)}


def test_unknown_area_has_no_mentors(cities: CityData) -> None:
    assert find_mentors(cities, "cooking") == []
