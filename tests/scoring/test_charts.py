"""The chart is a real PNG, wide enough for a phone, in English and French."""

from __future__ import annotations

import io

import pytest
from matplotlib import image

from scoring.charts import render_chart
from scoring.model import IndexModel
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
