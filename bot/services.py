"""The composition root: builds every long-lived service once, from the settings.

Tests, the CLI, the bot and the Docker image each call `build_services`; nothing is built at
import time. Heavy parts (the embedding model, the index) load lazily on first use, so a command
that needs only the database starts in a fraction of a second. Every transport that talks with
users (Telegram, the playground through it, the terminal self-check) gets its conversation core
from `build_assistant`, so they all run the same assistant.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.core.assistant import Assistant
    from retrieval.service import DocumentLibrary, IndexServices, QAService
    from scoring.cities import CityData
    from scoring.model import IndexModel


@dataclass
class Services:
    """Everything the core needs, built on demand and shared across threads."""

    settings: Settings
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def engine(self) -> Engine:
        """The database engine, schema brought up to date."""
        # lazy: each service is built on first use (see the module docstring)
        from bot.storage.db import make_engine

        self.settings.icc_data_dir.mkdir(parents=True, exist_ok=True)
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def retrieval(self) -> IndexServices:
        """Both sides of retrieval over one shared index (nothing loads until first use)."""
        # lazy: each service is built on first use (see the module docstring)
        from retrieval.service import build_retrieval

        with self._lock:
            return build_retrieval(
                index_dir=self.settings.index_dir,
                chroma_url=self.settings.chroma_url or None,
                llm=self.settings.icc_llm or None,
            )

    @property
    def qa(self) -> QAService:
        """Question answering over the indexed corpus (the model loads on first question)."""
        return self.retrieval.qa

    @property
    def library(self) -> DocumentLibrary:
        """Ingest, removal and listing of the indexed documents (the secretariat's side)."""
        return self.retrieval.library

    @cached_property
    def index_model(self) -> IndexModel:
        """The ICC Index self-assessment model (versioned data under corpus/)."""
        # lazy: each service is built on first use (see the module docstring)
        from scoring.model import load_index_model

        return load_index_model()

    @cached_property
    def cities(self) -> CityData:
        """Member cities, their scores and good practices (data under corpus/)."""
        # lazy: each service is built on first use (see the module docstring)
        from scoring.cities import load_city_data

        return load_city_data()


def build_services(settings: Settings | None = None) -> Services:
    """Build the services for these settings (read from the environment when omitted)."""
    return Services(settings or load_settings())


def build_assistant(services: Services | None = None) -> Assistant:
    """The conversation core over ``services`` (built from the environment when omitted).

    Imported late: the core pulls in every flow, which commands that only need the database
    (and this module's importers) should not pay for.
    """
    # lazy: each service is built on first use (see the module docstring)
    from bot.core.assistant import Assistant

    return Assistant(services or build_services())
