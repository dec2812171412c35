"""The peer averages' disclosure rules, as pure functions (scoring.peers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scoring.peers import (
    MIN_CITIES,
    Contribution,
    latest_per_city,
    peer_averages,
    scopes_of,
    whole_points,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _c(
    city: str,
    score: float | None,
    *,
    run_id: int = 0,
    days: int = 0,
    scope: str = "quick",
    version: str = "v1",
    area: str = "education",
) -> Contribution:
    return Contribution(
        city=city,
        run_id=run_id,
        finished_at=T0 + timedelta(days=days),
        model_version=version,
        scope=scope,
        scores={area: score},
    )


def _average(items: list[Contribution], viewer: str | None = None) -> tuple[int, int | None]:
    peer = peer_averages(
        items, model_version="v1", scope="quick", areas=["education"], viewer_city=viewer
    )["education"]
    return peer.cities, peer.value


@pytest.mark.parametrize(
    ("cities", "expected"),
    [(4, (4, None)), (5, (5, 52)), (6, (6, 55))],
)
def test_an_average_needs_five_cities(cities: int, expected: tuple[int, int | None]) -> None:
    scores = [40, 45, 50, 60, 65, 70]  # means: 5 -> 52, 6 -> 55
    items = [_c(f"city{n}", scores[n], run_id=n) for n in range(cities)]
    assert MIN_CITIES == 5
    assert _average(items) == expected


def test_the_viewers_city_does_not_count_toward_five_but_is_in_the_average() -> None:
    others = [_c(f"city{n}", 50.0, run_id=n) for n in range(4)]
    mine = _c("mine", 100.0, run_id=9)
    # Five contributing cities, but only four besides the viewer's: nothing to show.
    assert _average([*others, mine], viewer="mine") == (5, None)
    # The same pool seen by someone else (or the secretariat) shows (4*50 + 100) / 5 = 60.
    assert _average([*others, mine], viewer="elsewhere") == (5, 60)
    assert _average([*others, mine]) == (5, 60)
    # A fifth other city: the viewer sees the very figure everyone sees, its own city included,
    # so claiming another city's name never changes the number (no differencing).
    pool = [*others, _c("city4", 50.0, run_id=4), mine]
    seen = {_average(pool, viewer=city) for city in ("mine", "city0", "city4", None)}
    assert seen == {(6, 58)}  # (5*50 + 100) / 6 = 58.3


def test_one_city_counts_once_with_its_latest_check() -> None:
    items = [_c(f"city{n}", 50.0, run_id=n) for n in range(4)]
    # Two officers of one city: only the later self-check counts, and the city counts once.
    items += [_c("twice", 0.0, run_id=10, days=1), _c("twice", 100.0, run_id=11, days=2)]
    assert _average(items) == (5, 60)
    assert [c.run_id for c in latest_per_city(items) if c.city == "twice"] == [11]
    # Finished in the same instant: the later run wins.
    same = [_c("x", 10.0, run_id=3), _c("x", 20.0, run_id=4)]
    assert [c.scores["education"] for c in latest_per_city(same)] == [20.0]


def test_the_latest_check_wins_even_when_it_did_not_score_the_area() -> None:
    items = [_c(f"city{n}", 50.0, run_id=n) for n in range(5)]
    items.append(_c("city0", None, run_id=20, days=3))  # city0 answered nothing there lately
    assert _average(items) == (4, None)


def test_other_versions_and_scopes_are_never_mixed_in() -> None:
    items = [_c(f"city{n}", 50.0, run_id=n) for n in range(4)]
    items.append(_c("full", 90.0, run_id=5, scope="full"))
    items.append(_c("old", 90.0, run_id=6, version="v0"))
    assert _average(items) == (4, None)
    # A city's latest quick check counts even if its latest check of all was a full one.
    items.append(_c("city0", 0.0, run_id=7, days=5, scope="full"))
    items.append(_c("city4", 70.0, run_id=8))
    assert _average(items) == (5, 54)
    assert scopes_of(items, model_version="v1") == ["full", "quick"]


def test_every_area_asked_for_has_an_entry_and_only_whole_points_leave() -> None:
    items = [_c(f"city{n}", 50.0 + n / 10, run_id=n) for n in range(5)]  # mean 50.2
    table = peer_averages(items, model_version="v1", scope="quick", areas=["education", "language"])
    assert table["education"].value == 50 and isinstance(table["education"].value, int)
    assert (table["language"].cities, table["language"].value) == (0, None)
    assert not table["language"].shown and table["education"].shown
    assert (whole_points(57.5), whole_points(58.5), whole_points(58.49)) == (58, 59, 58)
