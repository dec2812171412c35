"""Scoring a self-check: pure functions from (model, answers) to a labelled estimate.

An area score is the share of points earned over the points possible on the questions the city
actually answered: "don't know" and skipped questions are left out of the score and reported as
coverage instead, so a partial check never pretends to know more than it was told. Areas are then
combined into the intercultural-lens composite and the overall index as the model's data says,
and flagged weak or strong by the model's rule (also data), which travels with the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.model import MULTI_SELECT_ROUNDING, Area, IndexModel, Indicator

#: The answer meaning "I don't know": counted as coverage, never as points.
DONT_KNOW = "dont_know"

#: One answer: an option id, a set of option ids (multi-select; empty = none of them) or DONT_KNOW.
Answer = str | frozenset[str]
#: Indicator id -> answer. A missing id means skipped or not asked.
Answers = Mapping[str, Answer]

SCOPES = ("quick", "full")
AREA_SCOPE_PREFIX = "area:"

_REASONS = {
    "en": {
        "unscored": "not scored: no question answered",
        "below_network": "below the network average of {network}",
        "below_floor": "below {floor}",
        "above_network": "at least {margin} points above the network average of {network}",
        "at_least": "{at_least} or more",
        "middle": "not below the network average or {floor}, not yet strong",
        "middle_no_network": "not below {floor}, not yet strong (no network average known)",
    },
    "fr": {
        "unscored": "non noté : aucune question répondue",
        "below_network": "sous la moyenne du réseau ({network})",
        "below_floor": "sous {floor}",
        "above_network": "au moins {margin} points au-dessus de la moyenne du réseau ({network})",
        "at_least": "{at_least} ou plus",
        "middle": "ni sous la moyenne du réseau ni sous {floor}, pas encore fort",
        "middle_no_network": "pas sous {floor}, pas encore fort (moyenne du réseau inconnue)",
    },
}


class AnswerError(ValueError):
    """An answer names an unknown indicator or option, or has the wrong shape; safe to show."""


@dataclass(frozen=True)
class AreaResult:
    """One area's estimate and how much of the area it rests on.

    `total` counts the area's questions in the scope; `coverage` is answered / all questions of
    the area in the full model, so a quick check honestly shows it covers part of each area.
    """

    id: str
    name: str
    score: float | None
    earned: float
    possible: float
    answered: int
    dont_know: int
    skipped: int
    total: int
    coverage: float
    network_average: float | None
    weak: bool
    strong: bool
    reason: str


#: Share of the areas combined into the overall or lens figure that must have a score for
#: that figure to be given (else it is None: "not estimated").
OVERALL_MIN_SCORED = 0.5


@dataclass(frozen=True)
class Result:
    """A whole self-check estimate, with the disclaimer and the weak/strong rule to show."""

    overall: float | None
    lens: float | None
    areas: list[AreaResult]
    scope: str
    model_version: str
    disclaimer: str
    rule: str

    def area(self, area_id: str) -> AreaResult:
        """The result for one area; KeyError when the area is not in this result."""
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"area '{area_id}' is not in this result")

    @property
    def scored_areas(self) -> tuple[int, int]:
        """How many of the areas this check asks about got a score, and how many it asks
        about: an overall figure resting on one area of seventeen says little."""
        asked = [area for area in self.areas if area.total]
        return sum(area.score is not None for area in asked), len(asked)

    @property
    def weak_areas(self) -> list[AreaResult]:
        """Areas flagged weak, in questionnaire order."""
        return [area for area in self.areas if area.weak]

    @property
    def strong_areas(self) -> list[AreaResult]:
        """Areas flagged strong, in questionnaire order."""
        return [area for area in self.areas if area.strong]


@dataclass(frozen=True)
class AreaDelta:
    """How one area moved between two self-checks (None where either side has no score)."""

    id: str
    name: str
    previous: float | None
    current: float | None
    delta: float | None


def indicators_for(model: IndexModel, scope: str) -> list[Indicator]:
    """The questions of a scope: "quick", "full" or "area:<id>" (ValueError otherwise)."""
    if scope == "full":
        return model.indicators
    if scope == "quick":
        return [indicator for indicator in model.indicators if indicator.quick]
    if scope.startswith(AREA_SCOPE_PREFIX):
        area_id = scope.removeprefix(AREA_SCOPE_PREFIX)
        try:
            return list(model.area(area_id).indicators)
        except KeyError:
            raise ValueError(f"unknown area in scope {scope!r}") from None
    raise ValueError(f"unknown scope {scope!r}: use quick, full or area:<id>")


def parse_answers(model: IndexModel, raw: Mapping[str, Any]) -> dict[str, Answer]:
    """Turn JSON-like answers (option id, list of option ids, "dont_know") into checked Answers."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers must be an object mapping indicator ids to option ids")
    answers: dict[str, Answer] = {}
    for indicator_id, value in raw.items():
        indicator = _known_indicator(model, indicator_id)
        if value == DONT_KNOW:
            answers[indicator_id] = DONT_KNOW
        elif indicator.multi:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise AnswerError(f"{indicator_id}: expected a list of option ids")
            answers[indicator_id] = frozenset(value)
        elif isinstance(value, str):
            answers[indicator_id] = value
        else:
            raise AnswerError(f"{indicator_id}: expected one option id")
    validate_answers(model, answers)
    return answers


def validate_answers(model: IndexModel, answers: Answers) -> None:
    """Raise AnswerError naming the first unknown indicator or option in `answers`."""
    for indicator_id, answer in answers.items():
        indicator = _known_indicator(model, indicator_id)
        if answer == DONT_KNOW:
            continue
        if indicator.multi != isinstance(answer, frozenset):
            kind = "a set of option ids" if indicator.multi else "one option id"
            raise AnswerError(f"{indicator_id}: expected {kind}")
        for option_id in sorted(answer) if isinstance(answer, frozenset) else [answer]:
            try:
                indicator.option(option_id)
            except KeyError as exc:
                raise AnswerError(exc.args[0]) from None


def points_for(indicator: Indicator, answer: Answer) -> float | None:
    """Points an answer earns, or None for "don't know" (which is not scored)."""
    if answer == DONT_KNOW:
        return None
    if isinstance(answer, frozenset):
        total = sum(indicator.option(option_id).points for option_id in answer)
        if total >= indicator.max_points - MULTI_SELECT_ROUNDING:
            return indicator.max_points
        return total
    return indicator.option(answer).points


def score(
    model: IndexModel,
    answers: Answers,
    *,
    scope: str = "full",
    network: Mapping[str, float] | None = None,
    lang: str = "en",
) -> Result:
    """Score `answers` on the questions of `scope` against optional network averages per area."""
    validate_answers(model, answers)
    in_scope = indicators_for(model, scope)
    scoped_ids = {indicator.id for indicator in in_scope}
    network = network or {}
    areas = [
        _score_area(model, area, answers, scoped_ids, network.get(area.id), lang)
        for area in model.areas
        if any(indicator.id in scoped_ids for indicator in area.indicators)
    ]
    lens = overall = None
    if scope in SCOPES:
        by_id = {area.id: area.score for area in areas}
        composite_scores = {
            composite.id: _weighted_mean(
                (by_id.get(member), model.area(member).weight) for member in composite.members
            )
            if _enough_scored([by_id.get(member) for member in composite.members])
            else None
            for composite in model.composites
        }
        lens = next(iter(composite_scores.values()), None)
        if _enough_scored([area.score for area in areas]):
            overall = _weighted_mean(
                (
                    composite_scores.get(heading, by_id.get(heading)),
                    _heading_weight(model, heading),
                )
                for heading in model.scoring.overall.headings
            )
    return Result(
        overall=overall,
        lens=lens,
        areas=areas,
        scope=scope,
        model_version=model.version,
        disclaimer=model.disclaimer_in(lang),
        rule=model.flagging.rule_in(lang),
    )


def compare(previous: Result, current: Result) -> list[AreaDelta]:
    """Per-area change from an earlier self-check to a later one (areas of `current`)."""
    before = {area.id: area.score for area in previous.areas}
    deltas = []
    for area in current.areas:
        old = before.get(area.id)
        delta = None if old is None or area.score is None else round(area.score - old, 1)
        deltas.append(AreaDelta(area.id, area.name, old, area.score, delta))
    return deltas


def _known_indicator(model: IndexModel, indicator_id: object) -> Indicator:
    if not isinstance(indicator_id, str):
        raise AnswerError(f"indicator ids are strings, got {indicator_id!r}")
    try:
        return model.indicator(indicator_id)
    except KeyError:
        raise AnswerError(f"unknown indicator '{indicator_id}'") from None


def _score_area(
    model: IndexModel,
    area: Area,
    answers: Answers,
    scoped_ids: set[str],
    network_average: float | None,
    lang: str,
) -> AreaResult:
    earned = possible = 0.0
    answered = dont_know = skipped = 0
    scoped = [indicator for indicator in area.indicators if indicator.id in scoped_ids]
    for indicator in scoped:
        answer = answers.get(indicator.id)
        if answer is None:
            skipped += 1
            continue
        points = points_for(indicator, answer)
        if points is None:
            dont_know += 1
            continue
        answered += 1
        earned += points
        possible += indicator.max_points
    value = round(100 * earned / possible, 1) if possible else None
    weak, strong, reason = _flag(model, value, network_average, lang)
    return AreaResult(
        id=area.id,
        name=area.name_in(lang),
        score=value,
        earned=round(earned, 6),
        possible=possible,
        answered=answered,
        dont_know=dont_know,
        skipped=skipped,
        total=len(scoped),
        coverage=round(answered / len(area.indicators), 3),
        network_average=network_average,
        weak=weak,
        strong=strong,
        reason=reason,
    )


def _flag(
    model: IndexModel, value: float | None, network: float | None, lang: str
) -> tuple[bool, bool, str]:
    """Apply the model's weak/strong rule; weak wins when both would apply."""
    texts = _REASONS.get(lang[:2], _REASONS["en"])
    if value is None:
        return False, False, texts["unscored"]
    rule = model.flagging
    fill = {
        "network": f"{network:g}" if network is not None else "",
        "floor": f"{rule.weak.below_score:g}",
        "margin": f"{rule.strong.above_network_average_by or 0:g}",
        "at_least": f"{rule.strong.at_least_score or 0:g}",
    }
    weak_reasons = []
    if rule.weak.below_network_average and network is not None and value < network:
        weak_reasons.append(texts["below_network"])
    if value < rule.weak.below_score:
        weak_reasons.append(texts["below_floor"])
    if weak_reasons:
        return True, False, "; ".join(weak_reasons).format(**fill)
    strong_reasons = []
    margin = rule.strong.above_network_average_by
    if margin is not None and network is not None and value >= network + margin:
        strong_reasons.append(texts["above_network"])
    if rule.strong.at_least_score is not None and value >= rule.strong.at_least_score:
        strong_reasons.append(texts["at_least"])
    if strong_reasons:
        return False, True, "; ".join(strong_reasons).format(**fill)
    middle = texts["middle"] if network is not None else texts["middle_no_network"]
    return False, False, middle.format(**fill)


def _heading_weight(model: IndexModel, heading: str) -> float:
    for composite in model.composites:
        if composite.id == heading:
            return composite.weight
    return model.area(heading).weight


def _enough_scored(scores: Sequence[float | None]) -> bool:
    """Whether enough of these areas got a score (`OVERALL_MIN_SCORED`) for a figure combining
    them to mean something: after "Don't know" almost everywhere, "Overall: 0/100" would
    rest on a single area."""
    return sum(score is not None for score in scores) >= OVERALL_MIN_SCORED * len(scores)


def _weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Weighted mean of the values that exist; None when none does."""
    scored = [(value, weight) for value, weight in pairs if value is not None]
    if not scored:
        return None
    return round(sum(v * w for v, w in scored) / sum(w for _, w in scored), 1)
