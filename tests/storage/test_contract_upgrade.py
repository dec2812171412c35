"""Upgrading a database made by the first release keeps every row, on SQLite and PostgreSQL.

The rows are written with plain SQL at revision 0001, as that release's code wrote them, so
the test does not depend on today's models; the upgraded database is then read through today's
repository functions, as the new release will read it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.storage import repo
from bot.storage.db import alembic_config, make_engine, session_scope, upgrade

FIRST_REVISION = "0001"
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)

OLD_ROWS = [
    (
        "INSERT INTO users (id, chat_id, language, display_name, username, city, country, state,"
        " state_data, created_at, seen_at) VALUES (7, 7, 'fr', 'Zoé', 'zoe', 'Lyon', 'France',"
        " 'idle', '{}', :now, :now)"
    ),
    (
        "INSERT INTO selfcheck_runs (id, user_id, city, scope, model_version, status, position,"
        " version, started_at, updated_at) VALUES (41, 7, 'Lyon', 'quick', '2019', 'paused', 2,"
        " 3, :now, :now)"
    ),
    (
        "INSERT INTO answers (run_id, indicator_id, kind, options, answered_at) VALUES"
        " (41, 'q1', 'option', '[\"yes\"]', :now), (41, 'q2', 'dont_know', '[]', :now)"
    ),
    "INSERT INTO processed_events (event_id, processed_at) VALUES ('update-1001', :now)",
]


def test_a_first_release_database_upgraded_to_head_keeps_its_rows(database_url: str) -> None:
    old = make_engine(database_url, migrate=False)
    upgrade(old, FIRST_REVISION)
    with old.begin() as conn:
        for statement in OLD_ROWS:
            conn.execute(text(statement), {"now": NOW})
    old.dispose()

    new = make_engine(database_url)  # the new release starts: migrations run to head
    try:
        with new.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
        with session_scope(new) as session:
            user = repo.get_user(session, user_id=7)
            run = repo.open_run(session, user_id=7)
            assert user is not None
            assert (user.language, user.display_name, user.city) == ("fr", "Zoé", "Lyon")
            assert run is not None and (run.id, run.position, run.version) == (41, 2, 3)
            answers = repo.answers_for(session, run_id=41)
            assert {k: a.options for k, a in answers.items()} == {"q1": ["yes"], "q2": []}
            assert repo.event_processed(session, event_id="update-1001")
    finally:
        new.dispose()
