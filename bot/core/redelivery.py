"""Redelivered events: show the state the first delivery left, and apply nothing twice.

Telegram hands an update out again when the bot did not confirm it, typically because the
process died after committing the update's effect and before its replies went out (a kill -9,
a crash, a lost replica). The update's id is stored with its effect, so the core knows it was
applied; dropping it silently would leave the officer waiting forever (the results of a
completed self-check never appeared). Instead the event is replayed on a turn that refuses to
write (`Turn.replay`):

* a self-check press (scope, resume, step) renders the run as it is now: the results of the run
  it completed (chart, scores, weak areas, mentors, visit buttons), else the current question,
  or the pause note;
* a typed question is answered again (answering only reads), with the logged question's id on
  its buttons so that feedback lands on the question that was stored;
* any other press, command or file runs its flow read-only: one that only reads (/help,
  /mentors, "Sources") answers as the first time; one that reaches a write answers "Done: that
  was already saved." instead, so a study-visit request is never sent, nor an admin notified,
  twice;
* other typed text (a city, a study-visit detail) was taken by the step it answered, which has
  moved on: the same note.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from bot.core import payloads, qa_flow, selfcheck_flow
from bot.core.errors import StaleAction
from bot.core.messages import Reply
from bot.core.payloads import ButtonKind
from bot.core.turn import AlreadyApplied, Turn
from bot.storage import repo
from bot.storage.models import utcnow

log = logging.getLogger(__name__)

#: A question redelivered later than this is not looked for among the logged ones (Telegram
#: keeps an unconfirmed update for 24 hours).
QUESTION_WINDOW = timedelta(hours=24)

#: Presses whose current state is rendered directly, without running their flow.
CURRENT_STATE: dict[str, Callable[[Turn, payloads.Payload], list[Reply]]] = {
    ButtonKind.SELFCHECK_SCOPE: selfcheck_flow.current_state,
    ButtonKind.SELFCHECK_RESUME: selfcheck_flow.current_state,
    ButtonKind.SELFCHECK_STEP: selfcheck_flow.current_state,
}


def replay(turn: Turn, dispatch: Callable[[Turn], list[Reply]]) -> list[Reply]:
    """The replies for an event that was already applied. ``dispatch`` is the assistant's
    normal routing, which sends a replayed press to `CURRENT_STATE` where it has an entry and
    replayed text to `typed_text`; any flow that reaches a write says it was done already."""
    assert turn.replay, "replay() needs a turn that refuses writes"
    try:
        return dispatch(turn)
    except (AlreadyApplied, StaleAction):
        return [_already_done(turn)]


def typed_text(turn: Turn, text: str) -> list[Reply]:
    """A question is answered again; other text answered a step that has moved on since."""
    with turn.read() as session:
        logged = repo.last_question(session, user_id=turn.user_id, since=utcnow() - QUESTION_WINDOW)
        if logged is None or logged.text != text:
            return [_already_done(turn)]
        # Read in the context it was first asked in, as `qa_flow.ask` saw it.
        previous = qa_flow.follow_up_context(session, user_id=turn.user_id, at=logged.created_at)
    answer = turn.services.qa.ask(text, previous=previous)
    # qa_flow's own rendering, so the answer looks exactly as the first time.
    return [qa_flow.render_answer(turn, answer, logged.id or 0)]


def _already_done(turn: Turn) -> Reply:
    text = turn.t("already_done")
    return Reply(text=text, toast=text if turn.incoming.callback is not None else None)
