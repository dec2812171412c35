"""/mentors [area]: member cities to learn from, each with its practice and source.

Mentors come only from the city data (scoring.mentors), never invented, never the user's own
city; the same lines appear under each weak area of a self-check result, and /mentors alone
starts with the weakest areas of the user's latest self-check.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process, utils

from bot.core import payloads
from bot.core.actions import VisitStep
from bot.core.errors import InvalidInput
from bot.core.html_format import join_lines, link, shorten
from bot.core.mentor_words import mentor_reason
from bot.core.messages import Button, Reply
from bot.core.payloads import ButtonKind
from bot.core.texts import Safe, country_name
from bot.core.turn import Turn
from bot.storage import repo
from scoring.mentors import find_mentors

if TYPE_CHECKING:
    from scoring.mentors import Mentor
    from scoring.model import Area, IndexModel

MENTORS_PER_AREA = 3
#: Fuzzy match threshold (0-100) for an area typed after /mentors.
AREA_MATCH_SCORE = 70
REASON_CHARS = 240
#: Weak self-check areas whose mentors /mentors shows before its menu.
WEAKEST_SHOWN = 3


def command(turn: Turn, args: str) -> list[Reply]:
    """With an area (id or name, English or French, typos welcome): its mentors. Without one:
    the mentors of the weakest areas of the user's latest self-check, if it found any (what
    they most likely came for), then the menu of every area."""
    model = turn.services.index_model
    if args:
        area = match_area(model, args)
        if area is not None:
            return [_mentors_reply(turn, area.id)]
        return [_area_menu(turn, turn.t("mentors_unknown_area", text=args[:80]))]
    found = _weakest_areas(turn)
    if found is None:
        return [_area_menu(turn, turn.t("mentors_choose_area"))]
    finished, area_ids = found
    intro = turn.t("mentors_weakest_intro", date=f"{finished:%Y-%m-%d}")
    replies = [
        _mentors_reply(turn, area_id, intro=intro if n == 0 else "")
        for n, area_id in enumerate(area_ids)
    ]
    return [*replies, _area_menu(turn, turn.t("mentors_other_area"))]


def button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """An area picked from the menu."""
    area_id = payload.field(0)
    try:
        turn.services.index_model.area(area_id)
    except KeyError:
        raise InvalidInput("unknown area") from None
    return [_mentors_reply(turn, area_id)]


def match_area(model: IndexModel, text: str) -> Area | None:
    """The area whose id or name (in any language) best matches ``text``."""

    choices: dict[str, str] = {}
    for area in model.areas:
        names = [area.id, area.id.replace("_", " ")]
        names += [area.name_in(lang) for lang in ("en", "fr")]
        for name in names:
            choices[name] = area.id
    best = process.extractOne(
        text, list(choices), scorer=fuzz.WRatio, processor=utils.default_process
    )
    if best is None or best[1] < AREA_MATCH_SCORE:
        return None
    return model.area(choices[best[0]])


def mentors_for(turn: Turn, area_id: str) -> list[Mentor]:
    """The documented mentor cities for the user's city (never the city itself)."""

    cities = turn.cities
    own = cities.city(turn.user.city) if turn.user.city else None
    return find_mentors(
        cities,
        area_id,
        own_city=turn.user.city,
        own_country=turn.user.country,
        own_population=own.population if own else None,
        limit=MENTORS_PER_AREA,
    )


def mentor_lines(turn: Turn, area_id: str) -> list[Safe]:
    """A heading and one line per mentor city (or the "none documented" line)."""
    mentors = mentors_for(turn, area_id)
    if not mentors:
        return [turn.t("sc_no_mentor")]
    return [turn.t("sc_mentors_heading"), *(mentor_line(turn, m) for m in mentors)]


def mentor_line(turn: Turn, mentor: Mentor) -> Safe:
    """One mentor city: why (its practice, shortened, or what is known of it), what the
    source is when it is not the practice's own page, and a link to the source."""
    return turn.t(
        "sc_mentor_line",
        city=mentor.city,
        country=country_name(turn.lang, mentor.country),
        reason=mentor_reason(turn.lang, mentor, limit=REASON_CHARS),
        link=link(turn.t("sc_source"), mentor.source_url),
    )


def _weakest_areas(turn: Turn) -> tuple[datetime, list[str]] | None:
    """When the user's latest completed self-check finished and its weak areas (still in the
    Index model), weakest first, at most `WEAKEST_SHOWN`; None if it found none."""
    model = turn.services.index_model
    known = {area.id for area in model.areas}
    with turn.read() as session:
        # No run has id 0, so this is the latest completed run of all.
        latest = repo.previous_result(session, user_id=turn.user_id, before_run_id=0)
    if latest is None:
        return None
    run, result = latest
    weak = [
        area
        for area in result.areas
        if area.get("weak") and area.get("score") is not None and area.get("id") in known
    ]
    if not weak:
        return None
    weak.sort(key=lambda area: float(area["score"]))  # stable: ties keep questionnaire order
    finished = run.finished_at or run.started_at
    return finished, [area["id"] for area in weak[:WEAKEST_SHOWN]]


def _mentors_reply(turn: Turn, area_id: str, *, intro: str = "") -> Reply:
    name = turn.services.index_model.area(area_id).name_in(turn.lang)
    # The study-visit flow (bot.core.visit_flow) starts a request for this area from here.
    start_visit = payloads.make(ButtonKind.VISIT, VisitStep.START, area_id)
    visit = Button(shorten(turn.t("btn_visit", area=name), 60), start_visit)
    return Reply(
        text=join_lines(intro, turn.t("mentors_heading", area=name), *mentor_lines(turn, area_id)),
        buttons=((visit,),),
    )


def _area_menu(turn: Turn, prompt: Safe) -> Reply:
    buttons = tuple(
        (Button(area.name_in(turn.lang), payloads.make(ButtonKind.MENTORS, area.id)),)
        for area in turn.services.index_model.areas
    )
    return Reply(text=prompt, buttons=buttons)
