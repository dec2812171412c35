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
from selfcheck_helpers import answer_all, best

from bot.core.assistant import Assistant
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
