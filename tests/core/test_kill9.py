"""A self-check survives its process being killed with SIGKILL: a new process resumes it with
every answer the killed one had acknowledged, and nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from core_helpers import Chat, buttons, make_services
from selfcheck_helpers import answer_all, best, step_of

from bot.core.assistant import Assistant
from bot.core.texts import t
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import RunStatus
from scoring.score import indicators_for

CHILD = Path(__file__).with_name("selfcheck_child.py")
KILL_AFTER = 9


def test_resume_after_kill_9_keeps_every_answer(
    tmp_path: Path, shared_parts: dict[str, Any]
) -> None:
    database_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(tmp_path), database_url],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    acknowledged = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("answered"):
                acknowledged.append(int(line.split()[1]))
            if len(acknowledged) > KILL_AFTER or line.startswith("waiting"):
                break
        child.send_signal(signal.SIGKILL)  # mid-check: it was answering the next question
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert acknowledged == list(range(len(acknowledged)))

    services = make_services(database_url, tmp_path, shared_parts)
    quick = indicators_for(services.index_model, "quick")
    with session_scope(services.engine) as session:
        run = repo.open_run(session, user_id=100)
        assert run is not None and run.status == RunStatus.ACTIVE
        kept = repo.answers_for(session, run_id=run.id or 0)
    # Every acknowledged answer is there, and the run's position agrees with the answers.
    assert {i.id for i in quick[: len(acknowledged)]} <= set(kept)
    assert sorted(kept) == sorted(i.id for i in quick[: run.position])

    chat = Chat(Assistant(services))
    [offer] = chat.send("/selfcheck")
    assert f"question {run.position + 1}/{len(quick)}" in offer.text
    [question] = chat.press(buttons(offer)["Resume"])
    assert f"question {run.position + 1}/" in question.text
    _, summary, *_ = answer_all(chat, services, "quick", question, best)
    assert summary.attachment is not None
    with session_scope(services.engine) as session:
        final = repo.answers_for(session, run_id=run.id or 0)
        done = repo.get_run(session, run_id=run.id or 0)
    assert done is not None and done.status == RunStatus.COMPLETED
    assert sorted(final) == sorted(i.id for i in quick)
    assert all(final[k].answered_at == v.answered_at for k, v in kept.items())
    services.engine.dispose()


def _run_child_until_applied(tmp_path: Path, database_url: str, stop: str) -> tuple[str, int, int]:
    """Run the child until the press at ``stop`` is committed, then SIGKILL it before it
    could "send" the replies; returns (event id, run id, position) of that press."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(tmp_path), database_url, stop],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    applied: list[str] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("applied"):
                applied = line.split()[1:]
            if line.startswith("waiting"):
                break
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert applied, "the child never applied the press"
    return applied[0], int(applied[1]), int(applied[2])


def _replay(services: Any, event_id: str, data: str) -> list[Any]:
    """The same press delivered again, to a fresh core, as Telegram redelivers it."""
    chat = Chat(Assistant(services))
    return chat.press(data, event_id=event_id)


def test_the_last_answer_applied_before_a_kill_9_brings_the_results_when_redelivered(
    tmp_path: Path, index_dir: Path, shared_parts: dict[str, Any], bundled_retrieval: Any
) -> None:
    database_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    event_id, run_id, position = _run_child_until_applied(tmp_path, database_url, "last")
    services = make_services(database_url, tmp_path, shared_parts)
    services.__dict__["retrieval"] = bundled_retrieval
    quick = indicators_for(services.index_model, "quick")
    assert position == len(quick) - 1
    with session_scope(services.engine) as session:
        run = repo.get_run(session, run_id=run_id)
        before = repo.answers_for(session, run_id=run_id)
        stored = repo.result_for(session, run_id=run_id)
    assert run is not None and run.status == RunStatus.COMPLETED  # committed before the kill
    assert stored is not None and len(before) == len(quick)

    last = quick[position]
    data = f"sc1:{run_id}:{position}:d" if last.multi else f"sc1:{run_id}:{position}:o:0"
    for _ in range(2):  # redelivered, and once more: the same results each time, applied never
        done, summary, *details = _replay(services, event_id, data)
        assert done.edit and done.text == t("en", "sc_completed")
        assert summary.attachment is not None and summary.attachment.kind == "photo"
        assert summary.attachment.content.startswith(b"\x89PNG")
        assert "Overall:" in summary.text
        weak_text = "\n".join(reply.text for reply in details)
        assert "Weak area:" in weak_text
        assert str(t("en", "sc_mentors_heading")) in weak_text
        visit = [b.data for reply in details for row in reply.buttons for b in row if b.data]
        assert any(d.startswith("visit1:") for d in visit), visit
    with session_scope(services.engine) as session:
        after = repo.answers_for(session, run_id=run_id)
        results = repo.result_for(session, run_id=run_id)
    assert sorted(after) == sorted(before)  # stored once, untouched by the redeliveries
    assert all(after[k].answered_at == v.answered_at for k, v in before.items())
    assert results is not None and results.id == stored.id and results.areas == stored.areas
    services.engine.dispose()


def test_an_answer_applied_mid_check_before_a_kill_9_brings_the_next_question_when_redelivered(
    tmp_path: Path, shared_parts: dict[str, Any]
) -> None:
    database_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    event_id, run_id, position = _run_child_until_applied(tmp_path, database_url, "5")
    services = make_services(database_url, tmp_path, shared_parts)
    quick = indicators_for(services.index_model, "quick")
    with session_scope(services.engine) as session:
        before = repo.answers_for(session, run_id=run_id)
        run = repo.get_run(session, run_id=run_id)
    assert run is not None and run.position == position + 1
    assert len(before) == position + 1

    pressed = quick[position]
    data = f"sc1:{run_id}:{position}:d" if pressed.multi else f"sc1:{run_id}:{position}:o:0"
    [question] = _replay(services, event_id, data)
    assert question.edit  # in place of the question that was answered
    assert step_of(question) == (run_id, position + 1)
    assert f"question {position + 2}/{len(quick)}" in question.text
    with session_scope(services.engine) as session:
        after = repo.answers_for(session, run_id=run_id)
        again = repo.get_run(session, run_id=run_id)
    assert sorted(after) == sorted(before)
    assert after[pressed.id].options == before[pressed.id].options
    assert after[pressed.id].answered_at == before[pressed.id].answered_at
    assert again is not None and again.position == run.position and again.version == run.version
    services.engine.dispose()
