"""The secretariat's side: the status buttons on requests, /requests, /export, /stats.

Admins are the users listed in ``settings.icc_admin_ids``. Every admin command and button checks
it first and refuses anyone else politely, before reading or changing anything. A status change
is a compare-and-set on the request's current status, so two admins pressing at once cannot
both move it; the officer who asked is told of every change in their own chat and language.
How a request reads and the notices about it are shared with the officer's side
(bot.core.visit_notices).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from functools import wraps
from typing import TYPE_CHECKING

from bot.core import mentors_flow, payloads, peer_comparison
from bot.core.actions import SHOW_REQUEST
from bot.core.errors import InvalidInput, StaleAction, UserFacingError
from bot.core.html_format import join_lines, shorten
from bot.core.messages import Attachment, Button, Reply
from bot.core.payloads import ButtonKind
from bot.core.texts import Safe, escape, t
from bot.core.turn import Turn
from bot.core.visit_notices import (
    NEXT_STATUSES,
    request_details,
    request_line,
    status_buttons,
    status_change_notice,
)
from bot.storage import repo
from bot.storage.models import VisitStatus, utcnow

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.services import Services

#: Requests listed by /requests, and how many of them get a "details" button.
LISTED = 20
DETAIL_BUTTONS = 8
STATS_WINDOW = timedelta(days=30)
STATS_DAYS_SHOWN = 14
TOP_UNANSWERED = 5
QUESTION_CHARS = 90
#: First characters that make a spreadsheet cell a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Command = Callable[[Turn, str], list[Reply]]


def is_admin(turn: Turn) -> bool:
    """Whether the sender is one of the secretariat's admins."""
    return turn.user_id in turn.services.settings.icc_admin_ids


def admin_only(command: Command) -> Command:
    """Refuse non-admins politely, before the command reads or changes anything."""

    @wraps(command)
    def guarded(turn: Turn, args: str) -> list[Reply]:
        if not is_admin(turn):
            return [Reply(text=turn.t("admin_only"))]
        return command(turn, args)

    return guarded


# --- status changes ------------------------------------------------------------------------


def button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """A status button (or "details") on a request, admins only."""
    if not is_admin(turn):
        return [Reply(text=turn.t("admin_only"), toast=turn.t("admin_only"))]
    request_id, action = payload.int_field(0), payload.field(1)
    with turn.read() as session:
        request = repo.get_visit_request(session, request_id=request_id)
    if request is None:
        raise InvalidInput("no such request")
    model = turn.services.index_model
    if action == SHOW_REQUEST:
        text = request_details(turn.lang, model, request)
        return [Reply(text=text, buttons=status_buttons(turn.lang, request))]
    try:
        target = VisitStatus(action)
    except ValueError:
        raise InvalidInput("unknown status") from None
    allowed_from = [status for status, nexts in NEXT_STATUSES.items() if target in nexts]
    try:
        with turn.write() as session:
            repo.set_visit_status(
                session, request_id=request_id, status=target, allowed_from=allowed_from
            )
    except repo.Conflict:
        raise StaleAction("the request's status changed meanwhile") from None
    with turn.read() as session:
        request = repo.get_visit_request(session, request_id=request_id)
        officer = (
            repo.get_user(session, user_id=request.user_id)
            if request and request.user_id is not None
            else None
        )
    assert request is not None
    status_word = turn.t(f"visit_status_{request.status}")
    replies = [
        Reply(
            text=request_details(turn.lang, model, request),
            buttons=status_buttons(turn.lang, request),
            edit=True,
            toast=turn.t("admin_status_set", status=status_word),
        )
    ]
    if officer is not None:
        replies.append(status_change_notice(turn.services, officer, request))
    return replies


# --- /requests -------------------------------------------------------------------------------


@admin_only
def requests_command(turn: Turn, args: str) -> list[Reply]:
    """/requests [status] [area]: the latest requests, filtered."""
    statuses, area_id = _filters(turn, args)
    with turn.read() as session:
        found = repo.visit_requests(session, statuses=statuses, area_id=area_id, limit=LISTED)
    if not found:
        return [Reply(text=turn.t("admin_no_requests"))]
    model = turn.services.index_model
    lines = [turn.t("admin_requests_heading", count=len(found))]
    for request in found:
        city = request.city or turn.t("visit_no_city")
        lines.append(Safe(f"{request_line(turn.lang, model, request)} — {escape(city)}"))
    buttons = tuple(
        (
            Button(
                request.reference or str(request.id),
                payloads.make(ButtonKind.ADMIN, request.id, SHOW_REQUEST),
            ),
        )
        for request in found
        if request.status in NEXT_STATUSES
    )[:DETAIL_BUTTONS]
    return [Reply(text=join_lines(*lines), buttons=buttons)]


def _filters(turn: Turn, args: str) -> tuple[list[str], str | None]:
    """Status words (English or French) and the rest of the text as an area name."""
    statuses: list[str] = []
    rest = []
    words = {status.value: status.value for status in VisitStatus}
    for status in VisitStatus:
        for lang in ("en", "fr"):
            words[t(lang, f"visit_status_{status}").lower()] = status.value
    for word in args.split():
        if word.lower() in words:
            statuses.append(words[word.lower()])
        else:
            rest.append(word)
    area_id = None
    if rest:
        area = mentors_flow.match_area(turn.services.index_model, " ".join(rest))
        if area is None:
            raise UserFacingError(turn.t("admin_unknown_filter", text=" ".join(rest)[:80]))
        area_id = area.id
    return statuses, area_id


# --- /export ---------------------------------------------------------------------------------


REQUEST_COLUMNS = (
    "reference",
    "created_at",
    "updated_at",
    "status",
    "city",
    "country",
    "area_id",
    "area",
    "mentor_city",
    "format",
    "period",
    "group_size",
    "note",
    "officer",
    "officer_username",
)


@admin_only
def export(turn: Turn, args: str) -> list[Reply]:
    """/export: the requests as CSV, and the self-check results of consenting officers."""
    with turn.read() as session:
        requests_csv = requests_as_csv(session, turn.services)
        results_csv, shared = results_as_csv(session, turn.services)
    stamp = f"{utcnow():%Y%m%d}"
    replies = [
        Reply(
            text=turn.t("admin_export_requests"),
            attachment=Attachment(f"icc-visit-requests-{stamp}.csv", requests_csv, "document"),
        )
    ]
    if shared:
        replies.append(
            Reply(
                text=turn.t("admin_export_results", count=shared),
                attachment=Attachment(f"icc-selfcheck-results-{stamp}.csv", results_csv),
            )
        )
    else:
        replies.append(Reply(text=turn.t("admin_export_no_results")))
    return replies


def requests_as_csv(session: Session, services: Services) -> bytes:
    """Every request, oldest first, with the officer's name while they are not forgotten."""
    model = services.index_model
    rows = []
    for request in reversed(repo.visit_requests(session)):
        officer = repo.get_user(session, user_id=request.user_id) if request.user_id else None
        rows.append(
            {
                **{key: getattr(request, key) for key in REQUEST_COLUMNS if hasattr(request, key)},
                "created_at": request.created_at.isoformat(timespec="seconds"),
                "updated_at": request.updated_at.isoformat(timespec="seconds"),
                "area": model.area_name(request.area_id, "en"),
                "officer": officer.display_name if officer else "",
                "officer_username": officer.username or "" if officer else "",
            }
        )
    return _csv(REQUEST_COLUMNS, rows)


def results_as_csv(session: Session, services: Services) -> tuple[bytes, int]:
    """The latest self-check of each officer who consented to share it: city, not person."""
    area_ids = [area.id for area in services.index_model.areas]
    columns = ("city", "country", "finished_at", "scope", "model_version", "overall", "lens")
    rows = []
    for user, run, result in repo.latest_results(session):
        if not user.consent_share_results:
            continue
        scores = {area["id"]: area.get("score") for area in result.areas}
        row = {
            "city": run.city or user.city or "",
            "country": user.country or "",
            "finished_at": run.finished_at.isoformat(timespec="seconds") if run.finished_at else "",
            "scope": run.scope,
            "model_version": run.model_version,
            "overall": _number(result.overall),
            "lens": _number(result.lens),
        }
        row.update({area_id: _number(scores.get(area_id)) for area_id in area_ids})
        rows.append(row)
    rows.sort(key=lambda row: (row["city"], row["finished_at"]))
    return _csv((*columns, *area_ids), rows), len(rows)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _csv(columns: tuple[str, ...], rows: Sequence[Mapping[str, object]]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs open accented city names correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: object) -> object:
    """Text an officer typed, defused: a spreadsheet would run "=HYPERLINK(...)" as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


# --- /stats ----------------------------------------------------------------------------------


@admin_only
def stats(turn: Turn, args: str) -> list[Reply]:
    """/stats: the last 30 days of questions, feedback, self-checks and requests, then the
    member cities' shared self-assessments per area (the same averages officers see)."""
    now = utcnow()
    since = now - STATS_WINDOW
    with turn.read() as session:
        asked_log = repo.question_log(session, since=since)
        helpful, unhelpful = repo.feedback_counts(session, since=since)
        unanswered = repo.top_unanswered(session, since=since, limit=TOP_UNANSWERED)
        completed = repo.completed_runs_count(session, since=since)
        by_area = repo.requests_by_area(session)
        peers = peer_comparison.stats_lines(turn, session)
    asked = Counter(f"{when:%Y-%m-%d}" for when, _ in asked_log)
    answered = Counter(f"{when:%Y-%m-%d}" for when, ok in asked_log if ok)
    share = f"{100 * sum(answered.values()) / len(asked_log):.0f}" if asked_log else "—"
    lines: list[str] = [
        turn.t("stats_heading", days=STATS_WINDOW.days),
        turn.t("stats_questions", count=len(asked_log), share=share),
    ]
    for day in sorted(asked, reverse=True)[:STATS_DAYS_SHOWN]:
        lines.append(turn.t("stats_day", day=day, count=asked[day], answered=answered[day]))
    lines += ["", turn.t("stats_feedback", helpful=helpful, unhelpful=unhelpful)]
    lines.append(turn.t("stats_unanswered_heading"))
    if unanswered:
        lines += [
            turn.t("stats_unanswered_line", count=n, text=shorten(text, QUESTION_CHARS))
            for text, n in unanswered
        ]
    else:
        lines.append(turn.t("stats_none"))
    lines += ["", turn.t("stats_selfchecks", count=completed), turn.t("stats_requests_heading")]
    model = turn.services.index_model
    if by_area:
        for area_id, n in by_area:
            name = model.area_name(area_id, turn.lang)
            lines.append(turn.t("stats_area_line", area=name, count=n))
    else:
        lines.append(turn.t("stats_none"))
    lines += ["", *peers]
    return [Reply(text=join_lines(*lines))]
