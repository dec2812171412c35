"""The named dialogue states a user can be in (stored in `users.state`; drawn in dialog.mmd).

A self-check's own progress lives in its run row (status and position), not here: these states
only say how the next piece of free text is read.
"""

from __future__ import annotations

from enum import StrEnum


class DialogState(StrEnum):
    """How the assistant reads the user's next free text."""

    #: Free text is a question for the ICC documents.
    IDLE = "idle"
    #: Free text is the name of the city the user works for (after /start).
    AWAITING_CITY = "awaiting_city"
    #: Free text is the preferred period of the study visit being drafted.
    VISIT_PERIOD = "visit_period"
    #: Free text is the group size of the study visit being drafted.
    VISIT_GROUP = "visit_group"
    #: Free text is the short note of the study visit being drafted.
    VISIT_NOTE = "visit_note"
