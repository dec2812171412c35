"""Mentor cities in words: scoring finds them with their evidence as data, the catalogs word it.

Used by the chat (bot.core.mentors_flow) and the terminal (`icc-assistant selfcheck`), so both
give a city the same reason in the same language, and both say what a link leads to: an officer
who follows "source" should not land on a listing or another city's page unwarned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.core.html_format import shorten
from bot.core.texts import t
from scoring.cities import PRACTICE_LANGUAGE

if TYPE_CHECKING:
    from scoring.cities import Practice
    from scoring.mentors import Evidence, Mentor

#: The ICC website, whose listings are pages of its good-practice database.
_ICC_HOSTS = ("coe.int", "www.coe.int")


def evidence_text(lang: str, evidence: Evidence) -> str:
    """What the data says about the city, e.g. "Scored 92/100 in this area in its 2019 ICC
    Index report" (plain text: the templates carry no markup and the values are numbers)."""
    score = "" if evidence.score is None else f"{evidence.score:g}"
    return str(t(lang, f"mentor_evidence_{evidence.kind}", score=score, year=evidence.year))


def mentor_text(lang: str, mentor: Mentor) -> str:
    """The city's documented practice, else its evidence marked as the only thing known."""
    if mentor.practice is not None:
        return mentor.practice
    return str(t(lang, "mentor_score_only", evidence=evidence_text(lang, mentor.evidence)))


def source_notes(lang: str, mentor: Mentor) -> list[str]:
    """What the reader should know about the practice and its link, in parentheses: written
    in English (in another interface language), only listed, or told on another city's page."""
    practice: Practice | None = mentor.documented
    if practice is None:
        return []
    notes = []
    if lang != PRACTICE_LANGUAGE:
        notes.append(str(t(lang, "mentor_note_in_english")))
    if practice.is_listing:
        host = urlsplit(practice.source_url).hostname or ""
        if host in _ICC_HOSTS:
            notes.append(str(t(lang, "mentor_note_icc_listing")))
        else:
            notes.append(str(t(lang, "mentor_note_listing", site=host.rstrip("."))))
    if practice.is_unresolved:
        notes.append(str(t(lang, "mentor_note_unresolved")))
    if practice.source_about:
        notes.append(str(t(lang, "mentor_note_other_city", city=practice.source_about)))
    return notes


def mentor_reason(lang: str, mentor: Mentor, *, limit: int | None = None) -> str:
    """Why learn from this city, with what its source is; the practice or evidence is cut to
    `limit` characters, never the notes (they say what the link is)."""
    text = mentor_text(lang, mentor)
    if limit is not None:
        text = shorten(text, limit)
    return " ".join([text, *source_notes(lang, mentor)])
