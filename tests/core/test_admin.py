"""The secretariat's commands through the core: refused to non-admins, /requests filters,
/export's CSV files, /stats, and matchmaking (core and `visits` CLI), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from core_helpers import Chat, buttons
from visit_helpers import ADMIN, add_request, add_result, admin_services, only, submit_request

from bot.core.assistant import Assistant
from bot.core.messages import Incoming, IncomingFile
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import VisitStatus


@pytest.fixture
def services(database_url: str, tmp_path: Path, shared_parts: dict[str, Any]) -> Iterator[Services]:
    """The core fixture's services, with a secretariat."""
    services = admin_services(database_url, tmp_path, shared_parts)
    yield services
    services.engine.dispose()


@pytest.fixture
def admin(assistant: Assistant) -> Chat:
    return Chat(assistant, user_id=ADMIN)


def _snapshot(services: Services) -> list[tuple[Any, ...]]:
    with session_scope(services.engine) as session:
        requests = repo.visit_requests(session)
        scores = repo.official_scores(session)
    return [(r.id, r.status, r.note) for r in requests] + [(s.city, s.score) for s in scores]


def test_every_admin_command_refuses_non_admins_and_changes_nothing(
    chat: Chat, assistant: Assistant, services: Services
) -> None:
    [notice] = [r for r in submit_request(chat) if r.chat_id == ADMIN]
    request_id = int(buttons(notice)["Accept"].split(":")[1])
    before = _snapshot(services)
    for command in ("/requests", "/requests new", "/export", "/stats", "/documents"):
        reply = only(chat.send(command))
        assert reply.text == "Sorry, this command is for the ICC secretariat only.", command
        assert reply.attachment is None
    assert "secretariat only" in only(chat.send("/remove icc-guide")).text
    for status in ("forwarded", "accepted", "declined", "done", "show"):
        refused = only(chat.press(f"adm1:{request_id}:{status}"))
        assert "secretariat only" in refused.text and refused.toast
    csv_file = IncomingFile("scores.csv", "text/csv", 60, b"city,country,year,area,score\n")
    pdf = IncomingFile("guide.pdf", "application/pdf", 9, b"%PDF-1.4\n")
    for document in (csv_file, pdf):
        [reply] = assistant.handle(
            Incoming(user_id=100, chat_id=100, document=document, event_id=document.filename)
        )
        assert "cannot use files" in reply.text
    assert _snapshot(services) == before
    french = Chat(assistant, user_id=101, language="fr")
    assert "réservée au secrétariat" in only(french.send("/stats")).text


def test_requests_are_listed_and_filtered_by_status_and_area(
    admin: Chat, services: Services
) -> None:
    first = add_request(services, user_id=1, city="Barcelona", area_id="education")
    add_request(services, user_id=2, city="Lisbon", area_id="public_space")
    with session_scope(services.engine, write=True) as session:
        repo.set_visit_status(
            session, request_id=first.id or 0, status=VisitStatus.DECLINED, allowed_from=["new"]
        )
    everything = only(admin.send("/requests"))
    assert "(latest 2)" in everything.text and "Barcelona" in everything.text
    assert list(buttons(everything)) == [r for r in buttons(everything) if r.startswith("SV-")]
    assert len(buttons(everything)) == 1  # a declined request has nothing left to do
    declined = only(admin.send("/requests declined"))
    assert "Barcelona" in declined.text and "Lisbon" not in declined.text
    by_area = only(admin.send("/requests public space"))
    assert "Lisbon" in by_area.text and "Barcelona" not in by_area.text
    assert "No request matches" in only(admin.send("/requests done")).text
    assert "do not know the status or area" in only(admin.send("/requests zzqx")).text
    details = only(admin.press(next(iter(buttons(everything).values()))))
    assert "Lisbon" in details.text and set(buttons(details)) == {"Forward", "Accept", "Decline"}


def test_export_sends_requests_and_consented_results_as_csv(
    admin: Chat, services: Services
) -> None:
    add_request(services, user_id=1, city="Barcelona", area_id="education", note='Say "hi", ok')
    add_request(services, user_id=2, city="Lisbon", area_id="public_space", note="=1+2")
    add_result(
        services,
        user_id=3,
        city="Oslo",
        country="Norway",
        weak=("education",),
        consent_share_results=True,
    )
    add_result(
        services,
        user_id=4,
        city="Lyon",
        country="France",
        weak=("education",),
        consent_share_results=False,
    )
    requests_reply, results_reply = admin.send("/export")
    assert requests_reply.attachment is not None and results_reply.attachment is not None
    assert requests_reply.attachment.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(requests_reply.attachment.content.decode("utf-8-sig"))))
    assert [row["city"] for row in rows] == ["Barcelona", "Lisbon"]
    assert rows[0]["note"] == 'Say "hi", ok' and rows[0]["area"] == "Education"
    assert rows[0]["status"] == "new" and rows[0]["reference"].startswith("SV-")
    assert rows[0]["officer"] == "Officer" and rows[1]["group_size"] == "3"
    assert rows[1]["note"] == "'=1+2"  # a spreadsheet must not run it as a formula
    results = list(
        csv.DictReader(io.StringIO(results_reply.attachment.content.decode("utf-8-sig")))
    )
    assert [row["city"] for row in results] == ["Oslo"]  # Lyon did not consent
    assert results[0]["education"] == "20.0" and results[0]["public_space"] == "60.0"
    assert "1 officers" in results_reply.text


def test_export_without_consented_results_says_so(admin: Chat) -> None:
    requests_reply, note = admin.send("/export")
    assert requests_reply.attachment is not None and note.attachment is None
    header = requests_reply.attachment.content.decode("utf-8-sig").splitlines()
    assert header[0].startswith("reference,created_at") and len(header) == 1
    assert "No officer has consented" in note.text


def test_stats_count_questions_feedback_unanswered_selfchecks_and_requests(
    admin: Chat, services: Services
) -> None:
    with session_scope(services.engine, write=True) as session:
        repo.touch_user(session, user_id=5, chat_id=5, language="en")
        for text, answered in [
            ("What is the ICC Index?", True),
            ("Parking rules?", False),
            ("parking rules?", False),
            ("Bus times?", False),
        ]:
            question = repo.add_question(
                session,
                user_id=5,
                text=text,
                language="en",
                answered=answered,
                top_source=None,
                sources=[],
            )
        repo.save_feedback(session, question_id=question.id or 0, user_id=5, helpful=False)
    add_result(services, user_id=6, city="Oslo", country="Norway")
    add_request(services, user_id=7, city="Lisbon", area_id="education")
    add_request(services, user_id=8, city="Porto", area_id="education")
    stats = only(admin.send("/stats")).text
    assert "Questions: 4, answered from the documents: 25%" in stats
    assert "(1 answered)" in stats and "0 helpful, 1 not helpful" in stats
    unanswered = stats.split("unanswered questions:")[1]
    assert unanswered.index("2× parking rules?") < unanswered.index("1× bus times?")
    assert "Self-checks completed: 1" in stats and "• Education: 2" in stats


def test_matchmaking_joint_visits_and_consenting_candidate_mentors(
    chat: Chat, services: Services, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from bot.cli import main
    from bot.core.matchmaking import find_matches

    add_result(
        services,
        user_id=11,
        city="Oslo",
        country="Norway",
        weak=("education",),
        consent_share_results=True,
    )
    add_result(
        services,
        user_id=12,
        city="Lyon",
        country="France",
        weak=("education",),
        consent_share_results=False,
    )  # not shared: not matched on its self-check
    add_request(services, user_id=13, city="Lisbon", area_id="education")
    add_result(
        services,
        user_id=14,
        city="Bergen",
        country="Norway",
        strong=("education",),
        consent_mentor=True,
    )
    add_result(
        services,
        user_id=15,
        city="Ghent",
        country="Belgium",
        strong=("education",),
        consent_mentor=False,
    )
    with session_scope(services.engine) as session:
        matches = find_matches(session, services.cities)
    [joint] = matches.joint_visits
    assert joint.area_id == "education" and joint.cities == ["Lisbon", "Oslo"]
    assert joint.basis == {"Lisbon": ["request"], "Oslo": ["self-check"]}
    assert joint.mentors and not set(joint.mentors) & {"Lisbon", "Oslo"}
    assert [(m.city, m.area_id, m.score) for m in matches.candidate_mentors] == [
        ("Bergen", "education", 90.0)
    ]
    # A consenting strong city is offered to officers, labelled as a self-check estimate.
    mentors = only(chat.send("/visit education"))
    assert "Bergen" in buttons(mentors) and "Ghent" not in buttons(mentors)
    assert "estimated 90/100, not an official result" in mentors.text

    monkeypatch.setenv("ICC_DATA_DIR", str(services.settings.icc_data_dir))
    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    assert main(["visits", "match", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["joint_visits"][0]["cities"] == ["Lisbon", "Oslo"]
    assert printed["candidate_mentors"][0]["city"] == "Bergen"
    assert main(["visits", "list", "--json", "--status", "new"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["city"] == "Lisbon" and "note" not in listed and "user_id" not in listed
    assert main(["visits", "list", "--area", "nowhere"]) == 2
