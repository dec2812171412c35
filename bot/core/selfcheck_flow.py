"""The ICC Index self-check as a conversation: one indicator per message, answered with buttons.

Every press is one short write transaction that re-reads the run, checks the button still
matches it (owner, run, current position), stores the answer (an upsert on UNIQUE(run,
indicator)) and moves the run on only if its version is unchanged. So a double tap, a stale
message or two replicas racing on the same run can neither lose nor duplicate an answer: the
loser re-reads and is told politely where the user now is. The last answer, the score and the
"completed" status commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core import payloads, selfcheck_results
from bot.core.actions import ResumeAction, ScopeChoice, StepAction
from bot.core.errors import InvalidInput, StaleAction
from bot.core.messages import Button, Reply
from bot.core.ownership import owned
from bot.core.payloads import ButtonKind
from bot.core.selfcheck_question import indicators_in_scope, question_reply, scope_name
from bot.core.turn import Turn
from bot.storage import repo
from bot.storage.models import AnswerKind, RunStatus, SelfcheckRun

if TYPE_CHECKING:
    from sqlmodel import Session

    from scoring.score import Result

#: The actions that answer the question (and move on), and those that carry an option index.
ANSWERS = frozenset({StepAction.OPTION, StepAction.DONE, StepAction.DONT_KNOW, StepAction.SKIP})
WITH_OPTION = frozenset({StepAction.OPTION, StepAction.TOGGLE})


class NotCurrent(StaleAction):
    """The pressed button is not for the run's current step; carries the run as it is now."""

    def __init__(self, session: Session, run: SelfcheckRun) -> None:
        super().__init__("not the current step")
        # Detached first: the rollback that follows would expire it otherwise.
        session.expunge(run)
        self.run = run


@dataclass(frozen=True)
class StepOutcome:
    """What a press did, read back after the commit to build the replies."""

    run: SelfcheckRun
    action: StepAction
    result: Result | None = None


# --- entry points ----------------------------------------------------------------------------


def command(turn: Turn, args: str) -> list[Reply]:
    """/selfcheck: offer to resume an open run, else choose quick, full or one area."""
    offer = resume_offer(turn)
    return offer or [scope_choice(turn)]


def resume_offer(turn: Turn) -> list[Reply]:
    """ "Resume or start over?" when the user has an open run (also shown by /start)."""
    model = turn.services.index_model
    with turn.read() as session:
        run = repo.open_run(session, user_id=turn.user_id)
    if run is None:
        return []
    if run.model_version != model.version:
        _abandon(turn, run.id or 0)
        return [Reply(text=turn.t("sc_model_changed"))]
    total = len(indicators_in_scope(model, run.scope))
    text = turn.t(
        "sc_resume_offer",
        scope=scope_name(turn, run.scope),
        question=min(run.position + 1, total),
        questions=total,
    )
    buttons = (
        (
            Button(turn.t("btn_resume"), _resume_data(ResumeAction.RESUME, run)),
            Button(turn.t("btn_start_over"), _resume_data(ResumeAction.START_OVER, run)),
        ),
    )
    return [Reply(text=text, buttons=buttons)]


def scope_choice(turn: Turn, *, edit: bool = False) -> Reply:
    """Quick, full or one area."""
    disclaimer = turn.services.index_model.disclaimer_in(turn.lang)
    buttons = (
        (Button(turn.t("btn_quick"), _scope_data(ScopeChoice.QUICK)),),
        (Button(turn.t("btn_full"), _scope_data(ScopeChoice.FULL)),),
        (Button(turn.t("btn_one_area"), _scope_data(ScopeChoice.AREA_MENU)),),
    )
    return Reply(text=turn.t("sc_choose_scope", disclaimer=disclaimer), buttons=buttons, edit=edit)


def scope_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """A scope button: start a run, or list the areas to pick one."""
    model = turn.services.index_model
    choice = payload.choice(0, ScopeChoice)
    if choice in (ScopeChoice.QUICK, ScopeChoice.FULL):
        return _start(turn, choice.value)  # the scope is stored by this name
    if choice == ScopeChoice.AREA_MENU:
        buttons = tuple(
            (Button(area.name_in(turn.lang), _scope_data(ScopeChoice.AREA, area.id)),)
            for area in model.areas
        )
        return [Reply(text=turn.t("sc_choose_area"), buttons=buttons, edit=True)]
    if choice == ScopeChoice.AREA:
        area_id = payload.field(1)
        try:
            model.area(area_id)
        except KeyError:
            raise InvalidInput("unknown area") from None
        return _start(turn, f"area:{area_id}")
    raise InvalidInput("unknown scope")


def resume_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """ "Resume" shows the current question again; "Start over" abandons the run."""
    action, run_id = payload.choice(0, ResumeAction), payload.int_field(1)
    model = turn.services.index_model

    def change(session: Session) -> SelfcheckRun:
        run = _own_run(session, turn, run_id)
        if run.status not in (RunStatus.ACTIVE, RunStatus.PAUSED):
            raise StaleAction("run is closed")
        if action == ResumeAction.START_OVER or run.model_version != model.version:
            repo.update_run(session, run=run, status=RunStatus.ABANDONED)
        elif run.status == RunStatus.PAUSED:
            repo.update_run(session, run=run, status=RunStatus.ACTIVE)
        return run

    run = turn.write_retrying(change)
    if run.status == RunStatus.ABANDONED:
        if action == ResumeAction.RESUME:
            return [Reply(text=turn.t("sc_model_changed"), edit=True), scope_choice(turn)]
        return [scope_choice(turn, edit=True)]
    return [question_reply(turn, run)]


def step_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """An answer, Don't know, Skip, Back, Pause, a multi-select toggle or Done."""
    run_id, position = payload.int_field(0), payload.int_field(1)
    action = payload.choice(2, StepAction)
    arg = payload.int_field(3) if action in WITH_OPTION else None
    try:
        outcome = turn.write_retrying(
            lambda session: _apply_step(session, turn, run_id, position, action, arg)
        )
    except NotCurrent as stale:
        return _stale_replies(turn, stale.run)
    run = outcome.run
    if outcome.result is not None:
        return selfcheck_results.render(turn, run, outcome.result)
    if run.status == RunStatus.PAUSED:
        return [_paused_reply(turn, run)]
    toast = turn.t("sc_saved") if action in ANSWERS else None
    return [question_reply(turn, run, edit=True, toast=toast)]


def current_state(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """What a self-check press that was already applied shows now, read-only.

    A redelivered press (the bot died after committing it, before its replies went out) must
    not be applied twice, yet the officer still waits for its answer: the results of the run
    it completed (chart, scores, weak areas, mentors, visit buttons), else the run's current
    question, or the pause note. The results are scored again from the stored answers, which
    is what `selfcheck_results.finish` stored.
    """
    with turn.read() as session:
        if payload.kind == ButtonKind.SELFCHECK_SCOPE:
            run = repo.open_run(session, user_id=turn.user_id)
        else:
            # A step's payload starts with the run id; resume's has the action first.
            index = 0 if payload.kind == ButtonKind.SELFCHECK_STEP else 1
            stored = repo.get_run(session, run_id=payload.int_field(index))
            run = owned(stored, by=turn.user_id, what="run")
        result = None
        if run is not None and run.status == RunStatus.COMPLETED:
            result = selfcheck_results.score_run(session, turn, run)
    if run is None:
        return [scope_choice(turn, edit=True)]
    if result is not None:
        return selfcheck_results.render(turn, run, result)
    if run.status == RunStatus.PAUSED:
        return [_paused_reply(turn, run)]
    if run.status == RunStatus.ACTIVE:
        return [question_reply(turn, run, edit=True)]
    return [scope_choice(turn, edit=True)]


def _paused_reply(turn: Turn, run: SelfcheckRun) -> Reply:
    total = len(indicators_in_scope(turn.services.index_model, run.scope))
    text = turn.t("sc_paused", question=min(run.position + 1, total), questions=total)
    button = Button(turn.t("btn_resume"), _resume_data(ResumeAction.RESUME, run))
    return Reply(text=text, buttons=((button,),), edit=True)


def pause_quietly(turn: Turn, run_id: int) -> None:
    """Pause an active run (used by /cancel); a run that moved meanwhile is left as it is."""

    def change(session: Session) -> None:
        run = _own_run(session, turn, run_id)
        if run.status == RunStatus.ACTIVE:
            repo.update_run(session, run=run, status=RunStatus.PAUSED)

    turn.write_retrying(change)


def _scope_data(choice: ScopeChoice, *fields: object) -> str:
    return payloads.make(ButtonKind.SELFCHECK_SCOPE, choice, *fields)


def _resume_data(action: ResumeAction, run: SelfcheckRun) -> str:
    return payloads.make(ButtonKind.SELFCHECK_RESUME, action, run.id)


# --- the step itself -------------------------------------------------------------------------


def _apply_step(
    session: Session,
    turn: Turn,
    run_id: int,
    position: int,
    action: StepAction,
    arg: int | None,
) -> StepOutcome:
    model = turn.services.index_model
    run = _own_run(session, turn, run_id)
    if run.status != RunStatus.ACTIVE or run.position != position:
        raise NotCurrent(session, run)
    if run.model_version != model.version:
        raise NotCurrent(session, run)
    indicators = indicators_in_scope(model, run.scope)
    if position >= len(indicators):
        raise NotCurrent(session, run)
    indicator = indicators[position]
    if action == StepAction.BACK:
        repo.update_run(session, run=run, position=max(0, position - 1))
        return StepOutcome(run, action)
    if action == StepAction.PAUSE:
        repo.update_run(session, run=run, status=RunStatus.PAUSED)
        return StepOutcome(run, action)
    if action in WITH_OPTION:
        assert arg is not None
        if arg >= len(indicator.options) or (action == StepAction.TOGGLE) != indicator.multi:
            raise InvalidInput("option does not fit the question")
        option_id = indicator.options[arg].id
    if action == StepAction.TOGGLE:
        current = repo.answers_for(session, run_id=run_id).get(indicator.id)
        chosen = set(current.options) if current and current.kind == AnswerKind.OPTION else set()
        chosen ^= {option_id}
        ordered = [o.id for o in indicator.options if o.id in chosen]
        repo.save_answer(
            session,
            run_id=run_id,
            indicator_id=indicator.id,
            kind=AnswerKind.OPTION,
            options=ordered,
        )
        repo.update_run(session, run=run)
        return StepOutcome(run, action)
    if action == StepAction.OPTION:
        repo.save_answer(
            session,
            run_id=run_id,
            indicator_id=indicator.id,
            kind=AnswerKind.OPTION,
            options=[option_id],
        )
    elif action == StepAction.DONE:
        if not indicator.multi:
            raise InvalidInput("Done on a single-choice question")
        current = repo.answers_for(session, run_id=run_id).get(indicator.id)
        selected = current.options if current and current.kind == AnswerKind.OPTION else []
        repo.save_answer(
            session,
            run_id=run_id,
            indicator_id=indicator.id,
            kind=AnswerKind.OPTION,
            options=selected,
        )
    else:
        kind = AnswerKind.DONT_KNOW if action == StepAction.DONT_KNOW else AnswerKind.SKIPPED
        repo.save_answer(session, run_id=run_id, indicator_id=indicator.id, kind=kind)
    if position + 1 < len(indicators):
        repo.update_run(session, run=run, position=position + 1)
        return StepOutcome(run, action)
    result = selfcheck_results.finish(session, turn, run)
    return StepOutcome(run, action, result)


def _own_run(session: Session, turn: Turn, run_id: int) -> SelfcheckRun:
    """The run, checked to belong to the sender and locked for the transaction."""
    return owned(repo.get_run(session, run_id=run_id, lock=True), by=turn.user_id, what="run")


def _abandon(turn: Turn, run_id: int) -> None:
    def change(session: Session) -> None:
        run = _own_run(session, turn, run_id)
        if run.status in (RunStatus.ACTIVE, RunStatus.PAUSED):
            repo.update_run(session, run=run, status=RunStatus.ABANDONED)

    turn.write_retrying(change)


def _start(turn: Turn, scope: str) -> list[Reply]:
    model = turn.services.index_model
    try:
        with turn.write() as session:
            run = repo.create_run(
                session,
                user_id=turn.user_id,
                city=turn.user.city,
                scope=scope,
                model_version=model.version,
            )
    except repo.Conflict:
        return [Reply(text=turn.t("sc_already_open")), *resume_offer(turn)]
    return [question_reply(turn, run, edit=True)]


def _stale_replies(turn: Turn, run: SelfcheckRun) -> list[Reply]:
    notice = Reply(text=turn.t("stale_button"), toast=turn.t("stale_button"))
    if run.status == RunStatus.ACTIVE and run.model_version == turn.services.index_model.version:
        return [notice, question_reply(turn, run)]
    if run.status == RunStatus.PAUSED:
        return [notice, *resume_offer(turn)]
    return [notice]
