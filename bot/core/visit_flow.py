"""The officer's side of study visits: /visit, the results' and /mentors' buttons, /myrequests.

A request is drafted step by step (area, mentor city, format, period, group size, note, confirm;
drawn in visit_flow.mmd). The draft lives in ``users.state_data`` under a random token that every
button of the draft carries: a button from an older or abandoned draft no longer matches and
changes nothing. Confirming stores the request with its reference and notifies the admins in the
same turn (bot.core.visit_notices); the secretariat's side (admin_flow) moves its status on and
tells the officer.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.core import matchmaking, mentors_flow, payloads, privacy_flow
from bot.core.actions import Confirmation, VisitStep
from bot.core.dialog import DialogState
from bot.core.errors import InvalidInput, StaleAction
from bot.core.html_format import join_lines, shorten
from bot.core.messages import Button, Reply
from bot.core.ownership import owned
from bot.core.payloads import ButtonKind
from bot.core.texts import Safe, country_name
from bot.core.turn import Turn
from bot.core.visit_notices import notify_new_request, request_line
from bot.storage import repo

FORMATS = ("onsite", "online")
PERIODS = ("3m", "6m", "12m", "flex")
GROUP_BUTTONS = (1, 2, 3, 4, 5, 6)
MAX_GROUP = 50
MAX_PERIOD_CHARS = 120
MAX_NOTE_CHARS = 500
#: The mentor value of "Let the secretariat choose" (other mentor values are indexes).
ANY_MENTOR = "any"
#: The value of "No note" (ignored: the step says it all).
NO_NOTE = "none"
#: Mentor cities offered: the documented ones (as many as /mentors shows), then cities whose
#: consenting officers' self-checks are strong, up to the total.
MENTOR_CHOICES = mentors_flow.MENTORS_PER_AREA + 2
#: Requests shown by /myrequests.
MY_REQUESTS_SHOWN = 10

#: The dialogue states in which free text belongs to the draft.
TEXT_STATES = (DialogState.VISIT_PERIOD, DialogState.VISIT_GROUP, DialogState.VISIT_NOTE)


# --- entry points ----------------------------------------------------------------------------


def command(turn: Turn, args: str) -> list[Reply]:
    """/visit [area]: straight to the mentors of a named area, else the area menu."""
    model = turn.services.index_model
    area = mentors_flow.match_area(model, args) if args else None
    if area is not None:
        return [_start(turn, area.id, run_id=None, edit=False)]
    draft = _new_draft(turn, area_id=None, run_id=None)
    buttons = tuple(
        (Button(shorten(a.name_in(turn.lang), 60), _data(draft, VisitStep.AREA, a.id)),)
        for a in model.areas
    )
    prompt = turn.t("visit_unknown_area", text=args[:80]) if args else turn.t("visit_choose_area")
    return [Reply(text=join_lines(turn.t("visit_intro"), "", prompt), buttons=buttons)]


def results_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """ "Request a study visit: <area>" under a self-check's results (the user's own run)."""
    run_id = payload.int_field(0)
    area_id = _known_area(turn, payload.field(1))
    with turn.read() as session:
        owned(repo.get_run(session, run_id=run_id), by=turn.user_id, what="self-check")
    return [_start(turn, area_id, run_id=run_id, edit=False)]


def my_requests(turn: Turn, args: str) -> list[Reply]:
    """/myrequests: the officer's requests, newest first, with their status."""
    with turn.read() as session:
        requests = repo.visit_requests(session, user_id=turn.user_id, limit=MY_REQUESTS_SHOWN)
    if not requests:
        return [Reply(text=turn.t("myrequests_none"))]
    model = turn.services.index_model
    lines = [turn.t("myrequests_heading")]
    lines += [request_line(turn.lang, model, request) for request in requests]
    return [Reply(text=join_lines(*lines))]


def button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """Every button of a draft, checked against the user's current draft first."""
    if payload.field(0) == VisitStep.START:
        return [_start(turn, _known_area(turn, payload.field(1)), run_id=None, edit=False)]
    draft = _current_draft(turn, payload.field(0))
    step, value = payload.choice(1, VisitStep), payload.field(2)
    if step == VisitStep.AREA:
        return [_start(turn, _known_area(turn, value), run_id=draft.get("run"), edit=True)]
    if step == VisitStep.MENTOR:
        return [_choose_mentor(turn, draft, value)]
    if step == VisitStep.FORMAT:
        if value not in FORMATS:
            raise InvalidInput("unknown format")
        return [_save_and_ask(turn, draft, {"format": value}, DialogState.VISIT_PERIOD, edit=True)]
    if step == VisitStep.PERIOD:
        if value not in PERIODS:
            raise InvalidInput("unknown period")
        period = turn.t(f"visit_period_{value}")
        return [_save_and_ask(turn, draft, {"period": period}, DialogState.VISIT_GROUP, edit=True)]
    if step == VisitStep.GROUP:
        if not value.isdigit() or int(value) not in GROUP_BUTTONS:
            raise InvalidInput("unknown group size")
        return [
            _save_and_ask(turn, draft, {"group": int(value)}, DialogState.VISIT_NOTE, edit=True)
        ]
    if step == VisitStep.NOTE:
        return [_confirm_step(turn, {**draft, "note": ""}, edit=True)]
    if step == VisitStep.CONFIRM:
        if value == Confirmation.YES:
            return _submit(turn, draft)
        _clear_draft(turn)  # "no", or anything else: nothing is sent without a clear yes
        return [Reply(text=turn.t("visit_cancelled"), edit=True)]
    raise InvalidInput("unknown visit step")  # START belongs in the token's place


def text(turn: Turn, text: str) -> list[Reply]:
    """Free text while a draft waits for the period, the group size or the note."""
    draft = _current_draft(turn, None)
    state = turn.user.state
    if state == DialogState.VISIT_PERIOD:
        if len(text) > MAX_PERIOD_CHARS:
            return [Reply(text=turn.t("visit_period_too_long", limit=MAX_PERIOD_CHARS))]
        return [_save_and_ask(turn, draft, {"period": text}, DialogState.VISIT_GROUP, edit=False)]
    if state == DialogState.VISIT_GROUP:
        if not text.isdecimal() or not 1 <= int(text) <= MAX_GROUP:  # "²" is a digit, no int
            return [_group_question(turn, draft, hint=True)]
        return [
            _save_and_ask(turn, draft, {"group": int(text)}, DialogState.VISIT_NOTE, edit=False)
        ]
    if len(text) > MAX_NOTE_CHARS:
        return [Reply(text=turn.t("visit_note_too_long", limit=MAX_NOTE_CHARS))]
    return [_confirm_step(turn, {**draft, "note": text}, edit=False)]


# --- the draft -------------------------------------------------------------------------------


def _new_draft(
    turn: Turn, *, area_id: str | None, run_id: int | None, mentors: list[list[str]] | None = None
) -> dict[str, Any]:
    """A fresh draft replacing any earlier one (whose buttons thereby go stale)."""
    draft: dict[str, Any] = {
        "visit": secrets.token_hex(4),
        "area": area_id,
        "run": run_id,
        "mentors": mentors or [],
    }
    _store(turn, draft, DialogState.IDLE)
    return draft


def _store(turn: Turn, draft: dict[str, Any], state: DialogState) -> None:
    with turn.write() as session:
        repo.update_user(session, user_id=turn.user_id, state=state, state_data=draft)
    turn.user.state, turn.user.state_data = state, draft


def _clear_draft(turn: Turn) -> None:
    _store(turn, {}, DialogState.IDLE)


def _current_draft(turn: Turn, token: str | None) -> dict[str, Any]:
    """The user's draft; `StaleAction` if there is none or the button is from another one."""
    with turn.read() as session:
        user = repo.get_user(session, user_id=turn.user_id)
    draft = dict(user.state_data) if user is not None else {}
    if "visit" not in draft or (token is not None and draft["visit"] != token):
        raise StaleAction("not the current study-visit draft")
    return draft


def _data(draft: dict[str, Any], step: VisitStep, value: object) -> str:
    return payloads.make(ButtonKind.VISIT, draft["visit"], step, value)


def _cancel_row(turn: Turn, draft: dict[str, Any]) -> tuple[Button, ...]:
    """The "Cancel" button under every step of the draft."""
    return (Button(turn.t("btn_visit_cancel"), _data(draft, VisitStep.CONFIRM, Confirmation.NO)),)


def _known_area(turn: Turn, area_id: str) -> str:
    try:
        return turn.services.index_model.area(area_id).id
    except KeyError:
        raise InvalidInput("unknown area") from None


# --- the steps -------------------------------------------------------------------------------


def _start(turn: Turn, area_id: str, *, run_id: int | None, edit: bool) -> Reply:
    """The mentor step for ``area_id``: suggested cities with the reason, or the secretariat."""
    mentors = _mentor_choices(turn, area_id)
    draft = _new_draft(
        turn,
        area_id=area_id,
        run_id=run_id,
        mentors=[[city, country] for city, country, _ in mentors],
    )
    area = turn.services.index_model.area(area_id).name_in(turn.lang)
    lines: list[str] = [turn.t("visit_heading", area=area)]
    if mentors:
        lines.append(turn.t("visit_mentors_intro"))
        lines += [line for _, _, line in mentors]
    else:
        lines.append(turn.t("visit_no_mentor"))
    lines += ["", turn.t("visit_choose_mentor")]
    buttons: list[tuple[Button, ...]] = [
        (Button(shorten(city, 60), _data(draft, VisitStep.MENTOR, index)),)
        for index, (city, _, _) in enumerate(mentors)
    ]
    any_mentor = _data(draft, VisitStep.MENTOR, ANY_MENTOR)
    buttons.append((Button(turn.t("btn_secretariat_chooses"), any_mentor),))
    buttons.append(_cancel_row(turn, draft))
    return Reply(text=join_lines(*lines), buttons=tuple(buttons), edit=edit)


def _mentor_choices(turn: Turn, area_id: str) -> list[tuple[str, str, Safe]]:
    """(city, country, the line saying why) of the documented mentors, then of the member
    cities whose consenting officers' self-checks are strong in the area."""
    choices = [
        (m.city, m.country, mentors_flow.mentor_line(turn, m))
        for m in mentors_flow.mentors_for(turn, area_id)
    ]
    with turn.read() as session:
        candidates = matchmaking.candidate_mentors(session, area_id=area_id)
    named = {city for city, _, _ in choices} | {turn.user.city}
    for candidate in candidates:
        if len(choices) >= MENTOR_CHOICES or candidate.city in named:
            continue
        named.add(candidate.city)
        line = turn.t(
            "visit_candidate_line",
            city=candidate.city,
            country=country_name(turn.lang, candidate.country),
            score=f"{candidate.score:.0f}",
        )
        choices.append((candidate.city, candidate.country, line))
    return choices


def _choose_mentor(turn: Turn, draft: dict[str, Any], value: str) -> Reply:
    if value == ANY_MENTOR:
        mentor = None
    else:
        mentors = draft.get("mentors") or []
        if not value.isdigit() or int(value) >= len(mentors):
            raise InvalidInput("unknown mentor choice")
        mentor = mentors[int(value)][0]
    draft = {**draft, "mentor": mentor}
    _store(turn, draft, DialogState.IDLE)
    buttons = (
        tuple(
            Button(turn.t(f"visit_format_{f}"), _data(draft, VisitStep.FORMAT, f)) for f in FORMATS
        ),
        _cancel_row(turn, draft),
    )
    return Reply(text=turn.t("visit_ask_format"), buttons=buttons, edit=True)


def _save_and_ask(
    turn: Turn, draft: dict[str, Any], values: dict[str, Any], state: DialogState, *, edit: bool
) -> Reply:
    """Keep a step's answer and ask the question of ``state``."""
    draft = {**draft, **values}
    _store(turn, draft, state)
    cancel = _cancel_row(turn, draft)
    if state == DialogState.VISIT_PERIOD:
        periods = tuple(
            (Button(turn.t(f"visit_period_{p}"), _data(draft, VisitStep.PERIOD, p)),)
            for p in PERIODS
        )
        return Reply(text=turn.t("visit_ask_period"), buttons=(*periods, cancel), edit=edit)
    if state == DialogState.VISIT_GROUP:
        return _group_question(turn, draft, hint=False, edit=edit)
    skip = (Button(turn.t("btn_no_note"), _data(draft, VisitStep.NOTE, NO_NOTE)),)
    return Reply(
        text=turn.t("visit_ask_note", limit=MAX_NOTE_CHARS), buttons=(skip, cancel), edit=edit
    )


def _group_question(turn: Turn, draft: dict[str, Any], *, hint: bool, edit: bool = False) -> Reply:
    sizes = tuple(Button(str(n), _data(draft, VisitStep.GROUP, n)) for n in GROUP_BUTTONS)
    key = "visit_group_hint" if hint else "visit_ask_group"
    return Reply(
        text=turn.t(key, limit=MAX_GROUP), buttons=(sizes, _cancel_row(turn, draft)), edit=edit
    )


def _confirm_step(turn: Turn, draft: dict[str, Any], *, edit: bool) -> Reply:
    _store(turn, draft, DialogState.IDLE)
    model = turn.services.index_model
    summary = join_lines(
        turn.t("visit_confirm_heading"),
        turn.t("visit_field_area", value=model.area_name(draft["area"], turn.lang)),
        turn.t("visit_field_mentor", value=draft.get("mentor") or turn.t("visit_any_mentor")),
        turn.t("visit_field_format", value=turn.t(f"visit_format_{draft['format']}")),
        turn.t("visit_field_period", value=draft["period"]),
        turn.t("visit_field_group", value=draft["group"]),
        turn.t("visit_field_note", value=draft["note"]) if draft["note"] else "",
    )
    send = Button(turn.t("btn_visit_confirm"), _data(draft, VisitStep.CONFIRM, Confirmation.YES))
    buttons = ((send, *_cancel_row(turn, draft)),)
    return Reply(text=summary, buttons=buttons, edit=edit)


def _submit(turn: Turn, draft: dict[str, Any]) -> list[Reply]:
    """Store the request, clear the draft (in one transaction) and notify the admins."""
    if not all(draft.get(key) for key in ("area", "format", "period", "group")):
        raise StaleAction("the draft is incomplete")
    with turn.write() as session:
        request = repo.add_visit_request(
            session,
            user_id=turn.user_id,
            city=turn.user.city,
            country=turn.user.country,
            area_id=draft["area"],
            mentor_city=draft.get("mentor"),
            format=draft["format"],
            period=draft["period"],
            group_size=int(draft["group"]),
            note=draft.get("note") or "",
            run_id=draft.get("run"),
        )
        repo.update_user(session, user_id=turn.user_id, state=DialogState.IDLE, state_data={})
    turn.user.state, turn.user.state_data = DialogState.IDLE, {}
    done = Reply(
        # Without secretariat ids nobody is told: say so rather than "sent".
        text=turn.t(
            "visit_submitted" if turn.services.settings.icc_admin_ids else "visit_stored_unrouted",
            reference=request.reference or "",
        ),
        edit=True,
        toast=turn.t("visit_sent_toast"),
    )
    # The secretariat is told before anything optional is asked.
    return [
        done,
        *notify_new_request(turn, request),
        *privacy_flow.consent_questions(turn),
    ]
