"""Scoring: extremes, partial checks, don't-know, flagging as data, monotonicity, comparison."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.model import IndexModel
from scoring.score import (
    DONT_KNOW,
    AnswerError,
    compare,
    indicators_for,
    parse_answers,
    points_for,
    score,
)


def test_all_best_answers_give_100_and_no_weak_area(model: IndexModel, best_answers) -> None:
    result = score(model, best_answers)
    assert result.overall == 100
    assert result.lens == 100
    assert all(area.score == 100 for area in result.areas)
    assert not result.weak_areas
    assert len(result.strong_areas) == len(model.areas)


def test_all_worst_answers_give_0_and_every_area_weak(model: IndexModel, worst_answers) -> None:
    result = score(model, worst_answers)
    assert result.overall == 0
    assert result.lens == 0
    assert all(area.score == 0 for area in result.areas)
    assert [a.id for a in result.weak_areas] == [a.id for a in model.areas]


def test_best_answers_stay_clear_of_weak_even_against_a_high_network(
    model: IndexModel, best_answers
) -> None:
    network = {area.id: 99.0 for area in model.areas}
    assert not score(model, best_answers, network=network).weak_areas


def test_result_carries_disclaimer_rule_and_version(model: IndexModel) -> None:
    result = score(model, {}, lang="fr")
    assert result.disclaimer == model.disclaimer_in("fr")
    assert result.rule == model.flagging.rule_in("fr")
    assert result.model_version == model.version
    assert result.overall is None
    assert all(area.score is None and not area.weak for area in result.areas)


def test_dont_know_and_skipped_are_left_out_and_reported(model: IndexModel) -> None:
    answers = {"com_public_statement": "yes", "com_strategy": DONT_KNOW, "com_budget": "no"}
    area = score(model, answers).area("commitment")
    assert area.score == 50
    assert (area.answered, area.dont_know, area.skipped, area.total) == (2, 1, 6, 9)
    assert area.coverage == pytest.approx(2 / 9, abs=0.001)


def test_quick_scope_scores_only_quick_questions_and_reports_partial_coverage(
    model: IndexModel, best_answers, worst_answers
) -> None:
    quick = set(model.quick_check_ids)
    mixed = {i: (best_answers[i] if i in quick else worst_answers[i]) for i in best_answers}
    result = score(model, mixed, scope="quick")
    assert result.overall == 100
    commitment = result.area("commitment")
    assert commitment.total == 2
    assert commitment.coverage == pytest.approx(2 / 9, abs=0.001)
    assert score(model, mixed, scope="full").overall < 100


def test_one_area_scope(model: IndexModel, best_answers) -> None:
    result = score(model, best_answers, scope="area:language")
    assert [a.id for a in result.areas] == ["language"]
    assert result.overall is None
    assert [i.area_id for i in indicators_for(model, "area:language")] == ["language"] * 5


@pytest.mark.parametrize("scope", ["area:nowhere", "everything", ""])
def test_unknown_scope_is_refused(model: IndexModel, scope: str) -> None:
    with pytest.raises(ValueError, match="scope"):
        indicators_for(model, scope)


def test_optional_areas_are_scored_but_stay_out_of_the_overall(
    model: IndexModel, best_answers
) -> None:
    answers = dict(best_answers)
    for area_id in ("participation", "interaction"):
        for indicator in model.area(area_id).indicators:
            answers[indicator.id] = "no"
    result = score(model, answers)
    assert result.area("participation").score == 0
    assert result.overall == 100


def test_lens_is_the_mean_of_its_members_and_counts_once(
    model: IndexModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scoring.score.OVERALL_MIN_SCORED", 0.0)  # the arithmetic alone
    answers = {i.id: "yes" for i in model.area("education").indicators if i.answer_type == "yes_no"}
    answers["com_budget"] = "no"
    result = score(model, answers)
    assert result.area("education").score == 100
    assert result.lens == 100
    assert result.overall == 50  # lens 100 and commitment 0, equal weights


def test_no_overall_or_lens_figure_rests_on_too_few_scored_areas(
    model: IndexModel, best_answers
) -> None:
    def unknown(areas) -> dict:  # "Don't know" on every question of these areas
        return {i.id: DONT_KNOW for area in areas for i in area.indicators}

    lens = set(model.composites[0].members)
    others = [area for area in model.areas if area.id not in lens]
    half = len(model.areas) // 2  # 8 of 17 areas unknown: 9 scored, at least half
    given = score(model, best_answers | unknown(others[:half]))
    assert given.scored_areas == (len(model.areas) - half, len(model.areas))
    assert given.overall == 100 and given.lens == 100
    hidden = score(model, best_answers | unknown(others[: half + 1]))
    assert hidden.overall is None and hidden.lens == 100  # the lens areas are all scored
    lens_areas = [area for area in model.areas if area.id in lens]
    few_lens = score(model, best_answers | unknown(lens_areas[: len(lens_areas) // 2 + 1]))
    assert few_lens.lens is None and few_lens.overall is not None


def test_weak_and_strong_follow_the_network_and_the_floors(model: IndexModel) -> None:
    answers = {"com_public_statement": "yes", "com_strategy": "in_preparation"}  # 75
    plain = score(model, answers).area("commitment")
    assert not plain.weak and not plain.strong
    assert "no network average" in plain.reason
    below = score(model, answers, network={"commitment": 80}).area("commitment")
    assert below.weak and below.network_average == 80
    assert "network average of 80" in below.reason
    above = score(model, answers, network={"commitment": 60}).area("commitment")
    assert above.strong and not above.weak


def test_multi_select_counts_ticks_and_rounding_still_reaches_full_marks(
    model: IndexModel,
) -> None:
    media = model.indicator("lan_minority_media")  # three options of 0.333
    assert points_for(media, frozenset({"print"})) == pytest.approx(0.333)
    assert points_for(media, frozenset({"print", "radio", "tv_online"})) == media.max_points
    assert points_for(media, frozenset()) == 0
    assert points_for(media, DONT_KNOW) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"no_such_question": "yes"}, "unknown indicator 'no_such_question'"),
        ({"com_budget": "maybe"}, "unknown option 'maybe' for com_budget"),
        ({"com_budget": ["yes"]}, "com_budget: expected one option id"),
        ({"med_settings": ["police", "moon"]}, "unknown option 'moon' for med_settings"),
        ({"med_settings": 3}, "expected a list"),
    ],
)
def test_bad_answers_are_named(model: IndexModel, raw: dict, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        parse_answers(model, raw)


def test_parse_answers_accepts_lists_single_ticks_and_dont_know(model: IndexModel) -> None:
    answers = parse_answers(
        model,
        {
            "med_settings": ["police", "schools"],
            "wel_target_groups": "refugees",
            "com_budget": DONT_KNOW,
            "lan_minority_media": DONT_KNOW,
        },
    )
    assert answers["med_settings"] == frozenset({"police", "schools"})
    assert answers["wel_target_groups"] == frozenset({"refugees"})
    assert answers["com_budget"] == DONT_KNOW


def test_compare_reports_deltas_per_area(model: IndexModel) -> None:
    before = score(model, {"edu_mixing_policy": "no", "com_budget": "yes"})
    after = score(model, {"edu_mixing_policy": "yes", "com_budget": "yes"})
    deltas = {d.id: d for d in compare(before, after)}
    assert deltas["education"].delta == 100
    assert deltas["commitment"].delta == 0
    assert deltas["language"].delta is None


def _improvements(model: IndexModel):
    """(indicator id, worse answer, better answer) for every way to improve one answer."""
    pairs = []
    for indicator in model.indicators:
        if indicator.multi:
            ids = [o.id for o in indicator.options]
            for n in range(len(ids)):
                pairs.append((indicator.id, frozenset(ids[:n]), frozenset(ids[: n + 1])))
        else:
            ranked = sorted(indicator.options, key=lambda o: o.points)
            for low, high in pairwise(ranked):
                if high.points > low.points:
                    pairs.append((indicator.id, low.id, high.id))
    return pairs


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_improving_one_answer_never_lowers_any_score(model: IndexModel, data) -> None:
    indicators = model.indicators
    answers = {}
    for indicator in indicators:
        choice = data.draw(st.sampled_from(["skip", DONT_KNOW, *[o.id for o in indicator.options]]))
        if choice == "skip":
            continue
        if indicator.multi and choice != DONT_KNOW:
            ticks = data.draw(st.sets(st.sampled_from([o.id for o in indicator.options])))
            answers[indicator.id] = frozenset(ticks)
        else:
            answers[indicator.id] = choice
    indicator_id, worse, better = data.draw(st.sampled_from(_improvements(model)))
    scope = data.draw(st.sampled_from(["full", "quick"]))
    before = score(model, {**answers, indicator_id: worse}, scope=scope)
    after = score(model, {**answers, indicator_id: better}, scope=scope)
    for old, new in zip(before.areas, after.areas, strict=True):
        if old.score is not None:
            assert new.score >= old.score, (old.id, indicator_id)
    for field in ("overall", "lens"):
        old_value, new_value = getattr(before, field), getattr(after, field)
        if old_value is not None:
            assert new_value >= old_value
