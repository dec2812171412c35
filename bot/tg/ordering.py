"""Concurrent updates across chats, strictly ordered within a chat.

PTB either handles updates one at a time (one slow question stalls every chat) or fully
concurrently (two quick presses in one self-check could race). This processor takes the middle
road: a per-chat lock, acquired in arrival order (asyncio locks are FIFO), then a bounded number
of updates at work overall. The per-chat lock is taken before a work slot, so a burst in one chat
waits on its own lock and never holds slots that other chats need. ``on_done`` hears of every
update finished, which is when polling may confirm it to Telegram (`bot.tg.polling_ack`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

#: Updates admitted at once (queued ones included); bounds memory, not work.
MAX_ADMITTED = 10_000


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Process updates of different chats concurrently and of one chat in order."""

    def __init__(
        self, max_working: int = 64, on_done: Callable[[object], None] | None = None
    ) -> None:
        super().__init__(max_concurrent_updates=MAX_ADMITTED)
        self._on_done = on_done
        self._work = asyncio.BoundedSemaphore(max_working)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._in_chat_order(update, coroutine)
        finally:
            if self._on_done is not None:
                self._on_done(update)

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._work:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._work:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody waits: forget the chat so memory stays bounded
                del self._users[key], self._locks[key]

    @property
    def chats_in_progress(self) -> int:
        """Chats with an update being handled or waiting (their locks are kept until then)."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to allocate: locks are created per chat on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: locks vanish with their last waiter."""


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (the user for chat-less updates), if any."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
