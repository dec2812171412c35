"""Long polling that confirms an update to Telegram only after the bot has processed it.

``getUpdates(offset=n)`` is Telegram's acknowledgement: every update below ``n`` is forgotten.
PTB's `Updater` sends that call as soon as it has queued a batch, so an update still queued or
being handled when the process is killed is never delivered again, and its sender gets no reply.
`ConfirmingUpdater` takes its place (so `Application.run_polling` and our `polling` both use
it): it never asks with an offset beyond the oldest update still being processed, so a kill at
any moment leaves every unfinished update with Telegram, which hands it out again on restart.
The core drops an update it has already applied (it stores the update id with the effect), so
the effect happens exactly once.

Other chats are not held up meanwhile: the updater keeps polling from that offset, skips the
updates it already handed over, and passes on the new ones at once. Telegram answers such a
call immediately (the unconfirmed updates are pending), so while something is in flight the
updater polls only when the response brought nothing new and then after an update finishes or
`RECHECK_SECONDS`, instead of spinning.

A handler that fails still counts as processed (the user got an apology): an update that always
fails must not be fetched forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Bot, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import Updater

log = logging.getLogger(__name__)

#: While updates are in flight and nothing new came, how long before Telegram is asked again.
RECHECK_SECONDS = 0.1
#: Longest pause after a failed getUpdates (network down, Telegram failing).
MAX_BACKOFF_SECONDS = 30.0


class PendingUpdates:
    """The updates handed to the application and not yet processed, and so the safe offset."""

    def __init__(self) -> None:
        self._pending: set[int] = set()
        self._next = 0  # one past the newest update handed over; 0 = "everything unconfirmed"
        self._finished = asyncio.Event()

    def take(self, update_id: int) -> bool:
        """Record a fetched update; False when it was handed over already (fetched again
        because it is not confirmed yet)."""
        if update_id < self._next:
            return False
        self._pending.add(update_id)
        self._next = update_id + 1
        return True

    def done(self, update: object) -> None:
        """The application finished ``update`` (ids this ledger never handed over are ignored:
        webhook deliveries pass through the same processor)."""
        if isinstance(update, Update) and update.update_id in self._pending:
            self._pending.discard(update.update_id)
            self._finished.set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @property
    def offset(self) -> int:
        """The getUpdates offset that confirms exactly the processed updates."""
        return min(self._pending) if self._pending else self._next

    async def wait_for_one(self, timeout: float) -> None:
        """Until some update finishes, or ``timeout`` seconds."""
        self._finished.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._finished.wait(), timeout)

    async def drained(self) -> None:
        """Until every update handed over is processed."""
        while self._pending:
            await self.wait_for_one(RECHECK_SECONDS)


class ConfirmingUpdater(Updater):
    """An `Updater` whose polling confirms an update only once it is processed.

    ``pending.done`` must be called by the application's update processor for each update it
    finishes (`build_application` wires it). Webhook mode does not use the updater.
    """

    def __init__(self, bot: Bot, update_queue: asyncio.Queue[object], pending: PendingUpdates):
        super().__init__(bot=bot, update_queue=update_queue)
        self.pending = pending
        self._poller: asyncio.Task[None] | None = None
        self._allowed: Sequence[str] | None = None

    async def start_polling(
        self,
        poll_interval: float = 0.0,
        timeout: int | dtm.timedelta = 10,
        bootstrap_retries: int = 0,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        error_callback: Callable[[TelegramError], None] | None = None,
    ) -> asyncio.Queue[object]:
        """Remove any webhook (Telegram refuses getUpdates while one is set), then poll.

        The signature is `Updater.start_polling`'s, which `Application.run_polling` calls;
        ``poll_interval``, ``bootstrap_retries`` and ``error_callback`` are not used: a failed
        getUpdates is logged and tried again with a growing pause, for as long as we run.
        """
        if self.running:
            raise RuntimeError("This Updater is already running!")
        if not ptb_updater_initialized(self):
            raise RuntimeError("This Updater was not initialized via `Updater.initialize`!")
        await self.bot.delete_webhook(drop_pending_updates=bool(drop_pending_updates))
        seconds = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else timeout
        self._allowed = allowed_updates
        set_ptb_updater_running(self, True)
        self._poller = asyncio.create_task(self._poll(int(seconds)), name="ConfirmingUpdater")
        return self.update_queue

    async def stop(self) -> None:
        """Stop polling; confirm the updates processed by now (the application is still
        running, so those in flight finish first)."""
        if not self.running:
            raise RuntimeError("This Updater is not running!")
        set_ptb_updater_running(self, False)
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        await self.pending.drained()
        try:
            await self.bot.get_updates(
                offset=self.pending.offset, timeout=0, allowed_updates=self._allowed
            )
        except TelegramError as exc:  # they will be delivered again and dropped by the core
            log.warning("could not confirm the last updates on stop: %r", exc)

    async def _poll(self, timeout: int) -> None:
        backoff = 0.0
        while self.running:
            try:
                updates = await self.bot.get_updates(
                    offset=self.pending.offset,
                    timeout=0 if self.pending.busy else timeout,
                    allowed_updates=self._allowed,
                )
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except Exception as exc:  # a poller that died would leave the bot deaf, silently
                if not self.running:  # `stop` cancelled the request; httpx reports it as an error
                    return
                backoff = min(max(2 * backoff, 0.5), MAX_BACKOFF_SECONDS)
                log.warning("getUpdates failed (%r); again in %.1f s", exc, backoff)
                await asyncio.sleep(backoff)
                continue
            if not self.running:  # left unconfirmed: delivered again on the next start
                return
            backoff = 0.0
            fresh = [update for update in updates if self.pending.take(update.update_id)]
            for update in fresh:
                await self.update_queue.put(update)
            if not fresh and self.pending.busy:
                await self.pending.wait_for_one(RECHECK_SECONDS)


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# The only places this module touches python-telegram-bot's private state: `Updater.running`
# and the initialize check read two private attributes that have no public setter. A PTB
# upgrade that renames them fails tests/tg/test_ptb_private_state.py loudly.


def ptb_updater_initialized(updater: Updater) -> bool:
    """Whether `Updater.initialize` ran (PTB's private `_initialized`)."""
    return bool(updater._initialized)


def set_ptb_updater_running(updater: Updater, running: bool) -> None:
    """Set what `Updater.running` reports (PTB's private `_running`)."""
    updater._running = running
