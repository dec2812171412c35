"""The CLI's logging: the bot token is masked, even inside a traceback; people appear only as
salted references, and the libraries that would print their ids stay above DEBUG."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import _RedactingFormatter, configure_logging
from bot.core import logrefs


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


@pytest.fixture
def library_levels() -> Iterator[None]:
    """Restore the levels `set_library_levels` changes."""
    from bot.cli import NOISY_LOGGERS, PERSONAL_DEBUG_LOGGERS

    names = (*NOISY_LOGGERS, *PERSONAL_DEBUG_LOGGERS)
    saved = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_verbose_logging_keeps_the_libraries_that_print_updates_at_info(
    library_levels: None, caplog: pytest.LogCaptureFixture
) -> None:
    """PTB's DEBUG lines hold whole updates (ids, names, texts), which logs must not keep."""
    caplog.set_level(logging.DEBUG)  # the root level --verbose sets (pytest owns the root)
    configure_logging(verbose=True)
    assert logging.getLogger("bot.core.assistant").isEnabledFor(logging.DEBUG)
    for name in ("telegram.ext.ExtBot", "telegram.ext.Application", "aiohttp.client"):
        logger = logging.getLogger(name)
        assert logger.isEnabledFor(logging.INFO) and not logger.isEnabledFor(logging.DEBUG)


@pytest.fixture
def salt() -> Iterator[None]:
    """Put back the process's salt after a test installs its own."""
    saved = logrefs._salt
    yield
    logrefs.install_salt(saved)


def test_user_references_are_salted_per_install_and_stable(salt: None, tmp_path: Path) -> None:
    user_id = 734_519_268
    first = logrefs.load_or_create_salt(tmp_path)
    assert (tmp_path / logrefs.SALT_FILE).stat().st_mode & 0o777 == 0o600
    assert logrefs.load_or_create_salt(tmp_path) == first  # created once, then read
    logrefs.install_salt(first)
    ref = logrefs.user_ref(user_id)
    assert ref.startswith("u:") and len(ref) == 10 and str(user_id) not in ref
    assert logrefs.user_ref(user_id) == ref != logrefs.user_ref(user_id + 1)
    assert logrefs.chat_ref(user_id) == "c:" + ref[2:] and logrefs.user_ref(None) == "u:-"
    # another install (or the setting) gives the same person another reference
    logrefs.install_salt(logrefs.load_or_create_salt(tmp_path / "other"))
    assert logrefs.user_ref(user_id) != ref
    logrefs.install_salt(logrefs.load_or_create_salt(tmp_path, configured="shared-by-replicas"))
    assert logrefs.user_ref(user_id) != ref
    with pytest.raises(ValueError):
        logrefs.install_salt(b"")
