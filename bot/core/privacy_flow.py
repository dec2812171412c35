"""Privacy: /privacy (what is stored and why, the consents), /mydata, /forget, and the consents.

The two consents are asked once and can be changed in /privacy at any time: to be proposed as a
mentor city from strong self-check areas, and to have self-check results included in the
secretariat's exports and matchmaking. /forget erases the user after a confirmation: self-checks
are deleted and requests kept only anonymously (bot.storage.repo.forget_user): reference, area,
mentor city, format, group size, status and dates, which the secretariat needs to honour an
accepted visit; not the city, which with one officer per city would point back to the person.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bot.core import payloads
from bot.core.actions import Confirmation, Consent
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.html_format import join_lines
from bot.core.messages import Attachment, Button, Reply
from bot.core.payloads import ButtonKind
from bot.core.turn import Turn
from bot.storage import repo
from bot.storage.models import utcnow

if TYPE_CHECKING:
    from sqlmodel import Session

#: The user column each consent is kept in (asked in this order).
_CONSENT_FIELDS = {
    Consent.MENTOR: "consent_mentor",
    Consent.SHARE_RESULTS: "consent_share_results",
}


def privacy(turn: Turn, args: str) -> list[Reply]:
    """/privacy: what is stored and why, what the secretariat keeps and how long, the consents
    given, and buttons to change them."""
    with turn.read() as session:
        user = repo.get_user(session, user_id=turn.user_id)
    assert user is not None  # the turn wrote it
    days = turn.services.settings.icc_retention_days
    lines = [
        turn.t("privacy"),
        "",
        turn.t("privacy_retention", days=days),
        "",
        turn.t("privacy_secretariat", days=days),
        "",
        turn.t("privacy_rights"),
        "",
        turn.t("privacy_consent_mentor", value=_consent_word(turn, user.consent_mentor)),
        turn.t("privacy_consent_results", value=_consent_word(turn, user.consent_share_results)),
    ]
    buttons = (
        (
            Button(turn.t("btn_consent_mentor_yes"), _consent_data(Consent.MENTOR, True)),
            Button(turn.t("btn_consent_mentor_no"), _consent_data(Consent.MENTOR, False)),
        ),
        (
            Button(turn.t("btn_consent_results_yes"), _consent_data(Consent.SHARE_RESULTS, True)),
            Button(turn.t("btn_consent_results_no"), _consent_data(Consent.SHARE_RESULTS, False)),
        ),
    )
    return [Reply(text=join_lines(*lines), buttons=buttons)]


def _consent_data(consent: Consent, given: bool) -> str:
    return payloads.make(ButtonKind.CONSENT, consent, int(given))


def _consent_word(turn: Turn, value: bool | None) -> str:
    return turn.t(
        {True: "consent_given", False: "consent_refused", None: "consent_not_asked"}[value]
    )


def consent_questions(turn: Turn) -> list[Reply]:
    """The consents not asked yet, each once (after a study-visit request, and after a
    self-check result with strong areas)."""
    with turn.read() as session:
        user = repo.get_user(session, user_id=turn.user_id)
    if user is None:
        return []
    replies = []
    for consent, field in _CONSENT_FIELDS.items():
        if getattr(user, field) is None:
            buttons = (
                (
                    Button(turn.t("btn_yes"), _consent_data(consent, True)),
                    Button(turn.t("btn_no"), _consent_data(consent, False)),
                ),
            )
            replies.append(Reply(text=turn.t(f"consent_ask_{consent}"), buttons=buttons))
    return replies


def consent_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """A consent given or withdrawn."""
    consent = payload.choice(0, Consent)
    value = payload.field(1)
    if value not in ("0", "1"):
        raise InvalidInput("unknown consent")
    with turn.write() as session:
        repo.update_user(session, user_id=turn.user_id, **{_CONSENT_FIELDS[consent]: value == "1"})
    text = turn.t(f"consent_saved_{consent}_{value}")
    return [Reply(text=text, toast=turn.t("consent_saved"), edit=True)]


def my_data(turn: Turn, args: str) -> list[Reply]:
    """/mydata: everything stored about the user, as a JSON document."""
    with turn.read() as session:
        data = personal_data(session, user_id=turn.user_id)
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    attachment = Attachment(
        filename="icc-assistant-my-data.json",
        content=content,
        kind="document",
        caption=turn.t("mydata_caption"),
    )
    return [Reply(text=turn.t("mydata_intro"), attachment=attachment)]


def personal_data(session: Session, *, user_id: int) -> dict[str, Any]:
    """The user's row, self-checks with answers and results, questions with feedback, and
    study-visit requests, in plain JSON types."""
    user = repo.get_user(session, user_id=user_id)
    if user is None:
        return {}
    runs = []
    for run, result in repo.runs_of(session, user_id=user_id):
        answers = repo.answers_for(session, run_id=run.id or 0)
        runs.append(
            {
                **run.model_dump(exclude={"user_id", "version"}),
                "answers": {
                    indicator: {"kind": a.kind, "options": a.options}
                    for indicator, a in answers.items()
                },
                "result": result.model_dump(exclude={"id", "run_id"}) if result else None,
            }
        )
    questions = [
        {
            "asked_at": question.created_at,
            "text": question.text,
            "answered": question.answered,
            "feedback": (
                {"helpful": feedback.helpful, "reason": feedback.reason} if feedback else None
            ),
        }
        for question, feedback in repo.questions_of(session, user_id=user_id)
    ]
    requests = [
        request.model_dump(exclude={"id", "user_id"})
        for request in repo.visit_requests(session, user_id=user_id)
    ]
    return {
        "exported_at": utcnow(),
        "user": user.model_dump(),
        "selfchecks": runs,
        "questions": questions,
        "visit_requests": requests,
    }


def forget(turn: Turn, args: str) -> list[Reply]:
    """/forget: what will be deleted, with a confirmation."""
    buttons = (
        (
            Button(turn.t("btn_forget_yes"), _forget_data(turn, Confirmation.YES)),
            Button(turn.t("btn_forget_no"), _forget_data(turn, Confirmation.NO)),
        ),
    )
    return [Reply(text=turn.t("forget_confirm"), buttons=buttons)]


def _forget_data(turn: Turn, answer: Confirmation) -> str:
    """The confirmation carries whose data it deletes: pressed by anyone else, it refuses."""
    return payloads.make(ButtonKind.FORGET, turn.user_id, answer)


def forget_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """The confirmation: erase (or keep) the user's data."""
    if payload.int_field(0) != turn.user_id:
        raise NotAllowed("someone else's confirmation")
    if payload.choice(1, Confirmation) == Confirmation.NO:
        return [Reply(text=turn.t("forget_kept"), edit=True)]
    with turn.write() as session:
        repo.forget_user(session, user_id=turn.user_id)
    return [Reply(text=turn.t("forget_done"), edit=True, toast=turn.t("forget_done_toast"))]
