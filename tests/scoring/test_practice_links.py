"""Every link the city data can show leads where it says: no language-switch redirect, listings
labelled as listings, and a source that is another city's page flagged with that city.

Held over the whole bundled data set, so a row added later meets the same rules.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scoring.cities import DEFAULT_CITY_DIR, SOURCE_KINDS, CityData, load_city_data
from scoring.mentors import link_rank
from scoring.names import normalise_name

#: A page of the ICC good-practice database (any language, any paging), or another site's
#: paged index: a listing, not a page on one practice.
LISTING_URL = re.compile(
    r"^https?://(www\.)?coe\.int/[a-z]{2}/web/interculturalcities/good-practice(\?.*)?$"
    r"|[?&](page|start)=\d+"
)
#: Rows checked by hand against the research files (good_practices.csv, city_data_notes.md):
#: the source is a page of, or about, another city.
OTHER_CITY_SOURCES = {
    ("Turin", "public_space"): "Reggio Emilia",  # ICC newsletter 25, the Reggio Emilia article
    ("Lodi", "interaction"): "Reggio Emilia",
    ("Venice", "interaction"): "Reggio Emilia",
    ("Pavlohrad", "welcoming"): "Lutsk",  # Lutsk city council's site
    ("Bilbao", "neighbourhoods"): "Wrocław",  # Wrocław's intercultural site
}


@pytest.fixture(scope="module")
def cities() -> CityData:
    return load_city_data()


def _urls_of_every_csv() -> list[tuple[str, str]]:
    """(file, url) for every http(s) value of every CSV of the city data."""
    found = []
    for path in sorted(DEFAULT_CITY_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                found += [(path.name, v) for v in row.values() if v and v.startswith("http")]
    return found


def test_no_language_switch_redirect_anywhere_in_the_data() -> None:
    urls = _urls_of_every_csv()
    assert len(urls) > 400
    for name, url in urls:
        # A page's own "redirect=" back link (an article's) is fine; a portal switch is not.
        assert "update_language" not in url and "/c/portal/" not in url, (name, url)
    for path in DEFAULT_CITY_DIR.glob("*.csv"):
        assert "update_language" not in path.read_text(encoding="utf-8"), path.name


def test_resolved_redirects_point_to_the_english_site(cities: CityData) -> None:
    """The 52 resolved rows: Montreal's and Oslo's articles, the others listing pages."""
    montreal = [p for p in cities.practices if p.city == "Montreal" and p.area == "welcoming"]
    assert [p.source_url for p in montreal if "montreal-a-new-beginning" in p.source_url] == [
        "https://www.coe.int/en/web/interculturalcities/-/montreal-a-new-beginning"
    ]
    oxlo = [p for p in cities.practices if "oxlo-oslo-extra-large" in p.source_url]
    assert len(oxlo) == 1 and oxlo[0].source_url.startswith(
        "https://coe.int/en/web/interculturalcities/-/oxlo-oslo-extra-large"
    )
    assert not oxlo[0].is_listing


def test_every_listing_is_labelled_and_every_label_is_a_listing(cities: CityData) -> None:
    listings = [p for p in cities.practices if p.is_listing]
    assert len(listings) == 106
    for practice in cities.practices:
        assert practice.source_kind in SOURCE_KINDS
        looks_listed = bool(LISTING_URL.search(practice.source_url))
        assert practice.is_listing == looks_listed, (practice.city, practice.source_url)


def test_other_city_sources_are_flagged_with_a_known_city(cities: CityData) -> None:
    flagged = {(p.city, p.area): p.source_about for p in cities.practices if p.source_about}
    assert flagged == OTHER_CITY_SOURCES
    for practice in cities.practices:
        if practice.source_about:
            other = cities.city(practice.source_about)
            assert other is not None and other.name == practice.source_about
            assert other.name != practice.city


def _site_names(city_names: tuple[str, ...]) -> set[str]:
    """A city's names as they could appear in a web address (no spaces, no accents)."""
    return {normalise_name(re.sub(r"\(.*?\)", "", n)).replace(" ", "") for n in city_names}


def test_a_source_on_another_citys_website_is_flagged(cities: CityData) -> None:
    """A host named after another member city (lutskrada.gov.ua, wielokultury.wroclaw.pl) and
    not after the practice's city is that city's site: the row must say so."""
    members = [c for c in cities.cities if c.is_city]
    found = set()
    for practice in cities.practices:
        host = (urlsplit(practice.source_url).hostname or "").replace(".", "")
        own = cities.city(practice.city)
        assert own is not None
        if any(len(n) >= 4 and n in host for n in _site_names(own.names)):
            continue
        others = [
            c.name
            for c in members
            if c.name != own.name and any(len(n) >= 5 and n in host for n in _site_names(c.names))
        ]
        if others:
            assert practice.source_about in others, (practice.city, practice.source_url)
            found.add(practice.city)
    assert found == {"Pavlohrad", "Bilbao"}  # the check does look at hosts


def test_an_unknown_source_kind_stops_loading(tmp_path: Path) -> None:
    folder = tmp_path / "cities"
    shutil.copytree(DEFAULT_CITY_DIR, folder)
    path = folder / "practices.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",listing,", ",index,", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="source_kind 'index'"):
        load_city_data(folder)


def test_an_address_without_its_page_is_labelled_unresolved_and_ranked_last(
    cities: CityData,
) -> None:
    """The research recorded `.../interculturalcities/view` for six practices (two more were
    found with their page in good_practices.csv): said to be what it is, never a page."""
    bare = re.compile(r"/web/interculturalcities/view/?$")
    unresolved = [p for p in cities.practices if p.is_unresolved]
    assert len(unresolved) == 6
    for practice in cities.practices:
        assert practice.is_unresolved == bool(bare.search(practice.source_url)), practice
    assert all(link_rank(p) == 3 for p in unresolved)
    assert max(link_rank(p) for p in cities.practices if not p.is_unresolved) == 2
