"""Fixtures for the scoring tests: the bundled model and answer sets built from it."""

from __future__ import annotations

import pytest

from scoring.model import IndexModel, Indicator, load_index_model
from scoring.score import Answer


@pytest.fixture(scope="session")
def model() -> IndexModel:
    """The bundled, versioned Index model (validated on load)."""
    return load_index_model()


def best_answer(indicator: Indicator) -> Answer:
    """The answer earning full points: every option ticked, or the top option."""
    if indicator.multi:
        return frozenset(option.id for option in indicator.options)
    return max(indicator.options, key=lambda option: option.points).id


def worst_answer(indicator: Indicator) -> Answer:
    """The answer earning nothing: nothing ticked, or the lowest option."""
    if indicator.multi:
        return frozenset()
    return min(indicator.options, key=lambda option: option.points).id


@pytest.fixture
def best_answers(model: IndexModel) -> dict[str, Answer]:
    """Every indicator answered with its best option."""
    return {indicator.id: best_answer(indicator) for indicator in model.indicators}


@pytest.fixture
def worst_answers(model: IndexModel) -> dict[str, Answer]:
    """Every indicator answered with its worst option."""
    return {indicator.id: worst_answer(indicator) for indicator in model.indicators}
