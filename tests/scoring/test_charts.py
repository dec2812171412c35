"""The chart is a real PNG, wide enough for a phone, in English and French, with the member
cities' average drawn only where it may be shown."""

from __future__ import annotations

import io

import pytest
from matplotlib import image

from scoring.charts import PEER_COLOUR, render_chart
from scoring.model import IndexModel
from scoring.peers import PeerAverage
from scoring.score import score


def _size(png: bytes) -> tuple[int, int]:
    pixels = image.imread(io.BytesIO(png), format="png")
    return pixels.shape[1], pixels.shape[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_chart_is_a_wide_png(model: IndexModel, worst_answers, lang: str) -> None:
    result = score(model, worst_answers, network={"commitment": 69}, lang=lang)
    png = render_chart(result, city="Castelló de la Plana", lang=lang)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = _size(png)
    assert width >= 1000
    assert height > width  # one row per area, portrait for phones


def test_chart_of_one_area_and_of_nothing_answered(model: IndexModel) -> None:
    one = render_chart(score(model, {"com_budget": "yes"}, scope="area:commitment"))
    assert _size(one)[0] >= 1000
    empty = render_chart(score(model, {}, scope="quick"))
    assert _size(empty)[0] >= 1000


def _peer_pixels(png: bytes) -> int:
    """Pixels of the member cities' diamond colour (their inside is drawn without blending)."""
    pixels = image.imread(io.BytesIO(png), format="png")[:, :, :3]
    amber = [int(PEER_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return int((abs(pixels - amber).max(axis=2) < 0.02).sum())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_member_cities_average_is_drawn_beside_the_network_average(
    model: IndexModel, worst_answers, lang: str
) -> None:
    result = score(model, worst_answers, network={"commitment": 69}, lang=lang)
    peers = {
        "commitment": PeerAverage("commitment", 6, 69),  # on the network's line: both visible
        "education": PeerAverage("education", 7, 40),
        "language": PeerAverage("language", 4, None),  # too few cities: never drawn
    }
    plain = render_chart(result, lang=lang)
    with_peers = render_chart(result, lang=lang, peers=peers)
    hidden = render_chart(result, lang=lang, peers={"language": peers["language"]})
    assert _peer_pixels(plain) == 0 and _peer_pixels(hidden) == 0
    # Two diamonds and the legend's: a few hundred amber pixels each at 1200 px wide.
    assert _peer_pixels(with_peers) > 3 * 150
    assert _size(with_peers)[1] > _size(plain)[1]  # a legend line of its own
    assert _size(hidden) == _size(plain)


def test_network_average_line_survives_a_diamond_on_it(model: IndexModel, worst_answers) -> None:
    """The network line is longer than the diamond is tall, so where the two averages
    coincide both stay visible: the black line shows above and below the diamond."""
    result = score(model, worst_answers, network={"commitment": 69})
    png = render_chart(result, peers={"commitment": PeerAverage("commitment", 5, 69)})
    pixels = image.imread(io.BytesIO(png), format="png")[:, :, :3]
    amber = [int(PEER_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    rows, cols = (abs(pixels - amber).max(axis=2) < 0.02).nonzero()
    chart_rows = rows < pixels.shape[0] - 300  # leave out the legend's diamond
    top, bottom = rows[chart_rows].min(), rows[chart_rows].max()
    column = int(cols[chart_rows].mean())
    dark = pixels[:, column].max(axis=1) < 0.15
    assert dark[top - 12 : top - 2].all() and dark[bottom + 2 : bottom + 12].all()
