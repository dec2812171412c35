"""Mentor cities in words: scoring finds them with their evidence as data, the catalogs word it.

Used by the chat (bot.core.mentors_flow) and the terminal (`icc-assistant selfcheck`), so both
give a city the same reason in the same language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.texts import t

if TYPE_CHECKING:
    from scoring.mentors import Evidence, Mentor


def evidence_text(lang: str, evidence: Evidence) -> str:
    """What the data says about the city, e.g. "Scored 92/100 in this area in its 2019 ICC
    Index report" (plain text: the templates carry no markup and the values are numbers)."""
    score = "" if evidence.score is None else f"{evidence.score:g}"
    return str(t(lang, f"mentor_evidence_{evidence.kind}", score=score, year=evidence.year))


def mentor_reason(lang: str, mentor: Mentor) -> str:
    """Why learn from this city: its documented practice, else what the data says about it."""
    if mentor.practice is not None:
        return mentor.practice
    return evidence_text(lang, mentor.evidence)
