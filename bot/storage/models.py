"""The database tables, all in one place.

The database is the single source of truth for every conversation: any replica and any
transport can pick up a user's self-check where another left it. Enums are stored as their
string values so the rows stay readable in `psql` and in exports.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now; every timestamp in the database is UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC.

    PostgreSQL keeps the zone (timestamptz); SQLite stores the text without it, so reads are
    re-labelled UTC here and Python code never mixes naive and aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _ts(*, nullable: bool = False, index: bool = False) -> Any:
    """A timezone-aware timestamp column, set to now on insert unless nullable."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)


class RunStatus(StrEnum):
    """Where a self-check run stands. Only one ACTIVE or PAUSED run per user (a partial index)."""

    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


#: The statuses of a run that can still be resumed.
OPEN_STATUSES = (RunStatus.ACTIVE, RunStatus.PAUSED)


class AnswerKind(StrEnum):
    """How an indicator was answered; the options are kept only for OPTION."""

    OPTION = "option"
    DONT_KNOW = "dont_know"
    SKIPPED = "skipped"


class User(SQLModel, table=True):
    """A person talking to the assistant, keyed by their transport user id (Telegram's)."""

    __tablename__ = "users"

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    language: str = Field(default="en", max_length=8)
    display_name: str = Field(default="", max_length=200)
    username: str | None = Field(default=None, max_length=64)
    city: str | None = Field(default=None, max_length=120)
    country: str | None = Field(default=None, max_length=120)
    #: The named dialogue state (bot.core.dialog.DialogState) for multi-step inputs.
    state: str = Field(default="idle", max_length=40)
    #: Small scratch data of the current multi-step flow (e.g. a study-visit request draft).
    state_data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: Consent to be proposed as a mentor from this user's self-check strengths (None: not asked).
    consent_mentor: bool | None = Field(default=None)
    #: Consent to include this user's self-check results in the secretariat's exports.
    consent_share_results: bool | None = Field(default=None)
    created_at: datetime = _ts()
    seen_at: datetime = _ts(index=True)


class SelfcheckRun(SQLModel, table=True):
    """One self-check: its scope, the Index model version it used, and where the user is.

    ``position`` indexes the ordered indicator list of the scope; ``version`` is bumped by
    every change so two replicas racing on the same run detect each other (optimistic lock).
    """

    __tablename__ = "selfcheck_runs"
    __table_args__ = (
        Index(
            "uq_selfcheck_runs_open_per_user",
            "user_id",
            unique=True,
            sqlite_where=text("status IN ('active', 'paused')"),
            postgresql_where=text("status IN ('active', 'paused')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    city: str | None = Field(default=None, max_length=120)
    scope: str = Field(max_length=80)
    model_version: str = Field(max_length=40)
    status: str = Field(default=RunStatus.ACTIVE, max_length=16, index=True)
    position: int = Field(default=0)
    version: int = Field(default=1)
    started_at: datetime = _ts()
    updated_at: datetime = _ts()
    finished_at: datetime | None = _ts(nullable=True)


class IndicatorAnswer(SQLModel, table=True):
    """One indicator's answer in a run; the unique key makes a replayed answer an update."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("run_id", "indicator_id", name="uq_answers_run_indicator"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="selfcheck_runs.id", ondelete="CASCADE")
    indicator_id: str = Field(max_length=80)
    kind: str = Field(max_length=16)
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    answered_at: datetime = _ts()


class StoredResult(SQLModel, table=True):
    """The scored outcome of a completed run, kept so later runs can be compared with it."""

    __tablename__ = "results"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="selfcheck_runs.id", unique=True, ondelete="CASCADE")
    overall: float | None = Field(default=None)
    lens: float | None = Field(default=None)
    #: [{"id", "name", "score", "network_average", "weak", "strong", "coverage"}, ...]
    areas: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = _ts()


class Question(SQLModel, table=True):
    """A question asked, for statistics, the curation queue and the "Sources" button."""

    __tablename__ = "questions"

    id: int | None = Field(default=None, primary_key=True)
    #: Kept NULL after the user is forgotten: the question still counts in the statistics.
    user_id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True),
    )
    text: str
    language: str = Field(default="en", max_length=8)
    answered: bool = Field(default=False)
    top_source: str | None = Field(default=None, max_length=300)
    #: The cited passages [{"title", "section", "page", "url", "text"}], shown by "Sources".
    sources: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = _ts(index=True)


class Feedback(SQLModel, table=True):
    """A user's verdict on an answer; one per question, the latest verdict wins."""

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="questions.id", unique=True, ondelete="CASCADE")
    user_id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True),
    )
    helpful: bool
    reason: str | None = Field(default=None, max_length=40)
    created_at: datetime = _ts()


class ProcessedEvent(SQLModel, table=True):
    """Transport event ids already applied, so a redelivered update changes nothing."""

    __tablename__ = "processed_events"

    event_id: str = Field(primary_key=True, max_length=64)
    processed_at: datetime = _ts(index=True)


class OfficialScoreRow(SQLModel, table=True):
    """Per-area scores imported by the secretariat; they take precedence over the bundled data.

    Mirrors scoring.cities.OfficialAreaScore; a re-import of the same (city, year, area)
    replaces the earlier value.
    """

    __tablename__ = "official_area_scores"
    __table_args__ = (
        UniqueConstraint("city", "year", "area_id", name="uq_official_scores_city_year_area"),
    )

    id: int | None = Field(default=None, primary_key=True)
    city: str = Field(max_length=120)
    country: str = Field(default="", max_length=120)
    year: int
    area_id: str = Field(max_length=80)
    score: float
    network_average: float | None = Field(default=None)
    source_url: str = Field(default="", max_length=500)
    imported_at: datetime = _ts()


class VisitStatus(StrEnum):
    """Where a study-visit request stands; the secretariat moves it on, the officer is told."""

    NEW = "new"
    FORWARDED = "forwarded"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DONE = "done"


class VisitRequest(SQLModel, table=True):
    """A study-visit request from an officer, routed to the secretariat.

    The officer is reached through ``user_id`` (their chat is on the user row), so forgetting
    the user leaves the request anonymous: the FK is set NULL and the note is cleared.
    """

    __tablename__ = "visit_requests"

    id: int | None = Field(default=None, primary_key=True)
    #: Shown to officers and admins ("SV-2026-0007"); set right after the row gets its id.
    reference: str | None = Field(default=None, max_length=20, unique=True)
    user_id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True),
    )
    #: The requesting city (the city's, not the person's, so it stays after anonymisation).
    city: str | None = Field(default=None, max_length=120)
    country: str | None = Field(default=None, max_length=120)
    area_id: str = Field(max_length=80, index=True)
    #: The chosen mentor city; None lets the secretariat choose.
    mentor_city: str | None = Field(default=None, max_length=120)
    #: "onsite" or "online".
    format: str = Field(max_length=16)
    period: str = Field(max_length=120)
    group_size: int
    note: str = Field(default="", max_length=600)
    status: str = Field(default=VisitStatus.NEW, max_length=16, index=True)
    #: The self-check run the request came from, if any.
    run_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("selfcheck_runs.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = _ts(index=True)
    updated_at: datetime = _ts()
