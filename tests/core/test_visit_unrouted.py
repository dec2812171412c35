"""Without secretariat ids a study-visit request is stored, and the officer is told it reached
nobody instead of "sent" (SQLite and PostgreSQL)."""

from __future__ import annotations

from core_helpers import Chat
from visit_helpers import submit_request

from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope


def test_a_request_with_no_secretariat_configured_says_it_reached_nobody(
    chat: Chat, services: Services
) -> None:
    assert not services.settings.icc_admin_ids
    chat.send("/start")
    chat.send("Barcelona")
    [stored, *_] = submit_request(chat)
    assert "no one at the ICC secretariat is set up" in stored.text
    assert "sent to the ICC secretariat" not in stored.text
    with session_scope(services.engine) as session:
        assert len(repo.visit_requests(session)) == 1
