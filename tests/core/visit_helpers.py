"""Helpers for the study-visit, secretariat and privacy tests: a secretariat's services, stored
self-check results and requests made directly (the flows themselves are tested elsewhere)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core_helpers import Chat, buttons, make_services

from bot.core.messages import Reply
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import RunStatus, VisitRequest

ADMIN = 900


def admin_services(database_url: str, data_dir: Path, shared: dict[str, Any]) -> Services:
    """Services whose secretariat is user ``ADMIN``."""
    return make_services(database_url, data_dir, shared, icc_admin_ids=str(ADMIN))


def only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0]


def add_result(
    services: Services,
    *,
    user_id: int,
    city: str,
    country: str,
    weak: tuple[str, ...] = (),
    strong: tuple[str, ...] = (),
    consent_mentor: bool | None = None,
    consent_share_results: bool | None = None,
    scores: dict[str, float] | None = None,
) -> int:
    """A user with a completed self-check whose result flags these areas; returns the run id.

    Weak areas score 20, strong ones 90, others 60, unless ``scores`` says otherwise."""
    areas = []
    for area in services.index_model.areas:
        score = 20.0 if area.id in weak else 90.0 if area.id in strong else 60.0
        score = (scores or {}).get(area.id, score)
        areas.append(
            {
                "id": area.id,
                "name": area.name_in("en"),
                "score": score,
                "network_average": 55.0,
                "weak": area.id in weak,
                "strong": area.id in strong,
                "coverage": 1.0,
            }
        )
    with session_scope(services.engine, write=True) as session:
        repo.touch_user(session, user_id=user_id, chat_id=user_id, language="en")
        repo.update_user(
            session,
            user_id=user_id,
            city=city,
            country=country,
            consent_mentor=consent_mentor,
            consent_share_results=consent_share_results,
        )
        run = repo.create_run(
            session, user_id=user_id, city=city, scope="quick", model_version="test"
        )
        repo.update_run(session, run=run, status=RunStatus.COMPLETED)
        repo.save_result(session, run_id=run.id or 0, overall=50.0, lens=None, areas=areas)
        return run.id or 0


def add_request(
    services: Services, *, user_id: int, city: str, area_id: str, note: str = ""
) -> VisitRequest:
    """A stored request from a known user (created if new)."""
    with session_scope(services.engine, write=True) as session:
        repo.touch_user(
            session, user_id=user_id, chat_id=user_id, language="en", display_name="Officer"
        )
        repo.update_user(session, user_id=user_id, city=city, country="Spain")
        return repo.add_visit_request(
            session,
            user_id=user_id,
            city=city,
            country="Spain",
            area_id=area_id,
            mentor_city=None,
            format="online",
            period="Within 6 months",
            group_size=3,
            note=note,
        )


def submit_request(chat: Chat, area: str = "education", note: str = "A note") -> list[Reply]:
    """Press through /visit for ``area`` with the secretariat choosing; the submit's replies."""
    mentors = only(chat.send(f"/visit {area}"))
    fmt = only(chat.press(buttons(mentors)["Let the secretariat choose"]))
    period = only(chat.press(buttons(fmt)["Online"]))
    group = only(chat.press(buttons(period)["Flexible"]))
    only(chat.press(buttons(group)["3"]))
    confirm = only(chat.send(note))
    return chat.press(buttons(confirm)["Send the request"])
