"""Settings: one typed object, read once from the environment or `.env`.

Every knob the product has lives here, so a wrong value fails at start-up with the key's name
instead of deep inside a handler hours later.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """The assistant's configuration. Field names match the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    icc_data_dir: Path = Field(default=Path("data"), description="Index, database and logs.")
    database_url: str = Field(default="", description="Empty: SQLite in the data dir.")
    chroma_url: str = Field(default="", description="Empty: embedded Chroma in the data dir.")
    icc_llm: str = Field(default="", description="Empty: extractive answers; else provider:model.")
    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org"
    icc_admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    icc_webhook_url: str = ""
    icc_webhook_listen: str = "127.0.0.1:8443"
    icc_webhook_secret: str = ""
    icc_question_rate: int = Field(default=20, ge=1, description="Questions per user per minute.")
    icc_retention_days: int = Field(default=730, ge=1, description="Personal data kept (days).")
    icc_log_salt: str = Field(
        default="", description="Salt of the user references in logs; empty: one per data dir."
    )

    @field_validator("icc_admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        """Accept "1,2 3" as well as a JSON list, the forms people actually type in `.env`."""
        if isinstance(value, int):
            return frozenset({value})
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("ICC_ADMIN_IDS must be Telegram user ids (numbers)") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("DATABASE_URL must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    @field_validator("chroma_url", "telegram_api_base_url", "icc_webhook_url")
    @classmethod
    def _check_http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("icc_llm")
    @classmethod
    def _check_llm(cls, value: str) -> str:
        if value and ":" not in value:
            raise ValueError("ICC_LLM must look like provider:model, e.g. openai:gpt-4o-mini")
        return value

    @cached_property
    def resolved_database_url(self) -> str:
        """The database to use: DATABASE_URL, or SQLite inside the data dir."""
        return self.database_url or f"sqlite:///{self.icc_data_dir / 'assistant.db'}"

    @property
    def index_dir(self) -> Path:
        """Where the embedded Chroma index and the lexical index live."""
        return self.icc_data_dir / "index"


class SettingsError(RuntimeError):
    """Raised with a message that names the offending environment variable."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line per bad key."""

    try:
        # pydantic-settings validates the keyword values at run time; mypy sees object.
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = str(err["loc"][0]).upper() if err["loc"] else "?"
            lines.append(f"{key}: {err['msg']}")
        raise SettingsError("Invalid settings: " + "; ".join(lines)) from None
