"""The actions a button carries inside its payload, one enum per flow.

Payloads are short (Telegram allows 64 bytes), so an action travels as a letter or a short word;
here each gets a name the code reads instead. The values are the wire format of buttons already
sitting in users' chats: never change one (tests/core/test_inputs.py pins them all). They live
in one module, not in their flows, because flows write each other's buttons (/mentors offers a
study visit, the terminal self-check presses Pause) and must not import each other for it.
"""

from __future__ import annotations

from enum import StrEnum


class CityChoice(StrEnum):
    """``city1``: the buttons next to the city question."""

    #: The user works for no member city.
    OTHER = "other"
    #: Ask for the city again.
    CHANGE = "change"


class QuestionAction(StrEnum):
    """``qa1``: the buttons under an answer."""

    #: Show the passages the answer was built from.
    SOURCES = "s"
    #: Helpful (1) or not helpful (0).
    FEEDBACK = "f"
    #: Why the answer was not helpful (one of qa_flow.REASONS).
    REASON = "r"


class ScopeChoice(StrEnum):
    """``scs1``: how much a new self-check covers."""

    QUICK = "quick"
    FULL = "full"
    #: List the areas to pick one.
    AREA_MENU = "area"
    #: One area, whose id follows.
    AREA = "a"


class ResumeAction(StrEnum):
    """``scr1``: what to do with an unfinished self-check."""

    RESUME = "r"
    START_OVER = "n"


class StepAction(StrEnum):
    """``sc1``: a press on a self-check question."""

    #: Choose option <index> of a single-choice question.
    OPTION = "o"
    #: Tick or untick option <index> of a multi-select question.
    TOGGLE = "t"
    #: Confirm the ticked options of a multi-select question.
    DONE = "d"
    DONT_KNOW = "k"
    SKIP = "s"
    BACK = "b"
    PAUSE = "p"


class VisitStep(StrEnum):
    """``vis1``: the steps of a study-visit draft (drawn in visit_flow.mmd)."""

    #: Start a draft for an area; written where a draft's token goes (tokens are hex, never "s").
    START = "s"
    AREA = "a"
    MENTOR = "m"
    FORMAT = "f"
    PERIOD = "p"
    GROUP = "g"
    #: "No note" (the note itself is typed).
    NOTE = "n"
    #: Send (`Confirmation.YES`) or cancel the draft.
    CONFIRM = "c"


class Consent(StrEnum):
    """``cns1``: which consent a button gives or withdraws."""

    #: To be proposed as a mentor city from strong self-check areas.
    MENTOR = "m"
    #: To have self-check results in the secretariat's exports and matchmaking.
    SHARE_RESULTS = "r"


class Confirmation(StrEnum):
    """Yes or no to a question that needs one (sending a study-visit request, /forget)."""

    YES = "yes"
    NO = "no"


#: ``adm1``: show a request's details; any other action there is the `VisitStatus` to set.
SHOW_REQUEST = "show"
