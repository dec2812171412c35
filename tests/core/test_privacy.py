"""Privacy through the core: /privacy and the consents, /mydata, /forget leaving no row that
names the user, and the retention purge (job and CLI), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from core_helpers import Chat, buttons
from sqlalchemy import text, update
from sqlmodel import SQLModel
from visit_helpers import ADMIN, add_request, add_result, admin_services, only, submit_request

from bot.core.assistant import Assistant
from bot.core.messages import Incoming
from bot.core.retention import purge_stale_data
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import User, utcnow

NAME = "Ana Lopez-Zubiri"
USERNAME = "ana_lz"
OFFICER = 100


@pytest.fixture
def services(database_url: str, tmp_path: Path, shared_parts: dict[str, Any]) -> Iterator[Services]:
    """The core fixture's services, with a secretariat."""
    services = admin_services(database_url, tmp_path, shared_parts)
    yield services
    services.engine.dispose()


class NamedChat(Chat):
    """An officer whose name and username are distinctive, to search every table for them."""

    def incoming(self, **kw: Any) -> Incoming:
        plain = super().incoming(**kw)
        return Incoming(
            user_id=plain.user_id,
            chat_id=plain.chat_id,
            text=plain.text,
            callback=plain.callback,
            language_code=plain.language_code,
            display_name=NAME,
            username=USERNAME,
            event_id=plain.event_id,
        )


@pytest.fixture
def ana(assistant: Assistant) -> NamedChat:
    return NamedChat(assistant, user_id=OFFICER)


def _rows_naming(services: Services, user_id: int) -> list[tuple[str, dict[str, Any]]]:
    """Every row of every table that holds the user's id, name or username."""
    found = []
    with session_scope(services.engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in session.execute(table.select()).mappings():
                for column, value in row.items():
                    ids = column in ("id", "user_id", "chat_id") and table.name != "answers"
                    named = isinstance(value, str) and (NAME in value or USERNAME in value)
                    if (ids and table.name in _PERSON_TABLES and value == user_id) or named:
                        found.append((table.name, dict(row)))
    return found


#: Tables whose id columns refer to people (elsewhere an ``id`` is a row number).
_PERSON_TABLES = {"users", "selfcheck_runs", "questions", "feedback", "visit_requests"}


def _own_traces(ana: NamedChat, services: Services) -> str:
    """A self-check, a question with feedback and a request with a note naming the officer;
    the secretariat's notice of the request names the city, never the officer."""
    ana.send("/start")
    ana.send("Barcelona")
    with session_scope(services.engine, write=True) as session:
        question = repo.add_question(
            session,
            user_id=OFFICER,
            text=f"I am {NAME}: how do we start?",
            language="en",
            answered=False,
            top_source=None,
            sources=[],
        )
        repo.save_feedback(session, question_id=question.id or 0, user_id=OFFICER, helpful=True)
    run_id = add_result(services, user_id=OFFICER, city="Barcelona", country="Spain")
    with session_scope(services.engine, write=True) as session:
        repo.update_user(session, user_id=OFFICER, consent_mentor=None)
    [sent, *rest] = submit_request(ana, note=f"Contact {NAME} directly")
    assert "sent to the ICC secretariat" in sent.text
    [notice] = [reply for reply in rest if reply.chat_id == ADMIN]
    assert "New study-visit request" in notice.text and "Barcelona" in notice.text
    assert NAME not in notice.text.replace(f"Contact {NAME} directly", "")  # only in the note
    assert USERNAME not in notice.text and "Ana" not in notice.text.split("\n")[0]
    return str(run_id)


def test_privacy_says_what_is_stored_and_consents_can_be_changed(
    chat: Chat, services: Services
) -> None:
    reply = only(chat.send("/privacy"))
    assert "Telegram id" in reply.text and "730 days" in reply.text and "/forget" in reply.text
    assert "not asked yet" in reply.text
    # what the secretariat keeps of a request after /forget, and for how long
    assert "What the ICC secretariat keeps" in reply.text and "no time limit" in reply.text
    assert "reference, area, mentor city" in reply.text and "no name, city" in reply.text
    french = only(Chat(chat.assistant, user_id=OFFICER + 1, language="fr").send("/privacy"))
    assert "Ce que garde le secrétariat ICC" in french.text and "730 jours" in french.text
    saved = only(chat.press(buttons(reply)["Mentor: yes"]))
    assert saved.edit and "proposed as a mentor" in saved.text
    only(chat.press(buttons(reply)["Share results: no"]))
    with session_scope(services.engine) as session:
        user = repo.get_user(session, user_id=OFFICER)
    assert user is not None and (user.consent_mentor, user.consent_share_results) == (True, False)
    again = only(chat.send("/privacy"))
    assert "from your self-check strengths: yes" in again.text
    assert "shared with the ICC secretariat: no" in again.text
    assert chat.press("cns1:x:1")[0].toast and chat.press("cns1:m:7")[0].toast


def test_consents_are_asked_once(chat: Chat) -> None:
    _, *first = submit_request(chat)
    asked = [r for r in first if r.chat_id is None]
    assert len(asked) == 2
    chat.press(buttons(asked[0])["No"])
    chat.press(buttons(asked[1])["Yes"])
    _, *second = submit_request(chat, area="public_space")
    assert [r for r in second if r.chat_id is None] == []


def test_mydata_sends_everything_stored_as_json(ana: NamedChat, services: Services) -> None:
    run_id = _own_traces(ana, services)
    reply = only(ana.send("/mydata"))
    assert reply.attachment is not None and reply.attachment.filename.endswith(".json")
    data = json.loads(reply.attachment.content)
    assert data["user"]["display_name"] == NAME and data["user"]["city"] == "Barcelona"
    assert [str(run["id"]) for run in data["selfchecks"]] == [run_id]
    assert data["selfchecks"][0]["result"]["overall"] == 50.0
    assert data["questions"][0]["text"].startswith("I am") and data["questions"][0]["feedback"]
    assert data["visit_requests"][0]["note"] == f"Contact {NAME} directly"


def test_forget_after_confirmation_leaves_no_row_naming_the_user(
    ana: NamedChat, assistant: Assistant, services: Services
) -> None:
    _own_traces(ana, services)
    Chat(assistant, user_id=200).send("/help")  # someone else, who must stay
    assert _rows_naming(services, OFFICER)
    confirm = only(ana.send("/forget"))
    kept = only(ana.press(buttons(confirm)["No, keep it"]))
    assert "Nothing was deleted" in kept.text and _rows_naming(services, OFFICER)
    [foreign] = Chat(assistant, user_id=200).press(buttons(confirm)["Yes, delete my data"])
    assert foreign.toast and _rows_naming(services, OFFICER)

    done = only(ana.press(buttons(confirm)["Yes, delete my data"]))
    assert done.edit and "deleted" in done.text
    assert _rows_naming(services, OFFICER) == []
    with session_scope(services.engine) as session:
        [request] = repo.visit_requests(session)
        # What the secretariat needs to honour the visit stays...
        assert request.reference and request.reference.startswith("SV-")
        assert (request.area_id, request.format, request.group_size) == ("education", "online", 3)
        assert request.status == "new" and request.created_at is not None
        # ...but nothing that points back to the officer: one officer per city names them.
        assert (request.user_id, request.city, request.country) == (None, None, None)
        assert request.note == "" and request.period == ""  # free text: it may name them too
        assert repo.get_user(session, user_id=200) is not None
        answers = session.execute(text("SELECT count(*) FROM answers")).scalar_one()
        questions = session.execute(text("SELECT count(*) FROM questions")).scalar_one()
    assert answers == 0 and questions == 1  # the question still counts, anonymously
    # The secretariat can still act on the anonymous request; nobody is told.
    admin = Chat(assistant, user_id=ADMIN)
    [edited] = admin.press(f"adm1:{request.id}:accepted")
    assert "accepted" in edited.text and request.reference in edited.text
    assert "removed with the officer's personal data" in edited.text


def test_retention_purge_forgets_silent_users_and_old_links(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import main

    add_request(services, user_id=1, city="Lisbon", area_id="education", note="old")
    add_request(services, user_id=2, city="Porto", area_id="education", note="recent")
    add_result(services, user_id=1, city="Lisbon", country="Portugal")
    long_ago = utcnow() - timedelta(days=services.settings.icc_retention_days + 1)
    with session_scope(services.engine, write=True) as session:
        session.execute(update(User).where(User.id == 1).values(seen_at=long_ago))
    report = purge_stale_data(services)
    assert report.users_forgotten == 1
    with session_scope(services.engine) as session:
        assert repo.get_user(session, user_id=1) is None
        assert repo.get_user(session, user_id=2) is not None
        notes = {r.reference: (r.city, r.note, r.user_id) for r in repo.visit_requests(session)}
        assert repo.runs_of(session, user_id=1) == []
    assert set(notes.values()) == {(None, "", None), ("Porto", "recent", 2)}
    assert purge_stale_data(services).users_forgotten == 0  # nothing left to do

    monkeypatch.setenv("ICC_DATA_DIR", str(services.settings.icc_data_dir))
    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("ICC_RETENTION_DAYS", "1")
    with session_scope(services.engine, write=True) as session:
        session.execute(update(User).values(seen_at=utcnow() - timedelta(days=2)))
    assert main(["admin", "purge", "--json"]) == 0
    with session_scope(services.engine) as session:
        assert repo.get_user(session, user_id=2) is None
