"""Helpers shared by the transport tests (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from bot.core.messages import Incoming, Reply

TOKEN = "123456:TEST-token-never-logged"

#: ``async with run_bot(core):`` (the fixture) runs the real application against the stand-in.
RunBot = Callable[..., AbstractAsyncContextManager[Any]]


class ScriptedCore:
    """Takes the core's place: records every Incoming and answers what the test scripts."""

    def __init__(self, respond: Callable[[Incoming], list[Reply]]) -> None:
        self.respond = respond
        self.seen: list[Incoming] = []

    def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        return self.respond(incoming)
