"""Two replicas handling presses of one self-check at the same moment, on SQLite and PostgreSQL.

Each replica has its own Services (engine, pool), as separate processes behind a load balancer
would. Whatever the interleaving, every answer is stored exactly once, a double tap applies
once, concurrent toggles of a multi-select question are all kept, and a redelivered update
applies once.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from core_helpers import Chat, button, buttons, make_services
from selfcheck_helpers import step_of

from bot.core.assistant import Assistant
from bot.core.messages import Reply
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import RunStatus
from scoring.score import indicators_for

SCOPE = "area:language"


def _at_once(*presses: tuple[Chat, str], event_id: str | None = None) -> list[list[Reply]]:
    """Press the buttons (chat, payload) from threads released together."""
    barrier = threading.Barrier(len(presses))

    def run(press: tuple[Chat, str]) -> list[Reply]:
        chat, data = press
        barrier.wait()
        return chat.press(data, event_id=event_id)

    with ThreadPoolExecutor(len(presses)) as pool:
        return list(pool.map(run, presses))


def test_simultaneous_presses_on_two_replicas(
    database_url: str, tmp_path: Path, shared_parts: dict[str, Any]
) -> None:
    replicas = [Assistant(make_services(database_url, tmp_path, shared_parts)) for _ in range(2)]
    a, b = Chat(replicas[0]), Chat(replicas[1])
    services = replicas[0].services
    [menu] = a.send("/selfcheck")
    [areas] = b.press(button(menu, "One area"))
    [question] = a.press(buttons(areas)["Language"])
    run_id, _ = step_of(question)
    indicators = indicators_for(services.index_model, SCOPE)
    expected: dict[str, tuple[str, ...]] = {}

    for position, indicator in enumerate(indicators):
        step = f"sc1:{run_id}:{position}"
        if indicator.multi:
            _at_once((a, f"{step}:t:0"), (b, f"{step}:t:1"))
            outcomes = _at_once((a, f"{step}:d"), (b, f"{step}:d"))
            expected[indicator.id] = (indicator.options[0].id, indicator.options[1].id)
        else:
            outcomes = _at_once((a, f"{step}:o:0"), (b, f"{step}:o:1"))
        applied = [n for n, r in enumerate(outcomes) if "no longer applies" not in r[0].text]
        assert len(applied) == 1, [r[0].text[:80] for r in outcomes]
        if not indicator.multi:
            expected[indicator.id] = (indicator.options[applied[0]].id,)

    with session_scope(services.engine) as session:
        run = repo.get_run(session, run_id=run_id)
        answers = repo.answers_for(session, run_id=run_id)
        result = repo.result_for(session, run_id=run_id)
    assert run is not None and run.status == RunStatus.COMPLETED
    assert {k: tuple(v.options) for k, v in answers.items()} == expected
    assert result is not None
    for replica in replicas:
        replica.services.engine.dispose()


def test_one_update_delivered_to_both_replicas_applies_once(
    database_url: str, tmp_path: Path, shared_parts: dict[str, Any]
) -> None:
    replicas = [Assistant(make_services(database_url, tmp_path, shared_parts)) for _ in range(2)]
    a, b = Chat(replicas[0]), Chat(replicas[1])
    [menu] = a.send("/selfcheck")
    [question] = a.press(button(menu, "Full"))
    run_id, _ = step_of(question)
    outcomes = _at_once((a, f"sc1:{run_id}:0:k"), (b, f"sc1:{run_id}:0:k"), event_id="update-9")
    # The replica that lost the race either saw the claim taken mid-write (no replies: the
    # winner answers) or found the event applied and showed the state it left (bot.core.
    # redelivery): the next question, the same as the winner's. Applied once either way.
    assert sorted(len(r) for r in outcomes) in ([0, 1], [1, 1])
    assert all(step_of(r[0]) == (run_id, 1) for r in outcomes if r)
    with session_scope(replicas[1].services.engine) as session:
        run = repo.get_run(session, run_id=run_id)
        assert run is not None and (run.position, run.version) == (1, 2)
        assert len(repo.answers_for(session, run_id=run_id)) == 1
    for replica in replicas:
        replica.services.engine.dispose()
