"""PTB's HTTP request with retries that never duplicate a message.

Telegram sometimes answers 5xx or not at all. Retrying everything would turn a slow but
successful ``sendMessage`` into two messages; retrying nothing loses replies. So a retry depends
on what the failure proves:

* the request never left (connect error, connect or pool timeout): always safe to retry;
* the server answered 500/502/503 (it reports the method was not performed): safe to retry;
* the request left and no answer came (read/write timeout, dropped connection, 504): only
  methods that are idempotent (edits, callback answers, settings) are retried; a send is not,
  because it may already have been delivered, and a duplicate is worse than a logged gap.

429 is not handled here: it reaches `AIORateLimiter`, which waits ``retry_after`` and retries.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

#: Methods whose repetition leaves the chat exactly as one call would.
IDEMPOTENT_METHODS = frozenset(
    {
        "getMe",
        "getFile",
        "getWebhookInfo",
        "setWebhook",
        "deleteWebhook",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "sendChatAction",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
    }
)
#: Statuses with which the Bot API says it did not perform the method.
NOT_PERFORMED_STATUSES = frozenset({500, 502, 503})
#: Any 5xx is worth retrying for an idempotent method.
SERVER_ERROR = range(500, 600)
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RetryingRequest(HTTPXRequest):
    """An `HTTPXRequest` that retries failed calls when doing so cannot duplicate a message."""

    def __init__(self, *, attempts: int = 4, backoff: float = 0.25, **kwargs: object) -> None:
        # The HTTPXRequest keywords pass through unchanged; PTB checks their types itself.
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.attempts = attempts
        self.backoff = backoff

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = HTTPXRequest.DEFAULT_NONE,
        write_timeout: object = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: object = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: object = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        idempotent = endpoint in IDEMPOTENT_METHODS
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                # PTB's DEFAULT_NONE sentinel types differ from its own signature: the values
                # are passed through exactly as PTB handed them to us.
                status, payload = await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,  # type: ignore[arg-type]
                    write_timeout=write_timeout,  # type: ignore[arg-type]
                    connect_timeout=connect_timeout,  # type: ignore[arg-type]
                    pool_timeout=pool_timeout,  # type: ignore[arg-type]
                )
            except (TimedOut, NetworkError) as exc:
                if last or not (idempotent or isinstance(exc.__cause__, _NEVER_SENT)):
                    raise
                reason = type(exc.__cause__ or exc).__name__
            else:
                retry = status in NOT_PERFORMED_STATUSES or (idempotent and status in SERVER_ERROR)
                if last or not retry:
                    return status, payload
                reason = f"HTTP {status}"
            delay = self.backoff * 2 ** (attempt - 1)
            # The URL holds the bot token: log the method name only.
            log.warning("%s failed (%s); retry %d in %.2fs", endpoint, reason, attempt, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover
