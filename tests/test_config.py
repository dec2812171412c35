"""Settings: defaults that work on a fresh clone, and wrong values that fail naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = load_settings()
    assert settings.icc_data_dir == Path("data")
    assert settings.resolved_database_url == "sqlite:///data/assistant.db"
    assert settings.chroma_url == ""
    assert settings.icc_llm == ""
    assert settings.icc_admin_ids == frozenset()


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("ICC_ADMIN_IDS=11, 22\nCHROMA_URL=http://127.0.0.1:8000/\n")
    monkeypatch.setenv("ICC_DATA_DIR", str(tmp_path / "d"))
    settings = load_settings()
    assert settings.icc_admin_ids == frozenset({11, 22})
    assert settings.chroma_url == "http://127.0.0.1:8000"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'd' / 'assistant.db'}"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ICC_ADMIN_IDS", "alice"),
        ("DATABASE_URL", "mysql://x"),
        ("CHROMA_URL", "localhost:8000"),
        ("ICC_LLM", "gpt-4o"),
        ("ICC_QUESTION_RATE", "0"),
    ],
)
def test_wrong_value_fails_naming_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key: str, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError, match=key):
        load_settings()
