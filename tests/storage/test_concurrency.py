"""Racing writers on one self-check run never lose or duplicate an answer.

Several threads, each with its own session (as separate replicas would), read the run at the
same version and try to answer the current question at once. Exactly one wins per question;
the others get `Conflict`, and the database holds one answer per indicator.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Engine

from bot.storage import repo
from bot.storage.db import make_engine, session_scope
from bot.storage.models import AnswerKind

THREADS = 4
QUESTIONS = 6


def test_simultaneous_answers_to_one_question_store_exactly_one(database_url: str) -> None:
    # Two engines = two replicas with their own connection pools on one database.
    replicas = [make_engine(database_url), make_engine(database_url)]
    with session_scope(replicas[0], write=True) as session:
        repo.touch_user(session, user_id=1, chat_id=1, language="en")
        run_id = repo.create_run(session, user_id=1, city=None, scope="full", model_version="v").id
    assert run_id is not None

    def press(engine: Engine, position: int, option: str, barrier: threading.Barrier) -> bool:
        with session_scope(engine) as session:
            run = repo.get_run(session, run_id=run_id)
        assert run is not None and run.position == position
        barrier.wait()  # everyone read the same version; now all write at once
        try:
            with session_scope(engine, write=True) as session:
                fresh = repo.get_run(session, run_id=run_id)
                assert fresh is not None
                if fresh.position != position:
                    raise repo.Conflict("moved on")
                repo.save_answer(
                    session,
                    run_id=run_id,
                    indicator_id=f"q{position}",
                    kind=AnswerKind.OPTION,
                    options=[option],
                )
                repo.update_run(session, run=run, position=position + 1)
        except repo.Conflict:
            return False
        return True

    winners = []
    with ThreadPoolExecutor(THREADS) as pool:
        for position in range(QUESTIONS):
            barrier = threading.Barrier(THREADS)
            futures = [
                pool.submit(press, replicas[n % 2], position, f"opt{n}", barrier)
                for n in range(THREADS)
            ]
            outcomes = [f.result() for f in futures]
            assert outcomes.count(True) == 1, outcomes
            winners.append(f"opt{outcomes.index(True)}")

    with session_scope(replicas[1]) as session:
        answers = repo.answers_for(session, run_id=run_id)
        run = repo.get_run(session, run_id=run_id)
    assert run is not None and run.position == QUESTIONS and run.version == QUESTIONS + 1
    assert sorted(answers) == [f"q{p}" for p in range(QUESTIONS)]
    assert [answers[f"q{p}"].options for p in range(QUESTIONS)] == [[w] for w in winners]
    for engine in replicas:
        engine.dispose()
