"""One self-check question as a message: the indicator, its options as buttons, where the
officer is in the check and what they answered before (for Back and resumed checks).

Rendering only; `selfcheck_flow` decides which question is current and stores the answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import payloads
from bot.core.actions import StepAction
from bot.core.html_format import join_lines, shorten
from bot.core.messages import Button, Reply
from bot.core.payloads import ButtonKind
from bot.core.texts import Safe, escape
from bot.core.turn import Turn
from bot.storage import repo
from bot.storage.models import AnswerKind, IndicatorAnswer, SelfcheckRun
from scoring.score import indicators_for

if TYPE_CHECKING:
    from scoring.model import IndexModel, Indicator

#: Option labels longer than this are shortened on the button and listed in full in the text.
BUTTON_LABEL_CHARS = 56


def indicators_in_scope(model: IndexModel, scope: str) -> list[Indicator]:

    return indicators_for(model, scope)


def scope_name(turn: Turn, scope: str) -> Safe:
    if scope.startswith("area:"):
        area_id = scope.removeprefix("area:")
        try:
            name = turn.services.index_model.area(area_id).name_in(turn.lang)
        except KeyError:
            name = area_id
        return turn.t("scope_area", area=name)
    return turn.t(f"scope_{scope}")


def question_reply(
    turn: Turn, run: SelfcheckRun, *, edit: bool = False, toast: str | None = None
) -> Reply:
    """The run's current question with its buttons and the progress line."""
    model = turn.services.index_model
    indicators = indicators_in_scope(model, run.scope)
    position = min(run.position, len(indicators) - 1)
    indicator = indicators[position]
    area_ids = list(dict.fromkeys(i.area_id for i in indicators))
    with turn.read() as session:
        current = repo.answers_for(session, run_id=run.id or 0).get(indicator.id)
    progress = turn.t(
        "sc_progress",
        area=area_ids.index(indicator.area_id) + 1,
        areas=len(area_ids),
        question=position + 1,
        questions=len(indicators),
    )
    labels = [option.label_in(turn.lang) for option in indicator.options]
    long_labels = any(len(label) > BUTTON_LABEL_CHARS for label in labels)
    listing = (
        [Safe(f"{n}. {escape(label)}") for n, label in enumerate(labels, start=1)]
        if long_labels
        else []
    )
    text = join_lines(
        Safe(f"<i>{progress}</i>"),
        Safe(f"<b>{escape(model.area(indicator.area_id).name_in(turn.lang))}</b>"),
        "",
        escape(indicator.question_in(turn.lang)),
        *listing,
        turn.t("sc_multi_hint") if indicator.multi else "",
        _current_answer_line(turn, indicator, current),
    )
    return Reply(
        text=text,
        buttons=_question_buttons(turn, run, position, indicator, labels, current),
        edit=edit,
        toast=toast,
    )


def _current_answer_line(turn: Turn, indicator: Indicator, current: IndicatorAnswer | None) -> str:
    if current is None or (indicator.multi and current.kind == AnswerKind.OPTION):
        return ""
    if current.kind == AnswerKind.DONT_KNOW:
        answer = turn.t("sc_answer_dont_know")
    elif current.kind == AnswerKind.SKIPPED:
        answer = turn.t("sc_answer_skipped")
    else:
        chosen = [o.label_in(turn.lang) for o in indicator.options if o.id in current.options]
        answer = escape(", ".join(chosen))
    return turn.t("sc_current_answer", answer=answer)


def _question_buttons(
    turn: Turn,
    run: SelfcheckRun,
    position: int,
    indicator: Indicator,
    labels: list[str],
    current: IndicatorAnswer | None,
) -> tuple[tuple[Button, ...], ...]:
    def step(action: StepAction, *arg: int) -> str:
        return payloads.make(ButtonKind.SELFCHECK_STEP, run.id, position, action, *arg)

    chosen = set(current.options) if current and current.kind == AnswerKind.OPTION else set()
    rows: list[tuple[Button, ...]] = []
    for index, (option, label) in enumerate(zip(indicator.options, labels, strict=True)):
        short = shorten(label, BUTTON_LABEL_CHARS)
        if indicator.multi:
            mark = "☑ " if option.id in chosen else "☐ "
            rows.append((Button(mark + short, step(StepAction.TOGGLE, index)),))
        else:
            mark = "✓ " if option.id in chosen else ""
            rows.append((Button(mark + short, step(StepAction.OPTION, index)),))
    if indicator.multi:
        rows.append((Button(turn.t("btn_done"), step(StepAction.DONE)),))
    rows.append(
        (
            Button(turn.t("btn_dont_know"), step(StepAction.DONT_KNOW)),
            Button(turn.t("btn_skip"), step(StepAction.SKIP)),
        )
    )
    nav = [Button(turn.t("btn_pause"), step(StepAction.PAUSE))]
    if position > 0:
        nav.insert(0, Button(turn.t("btn_back"), step(StepAction.BACK)))
    rows.append(tuple(nav))
    return tuple(rows)
