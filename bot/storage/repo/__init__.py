"""Every read and write of the database, as small keyword-only functions over a session.

No other module builds queries. Writes that several replicas may race on are written so the
database settles the race: answers are upserts on UNIQUE(run, indicator), a run changes only
if its version is still the one the caller read (else `Conflict`), a redelivered event id is
refused by its primary key.

Split by section, one module each; import the package (``from bot.storage import repo``)
and call ``repo.<function>``: every public name is re-exported here.
"""

from __future__ import annotations

from bot.storage.repo.common import Conflict
from bot.storage.repo.events import (
    claim_event,
    event_processed,
    forget_events_before,
)
from bot.storage.repo.peers import shared_results
from bot.storage.repo.personal_data import (
    anonymise_requests_before,
    detach_questions_before,
    forget_user,
    questions_of,
    runs_of,
    users_not_seen_since,
)
from bot.storage.repo.questions import (
    add_question,
    count_questions_since,
    feedback_for,
    get_question,
    last_question,
    recent_questions,
    save_feedback,
)
from bot.storage.repo.runs import (
    answers_for,
    create_run,
    get_run,
    open_run,
    previous_result,
    result_for,
    save_answer,
    save_result,
    update_run,
)
from bot.storage.repo.scores import (
    official_scores,
    save_official_scores,
)
from bot.storage.repo.stats import (
    completed_runs_count,
    feedback_counts,
    latest_results,
    question_log,
    requests_by_area,
    top_unanswered,
)
from bot.storage.repo.users import (
    get_user,
    touch_user,
    update_user,
)
from bot.storage.repo.visits import (
    add_visit_request,
    get_visit_request,
    set_visit_status,
    visit_requests,
)

__all__ = [
    "Conflict",
    "add_question",
    "add_visit_request",
    "anonymise_requests_before",
    "answers_for",
    "claim_event",
    "completed_runs_count",
    "count_questions_since",
    "create_run",
    "detach_questions_before",
    "event_processed",
    "feedback_counts",
    "feedback_for",
    "forget_events_before",
    "forget_user",
    "get_question",
    "get_run",
    "get_user",
    "get_visit_request",
    "last_question",
    "latest_results",
    "official_scores",
    "open_run",
    "previous_result",
    "question_log",
    "questions_of",
    "recent_questions",
    "requests_by_area",
    "result_for",
    "runs_of",
    "save_answer",
    "save_feedback",
    "save_official_scores",
    "save_result",
    "set_visit_status",
    "shared_results",
    "top_unanswered",
    "touch_user",
    "update_run",
    "update_user",
    "users_not_seen_since",
    "visit_requests",
]
