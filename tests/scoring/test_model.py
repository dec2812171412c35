"""The bundled Index model loads, is complete in English and French, and bad data is named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.model import DEFAULT_MODEL_PATH, IndexModel, ModelError, load_index_model


@pytest.fixture
def raw() -> dict[str, Any]:
    """The bundled model as plain data, to break in each test."""
    return yaml.safe_load(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))


def _load(tmp_path: Path, data: dict[str, Any]) -> IndexModel:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_index_model(path)


def test_bundled_model_shape(model: IndexModel) -> None:
    assert model.version
    assert len(model.areas) == 17
    assert len(model.indicators) == 88
    assert [a.id for a in model.areas if a.optional] == ["participation", "interaction"]
    lens = model.composites[0]
    assert lens.id == "intercultural_lens"
    assert len(lens.members) == 6
    assert model.indicator("com_budget").confidence == "confirmed"
    assert model.indicator("com_budget").evidence
    assert model.indicator("com_budget").area_id == "commitment"


def test_quick_check_covers_every_area_with_one_or_two_questions(model: IndexModel) -> None:
    quick = set(model.quick_check_ids)
    assert 20 <= len(quick) <= 30
    for area in model.areas:
        assert 1 <= sum(i.id in quick for i in area.indicators) <= 2, area.id


def test_every_text_shown_exists_in_english_and_french(model: IndexModel) -> None:
    for area in model.areas:
        assert area.name_in("fr") != area.name_in("en") or area.id in {
            "participation",
            "interaction",
        }
        for indicator in area.indicators:
            assert indicator.question.languages >= {"en", "fr"}, indicator.id
            for option in indicator.options:
                assert option.label.languages >= {"en", "fr"}, (indicator.id, option.id)
    assert "official" in model.disclaimer_in("en").lower()
    assert "officiel" in model.disclaimer_in("fr").lower()
    assert model.flagging.rule_in("fr") != model.flagging.rule_in("en")


def test_missing_translation_falls_back_to_english(model: IndexModel) -> None:
    indicator = model.indicator("com_budget")
    assert indicator.question_in("de") == indicator.question_in("en")
    assert indicator.question_in("fr-FR") == indicator.question_in("fr")


def test_rule_text_carries_the_thresholds_from_the_data(tmp_path: Path, raw: dict) -> None:
    raw["flagging"]["weak"]["below_score"] = 42
    model = _load(tmp_path, raw)
    assert "42" in model.flagging.rule_in("en")
    assert "42" in model.flagging.rule_in("fr")


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda d: d["areas"][1]["indicators"][2]["options"][0].pop("points"), "points"),
        (lambda d: d["areas"][2]["indicators"][0].update(max_points=2.0), "max_points mismatch"),
        (
            lambda d: d["areas"][3]["indicators"][0].update(id="com_budget"),
            "duplicate indicator ids: com_budget",
        ),
        (lambda d: d["areas"][4].update(id="commitment"), "duplicate area ids: commitment"),
        (
            lambda d: d["areas"][0]["indicators"][0]["options"][1].update(id="yes"),
            "duplicate option ids: yes",
        ),
        (lambda d: d["areas"][0]["name"].pop("en"), "needs a non-empty 'en' text"),
        (lambda d: d["areas"][0]["indicators"][0].update(answer_type="free"), "answer_type"),
        (lambda d: d["scoring"]["composites"][0]["members"].append("nowhere"), "nowhere"),
        (lambda d: d["scoring"]["overall"]["headings"].remove("language"), "'language'"),
        (lambda d: d["flagging"]["rule"].update(en="weak below {floor}"), "placeholder"),
        (lambda d: d["areas"][0]["indicators"][0].update(pointz=1), "pointz"),
        (lambda d: d.pop("version"), "version"),
    ],
)
def test_invalid_model_is_refused_with_a_message_naming_the_item(
    tmp_path: Path, raw: dict, breakage: Any, message: str
) -> None:
    broken = copy.deepcopy(raw)
    breakage(broken)
    with pytest.raises(ModelError) as caught:
        _load(tmp_path, broken)
    assert message in str(caught.value)


def test_error_location_names_area_indicator_and_option_ids(tmp_path: Path, raw: dict) -> None:
    raw["areas"][1]["indicators"][2]["options"][0].pop("points")
    with pytest.raises(ModelError) as caught:
        _load(tmp_path, raw)
    assert "areas[1](education).indicators[2](edu_parent_involvement).options[0](most).points" in (
        str(caught.value)
    )


def test_unreadable_files_raise_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        load_index_model(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("areas: [unclosed", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid YAML"):
        load_index_model(bad)


def test_a_replacement_questionnaire_needs_no_code_change(tmp_path: Path, raw: dict) -> None:
    """A secretariat file with other areas, weights and questions loads and scores as is."""
    from scoring.score import score

    raw["version"] = "official-2027"
    raw["areas"] = raw["areas"][:2]
    raw["areas"][1]["weight"] = 3.0
    raw["scoring"]["composites"] = []
    raw["scoring"]["overall"]["headings"] = ["commitment", "education"]
    raw["areas"][0]["indicators"] = raw["areas"][0]["indicators"][:1]
    raw["areas"][0]["indicators"][0]["quick"] = True
    model = _load(tmp_path, raw)
    result = score(model, {"com_public_statement": "yes", "edu_mixing_policy": "no"})
    assert result.model_version == "official-2027"
    assert result.area("commitment").score == 100
    assert result.area("education").score == 0
    assert result.overall == 25.0
    assert result.lens is None
