"""`icc-assistant run` refuses unsafe or incomplete settings with a clear one-line message."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.commands.serve import parse_listen


def test_run_without_a_token_points_to_the_playground(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["run"]) == 2
    assert "icc-assistant playground" in capsys.readouterr().err


def test_a_webhook_without_a_secret_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("ICC_WEBHOOK_URL", "https://bot.example.org/tg")
    assert main(["run"]) == 2
    assert "ICC_WEBHOOK_SECRET" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("listen", "expected"),
    [("0.0.0.0:8443", ("0.0.0.0", 8443)), ("[::]:80", ("::", 80))],
)
def test_listen_addresses(listen: str, expected: tuple[str, int]) -> None:
    assert parse_listen(listen) == expected


def test_a_listen_address_without_a_port_is_refused() -> None:
    from bot.core.errors import UserFacingError

    with pytest.raises(UserFacingError, match="host:port"):
        parse_listen("localhost")
