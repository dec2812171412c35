"""The ICC Index self-assessment model: versioned data under corpus/index/, validated on load.

The questionnaire is data, not code, so the secretariat can replace the whole YAML file with the
official questionnaire and the assistant follows without a code change. Everything a user sees
from it must be labelled an estimate; the model carries that disclaimer in every language it has.
Validation is strict (unknown keys are errors) so that a typo such as `point:` for `points:`
fails at start-up with a message naming the item, instead of silently scoring zero.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator

log = logging.getLogger(__name__)

#: Where the bundled, versioned model lives (data only; replaced by the secretariat as a whole).
DEFAULT_MODEL_PATH = (
    Path(__file__).resolve().parent.parent / "corpus" / "index" / "icc_index_model.yaml"
)

#: Texts fall back to this language when a translation is missing.
FALLBACK_LANGUAGE = "en"

#: Option points are rounded in the data (0.333, 0.143): a multi-select total this close to the
#: maximum counts as the maximum, so ticking every item always earns full marks.
MULTI_SELECT_ROUNDING = 0.01

#: An option id the answer codec reserves for "don't know" (see scoring.score.DONT_KNOW).
RESERVED_OPTION_IDS = frozenset({"dont_know"})

Confidence = Literal["confirmed", "inferred", "official"]
AnswerType = Literal["yes_no", "single_choice", "multi_select", "percentage_band"]


class ModelError(ValueError):
    """The Index model file is missing, unreadable or invalid; the message names the bad item."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalizedText(RootModel[dict[str, str]]):
    """A text in several languages keyed by ISO 639-1 code; English is required."""

    @model_validator(mode="after")
    def _needs_english(self) -> LocalizedText:
        if not self.root.get(FALLBACK_LANGUAGE, "").strip():
            raise ValueError(f"needs a non-empty '{FALLBACK_LANGUAGE}' text")
        return self

    def get(self, lang: str | None = None) -> str:
        """The text in `lang`, or in English when that translation is missing."""
        text = self.root.get((lang or FALLBACK_LANGUAGE).lower()[:2], "")
        return text if text.strip() else self.root[FALLBACK_LANGUAGE]

    @property
    def languages(self) -> frozenset[str]:
        """Languages this text is available in."""
        return frozenset(lang for lang, text in self.root.items() if text.strip())


class Option(_Strict):
    """One answer option; `points` is what choosing (or ticking) it earns."""

    id: str = Field(min_length=1)
    label: LocalizedText
    points: float = Field(ge=0)

    def label_in(self, lang: str | None = None) -> str:
        """The option label in `lang` (English fallback)."""
        return self.label.get(lang)


class Indicator(_Strict):
    """One question of the Index, with its options and provenance (confidence, evidence)."""

    id: str = Field(min_length=1)
    area_id: str = ""  # filled in by the owning Area
    question: LocalizedText
    answer_type: AnswerType
    quick: bool = False
    options: list[Option] = Field(min_length=2)
    max_points: float = Field(gt=0)
    scoring_rule: str | None = None
    confidence: Confidence
    confirmed_scope: str | None = None
    scoring_confidence: str | None = None
    support: Literal["strong", "moderate", "weak"] | None = None
    evidence: list[str] = Field(default_factory=list)
    note: str | None = None

    @property
    def multi(self) -> bool:
        """True when several options may be ticked (points add up, capped at max_points)."""
        return self.answer_type == "multi_select"

    def question_in(self, lang: str | None = None) -> str:
        """The question in `lang` (English fallback)."""
        return self.question.get(lang)

    def option(self, option_id: str) -> Option:
        """The option with this id; KeyError naming the valid ids otherwise."""
        for option in self.options:
            if option.id == option_id:
                return option
        valid = ", ".join(o.id for o in self.options)
        raise KeyError(f"unknown option '{option_id}' for {self.id} (valid: {valid})")

    @model_validator(mode="after")
    def _check_options(self) -> Indicator:
        ids = [o.id for o in self.options]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate option ids: {', '.join(duplicates)}")
        reserved = RESERVED_OPTION_IDS.intersection(ids)
        if reserved:
            raise ValueError(f"option id {sorted(reserved)[0]!r} is reserved for 'don't know'")
        if self.multi:
            total = sum(o.points for o in self.options)
            if total < self.max_points - MULTI_SELECT_ROUNDING:
                raise ValueError(
                    f"max_points mismatch: max_points is {self.max_points} but ticking every "
                    f"option earns only {total:g}"
                )
        else:
            best = max(o.points for o in self.options)
            if abs(best - self.max_points) > 1e-9:
                raise ValueError(
                    f"max_points mismatch: max_points is {self.max_points} but the best option "
                    f"earns {best:g}"
                )
        return self


class Area(_Strict):
    """A policy area (scored heading) with its indicators."""

    id: str = Field(min_length=1)
    name: LocalizedText
    description: LocalizedText
    old_version_name: str | None = None
    group: str | None = None
    core: bool
    weight: float = Field(gt=0)
    weight_confidence: str | None = None
    confidence: Confidence
    evidence: list[str] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)

    @property
    def optional(self) -> bool:
        """Optional areas are scored but stay out of the overall index."""
        return not self.core

    def name_in(self, lang: str | None = None) -> str:
        """The area name in `lang` (English fallback)."""
        return self.name.get(lang)

    def description_in(self, lang: str | None = None) -> str:
        """The area description in `lang` (English fallback)."""
        return self.description.get(lang)

    @model_validator(mode="after")
    def _own_indicators(self) -> Area:
        for indicator in self.indicators:
            indicator.area_id = self.id
        return self


class Composite(_Strict):
    """A heading made of several areas (the "intercultural lens"): weighted mean of its members."""

    id: str = Field(min_length=1)
    name: LocalizedText
    members: list[str] = Field(min_length=1)
    weight: float = Field(gt=0)
    aggregation: str | None = None
    confidence: Confidence
    aggregation_confidence: str | None = None
    evidence: list[str] = Field(default_factory=list)

    def name_in(self, lang: str | None = None) -> str:
        """The composite's name in `lang` (English fallback)."""
        return self.name.get(lang)


class Overall(_Strict):
    """Which headings (area or composite ids) make up the overall index."""

    headings: list[str] = Field(min_length=1)
    aggregation: str | None = None
    confidence: str | None = None


class Scoring(BaseModel):
    """How scores combine; free-text provenance keys are kept as they are."""

    model_config = ConfigDict(extra="allow")
    overall: Overall
    composites: list[Composite] = Field(default_factory=list)


class WeakRule(_Strict):
    """An area is weak below the network average (if enabled and known) or below a floor."""

    below_network_average: bool
    below_score: float = Field(ge=0, le=100)


class StrongRule(_Strict):
    """An area is strong this far above the network average, or at or above a score."""

    above_network_average_by: float | None = Field(default=None, ge=0)
    at_least_score: float | None = Field(default=None, ge=0, le=100)


class Flagging(BaseModel):
    """The weak/strong rule as data, with the human-readable rule shown to users."""

    model_config = ConfigDict(extra="allow")
    weak: WeakRule
    strong: StrongRule
    rule: LocalizedText

    def rule_in(self, lang: str | None = None) -> str:
        """The rule as shown to users, with this model's thresholds filled in."""
        return self.rule.get(lang).format(**self._placeholders())

    def _placeholders(self) -> dict[str, str]:
        def num(value: float | None) -> str:
            return "-" if value is None else f"{value:g}"

        return {
            "weak_below": num(self.weak.below_score),
            "strong_margin": num(self.strong.above_network_average_by),
            "strong_at_least": num(self.strong.at_least_score),
        }

    @model_validator(mode="after")
    def _rule_formats(self) -> Flagging:
        for lang in self.rule.languages:
            try:
                self.rule_in(lang)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(f"rule ({lang}) has an unknown placeholder: {exc}") from exc
        return self


class IndexModel(_Strict):
    """The whole self-assessment model: areas, indicators, how to combine and flag them."""

    version: str = Field(min_length=1)
    title: LocalizedText
    status: str | None = None
    disclaimer: LocalizedText
    translations: dict[str, str] = Field(default_factory=dict)
    provenance: dict[str, Any] = Field(default_factory=dict)
    scoring: Scoring
    flagging: Flagging
    context_questions: list[dict[str, Any]] = Field(default_factory=list)
    areas: list[Area] = Field(min_length=1)

    @property
    def indicators(self) -> list[Indicator]:
        """Every indicator, in questionnaire order."""
        return [indicator for area in self.areas for indicator in area.indicators]

    @property
    def quick_check_ids(self) -> list[str]:
        """Ids of the indicators in the quick check, in questionnaire order."""
        return [indicator.id for indicator in self.indicators if indicator.quick]

    @property
    def composites(self) -> list[Composite]:
        """Headings made of several areas (e.g. the intercultural lens)."""
        return self.scoring.composites

    def area(self, area_id: str) -> Area:
        """The area with this id; KeyError naming it otherwise."""
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"unknown area '{area_id}'")

    def area_name(self, area_id: str, lang: str) -> str:
        """The area's name in `lang`, or its id when the model no longer has it (an old
        request or result)."""
        try:
            return self.area(area_id).name_in(lang)
        except KeyError:
            return area_id

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; KeyError naming it otherwise."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(f"unknown indicator '{indicator_id}'")

    def disclaimer_in(self, lang: str | None = None) -> str:
        """The 'estimate, not an official result' label in `lang` (English fallback)."""
        return self.disclaimer.get(lang)

    @model_validator(mode="after")
    def _check_structure(self) -> IndexModel:
        area_ids = [a.id for a in self.areas]
        _no_duplicates("area ids", area_ids)
        _no_duplicates("indicator ids", [i.id for i in self.indicators])
        composite_ids = [c.id for c in self.composites]
        _no_duplicates("composite ids", composite_ids)
        clash = set(area_ids).intersection(composite_ids)
        if clash:
            raise ValueError(f"composite id {sorted(clash)[0]!r} is also an area id")
        in_composites: set[str] = set()
        for composite in self.composites:
            for member in composite.members:
                if member not in area_ids:
                    raise ValueError(f"composite {composite.id!r}: unknown member area {member!r}")
                in_composites.add(member)
        headings = self.scoring.overall.headings
        _no_duplicates("overall headings", headings)
        for heading in headings:
            if heading not in area_ids and heading not in composite_ids:
                raise ValueError(f"scoring.overall: unknown heading {heading!r}")
            if heading in in_composites:
                raise ValueError(f"scoring.overall: {heading!r} is already inside a composite")
        counted = set(headings).union(*(c.members for c in self.composites if c.id in headings))
        for area in self.areas:
            if area.core and area.id not in counted:
                raise ValueError(f"core area {area.id!r} is not counted in scoring.overall")
        if not self.quick_check_ids:
            raise ValueError("no indicator is marked 'quick: true', the quick check would be empty")
        return self


def _no_duplicates(what: str, values: list[str]) -> None:
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what}: {', '.join(duplicates)}")


def parse_index_model(data: Mapping[str, Any], *, source: str = "index model") -> IndexModel:
    """Validate already-parsed data into an IndexModel; ModelError names each bad item."""
    if not isinstance(data, Mapping):
        raise ModelError(f"{source}: expected a mapping at the top level")
    try:
        return IndexModel.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{_describe_location(data, err['loc'])}: {err['msg']}"
            for err in exc.errors(include_url=False)
        ]
        raise ModelError(f"{source} is invalid:\n  " + "\n  ".join(problems)) from None


def load_index_model(path: Path | None = None) -> IndexModel:
    """Load and validate the Index model (the bundled versioned one when `path` is None)."""
    path = path or DEFAULT_MODEL_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"cannot read the Index model {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ModelError(f"the Index model {path} is not valid YAML: {exc}") from None
    model = parse_index_model(data, source=str(path))
    log.debug(
        "Index model %s: %d areas, %d indicators",
        model.version,
        len(model.areas),
        len(model.indicators),
    )
    return model


def _describe_location(data: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into a path that names items by id (areas[1](education))."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
            node = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(node, Mapping) and isinstance(node.get("id"), str):
                parts[-1] += f"({node['id']})"
        else:
            if key == "root":  # a LocalizedText's own level adds nothing for the reader
                continue
            parts.append(str(key))
            node = node.get(key) if isinstance(node, Mapping) else None
    return ".".join(parts) or "top level"
