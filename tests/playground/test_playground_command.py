"""`icc-assistant playground` refuses what would make the local demo unsafe, before serving.

Binding beyond loopback needs --allow-remote; a database holding real users needs
--allow-real-users; the secretariat's tools go to nobody unless --demo-admin, whatever
ICC_ADMIN_IDS says. The refusals run the real command; the admin rules run the real bot.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from page_visitor import Visitor
from sqlalchemy import inspect

from bot.cli import main
from bot.commands.serve import playground_settings
from bot.core.texts import t
from bot.playground.guard import host_allowed
from bot.playground.server import RemoteBindRefused, StandIn
from bot.playground.sessions import DEMO_ADMIN_ID, PLAYGROUND_ID_END, PLAYGROUND_ID_START
from bot.playground.startup import real_users
from bot.services import build_services
from bot.storage.db import make_engine, session_scope
from bot.storage.models import User
from bot.tg.app import build_application, polling

TOKEN = "100000:playground-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def add_users(database_url: str, *ids: int) -> None:
    engine = make_engine(database_url)
    with session_scope(engine, write=True) as session:
        session.add_all(User(id=user_id, chat_id=user_id) for user_id in ids)
    engine.dispose()


# -- binding ------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "my-laptop.example"])
def test_a_non_loopback_host_is_refused_without_allow_remote(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["playground", "--host", host, "--port", str(free_port())]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert f"refusing to serve the playground on {host}" in line
    assert "--allow-remote" in line
    with pytest.raises(RemoteBindRefused):
        StandIn(host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_no_flag(host: str) -> None:
    StandIn(host=host)


def test_allow_remote_warns_and_keeps_the_bot_api_on_loopback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.playground.server"):
        standin = StandIn(host="0.0.0.0", allow_remote=True)
    assert "beyond this machine" in caplog.text
    assert standin.page_url.startswith("http://localhost:")
    assert standin.base_url.startswith("http://127.0.0.1:")


def test_a_server_on_every_interface_takes_ip_addresses_but_no_other_names() -> None:
    assert host_allowed("192.0.2.10:8080", "0.0.0.0", 8080)
    assert host_allowed("localhost:8080", "0.0.0.0", 8080)
    assert not host_allowed("rebound.example:8080", "0.0.0.0", 8080)
    assert not host_allowed("192.0.2.10:8081", "0.0.0.0", 8080)
    assert not host_allowed("127.0.0.1:8080", "192.0.2.10", 8080)
    assert not host_allowed(None, "127.0.0.1", 8080)
    assert not host_allowed("127.0.0.1:x", "127.0.0.1", 8080)


# -- the database --------------------------------------------------------------------------------


def test_the_playground_refuses_a_database_with_real_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_users(f"sqlite:///{tmp_path / 'assistant.db'}", 4242, PLAYGROUND_ID_START + 7)
    monkeypatch.chdir(tmp_path)  # no developer's .env
    monkeypatch.setenv("ICC_DATA_DIR", str(tmp_path))
    port = free_port()
    assert main(["playground", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert "holds 1 user(s) who are not playground users" in line
    assert "--allow-real-users" in line and str(tmp_path) in line
    assert "Playground" not in captured.out  # refused before announcing anything
    with socket.socket() as probe:  # and the port it took for a moment is free again
        probe.bind(("127.0.0.1", port))


def test_real_users_counts_only_ids_outside_the_playground_range(database_url: str) -> None:
    add_users(database_url, PLAYGROUND_ID_START, PLAYGROUND_ID_END - 1)
    assert real_users(database_url) == 0
    add_users(database_url, 1001, PLAYGROUND_ID_END, -5)
    assert real_users(database_url) == 3


def test_checking_a_database_changes_nothing(tmp_path: Path, postgres_url: str) -> None:
    missing = tmp_path / "nothing-here.db"
    assert real_users(f"sqlite:///{missing}") == 0
    assert not missing.exists()  # no SQLite file was created
    assert real_users(postgres_url) == 0
    engine = make_engine(postgres_url, migrate=False)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []  # no schema was migrated in
    engine.dispose()


# -- admins --------------------------------------------------------------------------------------


def test_icc_admin_ids_never_reach_the_playground(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICC_ADMIN_IDS", "999,1001")
    url = "http://127.0.0.1:1"
    assert playground_settings(url, TOKEN, demo_admin=False).icc_admin_ids == frozenset()
    assert playground_settings(url, TOKEN, demo_admin=True).icc_admin_ids == {DEMO_ADMIN_ID}


@pytest.mark.e2e
async def test_the_secretariat_tools_go_to_the_demo_admin_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, visitor: Callable[..., Visitor]
) -> None:
    """The probe's attack with the real bot: an officer's page claiming an admin's id."""
    monkeypatch.setenv("ICC_ADMIN_IDS", "999")
    async with StandIn(token=TOKEN, demo_admin_key="k3y") as standin:
        settings = playground_settings(
            standin.base_url, TOKEN, demo_admin=True, icc_data_dir=tmp_path
        )
        application = build_application(settings, build_services(settings), retry_backoff=0.01)
        async with polling(application):
            officer, admin = visitor(standin), visitor(standin)
            await officer.open(lang="en")
            await admin.open(admin="k3y", lang="en")
            assert (await officer.post("/api/send", {"user_id": 999, "text": "/export"}))[0] == 200
            [refusal] = await standin.wait_for_bot_messages(officer.user_id, 1, 60)
            assert refusal.text == str(t("en", "admin_only"))
            assert (await admin.post("/api/send", {"text": "/export"}))[0] == 200
            replies = await standin.wait_for_bot_messages(admin.user_id, 2, 60)
            assert replies[0].document is not None
            assert replies[0].document.filename.startswith("icc-visit-requests-")
            assert 999 not in standin.state.chats
