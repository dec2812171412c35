"""The Alembic migrations build exactly the tables the models describe, and keep data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.storage import repo
from bot.storage.db import make_engine, session_scope
from bot.storage.models import AnswerKind


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
    tables = set(inspect(engine).get_table_names())
    assert {"users", "selfcheck_runs", "answers", "results", "questions", "feedback"} <= tables
    assert {"processed_events", "official_area_scores", "alembic_version"} <= tables


def test_upgrading_again_keeps_the_data(database_url: str) -> None:
    first = make_engine(database_url)
    with session_scope(first, write=True) as session:
        repo.touch_user(session, user_id=7, chat_id=7, language="fr")
        run = repo.create_run(session, user_id=7, city="Lyon", scope="quick", model_version="v")
        repo.save_answer(session, run_id=run.id or 0, indicator_id="i1", kind=AnswerKind.DONT_KNOW)
    first.dispose()

    second = make_engine(database_url)  # a restart: migrations run again, to the same head
    with session_scope(second) as session:
        user = repo.get_user(session, user_id=7)
        open_run = repo.open_run(session, user_id=7)
        assert user is not None and user.language == "fr"
        assert open_run is not None and open_run.city == "Lyon"
        assert list(repo.answers_for(session, run_id=open_run.id or 0)) == ["i1"]
    with second.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1
    second.dispose()


def test_the_migrations_run_down_and_up_again(engine: Engine) -> None:
    from alembic import command

    from bot.storage.db import alembic_config

    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    make_engine(engine.url.render_as_string(hide_password=False)).dispose()
    assert "answers" in inspect(engine).get_table_names()
