"""How a study-visit request reads, and the notices sent about it to the secretariat and back.

Both sides of a request need these: the officer's flow (bot.core.visit_flow) lists requests and
tells the secretariat of a new one; the secretariat's flow (bot.core.admin_flow) lists them too,
moves their status and tells the officer. Kept here, so that neither flow imports the other.

A notice sent to the secretariat never names the officer: a Telegram message cannot be taken
back by /forget, and one pairing a reference with a name would keep the person tied to the
request for good. The secretariat finds the officer through the bot's own data (/export),
which /forget deletes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.core import matchmaking, payloads
from bot.core.html_format import join_lines
from bot.core.messages import Button, Reply
from bot.core.payloads import ButtonKind
from bot.core.texts import Safe, t
from bot.storage import repo
from bot.storage.models import User, VisitRequest, VisitStatus

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.core.turn import Turn
    from bot.services import Services
    from scoring.model import IndexModel

log = logging.getLogger(__name__)

#: The statuses a request can move to from each status (the secretariat's status buttons).
NEXT_STATUSES: dict[str, tuple[VisitStatus, ...]] = {
    VisitStatus.NEW: (VisitStatus.FORWARDED, VisitStatus.ACCEPTED, VisitStatus.DECLINED),
    VisitStatus.FORWARDED: (VisitStatus.ACCEPTED, VisitStatus.DECLINED),
    VisitStatus.ACCEPTED: (VisitStatus.DONE,),
}


# --- how a request reads ---------------------------------------------------------------------


def request_line(lang: str, model: IndexModel, request: VisitRequest) -> Safe:
    """One line about a request: reference, area, mentor, status and date."""
    return t(
        lang,
        "visit_request_line",
        reference=request.reference or "",
        area=model.area_name(request.area_id, lang),
        mentor=request.mentor_city or t(lang, "visit_any_mentor"),
        status=t(lang, f"visit_status_{request.status}"),
        date=f"{request.created_at:%Y-%m-%d}",
    )


def request_details(lang: str, model: IndexModel, request: VisitRequest) -> Safe:
    """The whole request, for the secretariat's notification and the status messages."""
    if request.city:
        city: str = f"{request.city} ({request.country})"
    elif request.user_id is None:  # the officer was forgotten, and the city with them
        city = t(lang, "visit_city_forgotten")
    else:
        city = t(lang, "visit_no_city")
    return join_lines(
        t(lang, "visit_details_heading", reference=request.reference or ""),
        t(lang, "visit_field_city", value=city),
        t(lang, "visit_field_area", value=model.area_name(request.area_id, lang)),
        t(lang, "visit_field_mentor", value=request.mentor_city or t(lang, "visit_any_mentor")),
        t(lang, "visit_field_format", value=t(lang, f"visit_format_{request.format}")),
        t(lang, "visit_field_period", value=request.period),
        t(lang, "visit_field_group", value=request.group_size),
        t(lang, "visit_field_note", value=request.note) if request.note else "",
        t(lang, "visit_field_status", value=t(lang, f"visit_status_{request.status}")),
    )


def status_buttons(lang: str, request: VisitRequest) -> tuple[tuple[Button, ...], ...]:
    """The secretariat's buttons to move the request on (none once it is closed)."""
    nexts = NEXT_STATUSES.get(request.status, ())
    if not nexts:
        return ()
    return (
        tuple(
            Button(
                t(lang, f"btn_status_{status}"),
                payloads.make(ButtonKind.ADMIN, request.id, status),
            )
            for status in nexts
        ),
    )


# --- the notices -----------------------------------------------------------------------------


def notify_new_request(turn: Turn, request: VisitRequest) -> list[Reply]:
    """One message per admin, in their chat and language, with the status buttons; the
    request's details, not who sent it."""
    with turn.read() as session:
        admins = _admin_contacts(session, turn.services)
        joint = _also_weak(session, request)
    if not admins:
        log.warning("request %s stored but ICC_ADMIN_IDS is empty: nobody told", request.reference)
    model = turn.services.index_model
    replies = []
    for chat_id, lang in admins:
        text = join_lines(
            t(lang, "admin_new_request"),
            request_details(lang, model, request),
            t(lang, "admin_also_weak", cities=", ".join(joint)) if joint else "",
        )
        replies.append(Reply(text=text, buttons=status_buttons(lang, request), chat_id=chat_id))
    return replies


def status_change_notice(services: Services, officer: User, request: VisitRequest) -> Reply:
    """The officer who asked is told of a new status, in their own chat and language."""
    lang = officer.language
    return Reply(
        text=join_lines(
            t(lang, f"visit_now_{request.status}", reference=request.reference or ""),
            "",
            request_details(lang, services.index_model, request),
        ),
        chat_id=officer.chat_id,
    )


def _admin_contacts(session: Session, services: Services) -> list[tuple[int, str]]:
    """(chat id, language) of each admin; one who never wrote is reached in their private chat
    (whose id is their user id) in English."""
    contacts = []
    for admin_id in sorted(services.settings.icc_admin_ids):
        user = repo.get_user(session, user_id=admin_id)
        contacts.append((user.chat_id, user.language) if user else (admin_id, "en"))
    return contacts


def _also_weak(session: Session, request: VisitRequest) -> list[str]:
    """Other cities sharing the request's area, for a joint thematic visit."""
    cities = matchmaking.shared_weak_areas(session).get(request.area_id, {})
    return sorted(city for city in cities if city != request.city)
