"""The CLI's log handler never prints the bot token, not even inside a traceback."""

from __future__ import annotations

import logging
import sys

import pytest

from bot.cli import _RedactingFormatter


def test_token_is_masked_in_messages_and_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "123456:SECRET-token"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/getMe failed")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "httpx", logging.ERROR, __file__, 1, "url %s", (f"/bot{token}/x",), exc_info=exc_info
    )
    text = _RedactingFormatter("%(message)s").format(record)
    assert token not in text
    assert text.count("<token>") == 2
