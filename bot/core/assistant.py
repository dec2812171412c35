"""The conversation core: one entry point every transport calls with what the user did.

`Assistant.handle` is synchronous and thread-safe: transports run it in a worker thread, so
embedding, scoring and charts never block their event loop. It never raises: typed domain
errors become polite replies, anything else is logged and apologised for.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core import (
    admin_flow,
    curation_flow,
    mentors_flow,
    payloads,
    privacy_flow,
    qa_flow,
    redelivery,
    selfcheck_flow,
    start_flow,
    visit_flow,
)
from bot.core.dialog import DialogState
from bot.core.errors import InvalidInput, NotAllowed, StaleAction, UserFacingError
from bot.core.inputs import MAX_TEXT_CHARS, TextProblem, check_text
from bot.core.logrefs import user_ref
from bot.core.messages import Incoming, Reply
from bot.core.payloads import ButtonKind
from bot.core.texts import pick_language, t
from bot.core.turn import DuplicateEvent, Turn
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import User, utcnow

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

#: How many recent event ids a process remembers having handled itself (a redelivery comes
#: within minutes; older ones are shown their state again, which is harmless).
REMEMBERED_EVENTS = 10_000
#: How stale `users.seen_at` may get before an update refreshes it (saves a write per update).
SEEN_RESOLUTION = timedelta(minutes=5)

Command = Callable[[Turn, str], list[Reply]]
ButtonHandler = Callable[[Turn, payloads.Payload], list[Reply]]

#: Slash commands, by name (without the slash).
COMMANDS: dict[str, Command] = {
    "start": start_flow.start,
    "help": start_flow.help_command,
    "language": start_flow.language,
    "privacy": privacy_flow.privacy,
    "mydata": privacy_flow.my_data,
    "forget": privacy_flow.forget,
    "cancel": start_flow.cancel,
    "selfcheck": selfcheck_flow.command,
    "mentors": mentors_flow.command,
    "visit": visit_flow.command,
    "myrequests": visit_flow.my_requests,
    # The secretariat's commands (each refuses non-admins itself).
    "requests": admin_flow.requests_command,
    "export": admin_flow.export,
    "stats": admin_flow.stats,
    "documents": curation_flow.documents,
    "remove": curation_flow.remove,
}

#: Commands that find a pending multi-step input (the city after /start, a study-visit draft's
#: text step) as it is: /start, /help and /language leave it waiting, /cancel ends it itself and
#: says so. Any other command drops it first, so the next free text is a question again.
KEEP_PENDING_INPUT = frozenset({"start", "help", "language", "cancel"})

#: Button handlers, by payload kind (name and version).
BUTTONS: dict[str, ButtonHandler] = {
    ButtonKind.CITY: start_flow.city_button,
    ButtonKind.LANGUAGE: start_flow.language_button,
    ButtonKind.QUESTION: qa_flow.button,
    ButtonKind.SELFCHECK_SCOPE: selfcheck_flow.scope_button,
    ButtonKind.SELFCHECK_RESUME: selfcheck_flow.resume_button,
    ButtonKind.SELFCHECK_STEP: selfcheck_flow.step_button,
    ButtonKind.VISIT_FROM_RESULTS: visit_flow.results_button,
    ButtonKind.MENTORS: mentors_flow.button,
    ButtonKind.VISIT: visit_flow.button,
    ButtonKind.ADMIN: admin_flow.button,
    ButtonKind.CONSENT: privacy_flow.consent_button,
    ButtonKind.FORGET: privacy_flow.forget_button,
}


class Assistant:
    """Turns one `Incoming` into the replies to send, with all state in the database."""

    def __init__(self, services: Services) -> None:
        self.services = services
        # The events this process handled: a second delivery of one of them is a duplicate
        # whose replies this very process produced (a webhook retry, a double POST), not one
        # a dead process left unanswered, so it gets no replies again.
        self._handled: OrderedDict[str, None] = OrderedDict()
        self._handled_lock = threading.Lock()

    def handle(self, incoming: Incoming) -> list[Reply]:
        """Apply what the user did and return the replies.

        Every change is committed before this returns, so a transport that crashes after
        sending nothing loses nothing: the redelivered update is applied then, or, when it was
        applied already by a process that is gone, answered with the state it left
        (`bot.core.redelivery`): replies at least once, effects exactly once. A second
        delivery of an event this process handled itself gets no replies (they were given).
        """
        lang = pick_language(incoming.language_code)
        try:
            event_id = incoming.event_id or ""
            replay = bool(event_id) and self._already_processed(event_id)
            if replay and self._seen(event_id):
                log.info("event %s handled by this process already, ignored", event_id)
                return []
            turn = self._turn(incoming)
            lang = turn.lang
            if replay:
                # Applied by a process that may have died before its replies went out: show
                # the state it left, writing nothing.
                log.info("event %s already applied: showing its state", event_id)
                turn.replay = True
                replies = redelivery.replay(turn, self._dispatch)
            else:
                replies = self._dispatch(turn)
                turn.mark_event_done()
            self._remember(event_id)
            return replies
        except DuplicateEvent:
            log.info("event %s applied concurrently elsewhere, ignored", incoming.event_id)
            return []
        except NotAllowed:
            return [_polite(incoming, t(lang, "foreign_button"))]
        except StaleAction:
            return [_polite(incoming, t(lang, "stale_button"))]
        except InvalidInput as exc:
            log.info("invalid input from %s: %s", user_ref(incoming.user_id), exc)
            key = "invalid_button" if incoming.callback is not None else "internal_error"
            return [_polite(incoming, t(lang, key))]
        except UserFacingError as exc:
            return [_polite(incoming, str(exc))]
        except Exception:
            log.exception(
                "failed to handle %s from %s",
                "callback" if incoming.callback is not None else "message",
                user_ref(incoming.user_id),
            )
            return [_polite(incoming, t(lang, "internal_error"))]

    def _seen(self, event_id: str) -> bool:
        with self._handled_lock:
            return event_id in self._handled

    def _remember(self, event_id: str) -> None:
        if not event_id:
            return
        with self._handled_lock:
            self._handled[event_id] = None
            while len(self._handled) > REMEMBERED_EVENTS:
                self._handled.popitem(last=False)

    def _already_processed(self, event_id: str) -> bool:
        with session_scope(self.services.engine) as session:
            return repo.event_processed(session, event_id=event_id)

    def _turn(self, incoming: Incoming) -> Turn:
        """The turn's context; the user row is written only when new or out of date, so most
        updates start without taking the write lock."""
        with session_scope(self.services.engine) as session:
            user = repo.get_user(session, user_id=incoming.user_id)
        if user is not None and not _user_outdated(user, incoming):
            return Turn(self.services, incoming, user)
        with session_scope(self.services.engine, write=True) as session:
            user = repo.touch_user(
                session,
                user_id=incoming.user_id,
                chat_id=incoming.chat_id,
                language=pick_language(incoming.language_code),
                display_name=incoming.display_name,
                username=incoming.username,
            )
        return Turn(self.services, incoming, user)

    def _dispatch(self, turn: Turn) -> list[Reply]:
        incoming = turn.incoming
        if incoming.callback is not None:
            payload = payloads.parse(incoming.callback)
            # A replayed press shows the state it left where the flow can render it directly.
            replayed = redelivery.CURRENT_STATE.get(payload.kind) if turn.replay else None
            handler = replayed or BUTTONS.get(payload.kind)
            if handler is None:
                raise InvalidInput(f"unknown payload kind {payload.kind}")
            return handler(turn, payload)
        if incoming.document is not None:
            return curation_flow.upload(turn, incoming.document)
        text = incoming.text or ""
        problem = check_text(text)
        if problem is not None:
            return [_text_problem(turn, problem, text)]
        text = text.strip()
        if text.startswith("/"):
            return self._command(turn, text)
        if turn.replay:  # a step this text answered has moved on; a question is asked again
            return redelivery.typed_text(turn, text)
        if turn.user.state == DialogState.AWAITING_CITY:
            return start_flow.city_text(turn, text)
        if turn.user.state in visit_flow.TEXT_STATES:
            return visit_flow.text(turn, text)
        return qa_flow.ask(turn, text)

    def _command(self, turn: Turn, text: str) -> list[Reply]:
        head, _, args = text.partition(" ")
        name = head[1:].split("@", 1)[0].lower()
        command = COMMANDS.get(name)
        if command is None:
            return [Reply(text=turn.t("unknown_command", command=head[:40]))]
        if turn.user.state != DialogState.IDLE and name not in KEEP_PENDING_INPUT:
            with turn.write() as session:
                repo.update_user(session, user_id=turn.user_id, state=DialogState.IDLE)
            turn.user.state = DialogState.IDLE
        return command(turn, args.strip())


def _user_outdated(user: User, incoming: Incoming) -> bool:
    """Whether the stored contact details or last-seen time need refreshing."""
    return (
        user.chat_id != incoming.chat_id
        or user.display_name != incoming.display_name[:200]
        or user.username != incoming.username
        or user.seen_at < utcnow() - SEEN_RESOLUTION
    )


def _text_problem(turn: Turn, problem: TextProblem, text: str) -> Reply:
    if problem is TextProblem.TOO_LONG:
        return Reply(text=turn.t("bad_too_long", length=len(text), limit=MAX_TEXT_CHARS))
    return Reply(text=turn.t(f"bad_{problem.value}"))


def _polite(incoming: Incoming, text: str) -> Reply:
    """A refusal: for a button press also a toast, so the user sees it where they tapped."""
    return Reply(text=text, toast=text if incoming.callback is not None else None)
