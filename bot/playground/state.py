"""The stand-in's memory: chats and their message logs, pending updates, files and injected faults.

Everything here runs on one event loop, so plain dicts suffice; one condition variable wakes
whoever waits for a change (a long-polling bot, the web page, a test). The rules mirror the
real Bot API where a bot could tell the difference: update ids grow, ``getUpdates`` with an
offset confirms everything before it, an unconfirmed update is delivered again after a
restart, and every message gets a fresh id in its chat.
"""

from __future__ import annotations

import asyncio
import itertools
import struct
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

#: The bot the stand-in pretends to be.
BOT_USER = {
    "id": 700000001,
    "is_bot": True,
    "first_name": "ICC Assistant",
    "username": "icc_assistant_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass(frozen=True)
class PlaygroundUser:
    """A simulated Telegram user talking to the bot in a private chat (chat id = user id)."""

    id: int
    first_name: str = "Playground"
    username: str | None = None
    language_code: str = "en"

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.username:
            data["username"] = self.username
        return data

    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


@dataclass
class StoredFile:
    """A file someone sent: a user's upload or the bot's photo or document."""

    file_id: str
    file_unique_id: str
    filename: str
    mime_type: str
    content: bytes

    @property
    def file_path(self) -> str:
        return f"files/{self.file_id}/{self.filename}"


@dataclass
class Message:
    """One message in a chat, as the page and the tests see it."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str = ""  # visible text (tags stripped, entities decoded)
    html: str = ""  # sanitised HTML, safe for innerHTML
    reply_markup: dict[str, Any] | None = None
    photo: StoredFile | None = None
    document: StoredFile | None = None
    edits: int = 0
    version: int = 0

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard rows (empty when there is none)."""
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    def button_data(self) -> list[str]:
        """Every callback payload on the message, in reading order."""
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]

    def to_page(self) -> dict[str, Any]:
        """The JSON the web page renders."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from_bot": self.from_bot,
            "date": self.date,
            "html": self.html,
            "buttons": self.buttons,
            "edited": self.edits > 0,
            "version": self.version,
        }
        for kind in ("photo", "document"):
            stored: StoredFile | None = getattr(self, kind)
            if stored:
                data[kind] = {"file_id": stored.file_id, "filename": stored.filename}
        return data


@dataclass
class Fault:
    """An injected failure for the next ``times`` calls of one Bot API method.

    ``status`` 429 answers "Too Many Requests" with ``retry_after``; a 5xx answers a server
    error without doing anything. ``delay`` > 0 instead performs the call and then holds the
    answer back, which a client with a short read timeout sees as a timeout after the fact.
    ``drop`` closes the connection without any answer (what a client sees when a proxy or
    the network fails). ``after`` says whether a drop or a delay comes after the call took
    effect (True) or instead of it (False: held, then dropped or answered ``status``); the
    client cannot tell the two apart, which is the point. ``chat_id`` limits the fault to calls
    for one chat (a button press's answer belongs to the presser's chat).
    """

    method: str
    status: int = 500
    retry_after: int = 1
    times: int = 1
    delay: float = 0.0
    drop: bool = False
    after: bool = True
    chat_id: int | None = None

    @property
    def takes_effect(self) -> bool:
        """Whether the faulted call is performed (the failure comes after it)."""
        return (self.drop or self.delay > 0) and self.after


@dataclass(frozen=True)
class InjectedFault:
    """A fault that struck: the call it struck (its index in `BotApiState.calls`) and whether
    that call took effect, so a benchmark can tell a lost message from a late answer."""

    fault: Fault
    call: int

    @property
    def took_effect(self) -> bool:
        return self.fault.takes_effect


@dataclass
class Webhook:
    url: str
    secret_token: str | None


@dataclass
class BotApiState:
    """All of the stand-in's state for one bot."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    chats: dict[int, list[Message]] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    #: Every fault that struck a call, in order.
    injected: list[InjectedFault] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    #: Menus set for one chat (``scope`` of type "chat"), by chat id.
    chat_commands: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    webhook: Webhook | None = None
    #: When True, every URL given to setWebhook joins a pool served round-robin, the way a load
    #: balancer spreads one public URL over replicas; otherwise setWebhook replaces the URL.
    balance_webhooks: bool = False
    webhook_pool: list[str] = field(default_factory=list)
    users: dict[int, PlaygroundUser] = field(default_factory=dict)
    #: Button presses: query id -> the answer's text (None until the bot answers).
    answered_callbacks: dict[str, str | None] = field(default_factory=dict)
    #: Which chat each button press came from, so its toast is shown there.
    callback_chats: dict[str, int] = field(default_factory=dict)
    #: Toasts (callback answers with text) per chat, as (version, text).
    toasts: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    #: Update ids keep growing across restarts, as Telegram's do (they start at the clock in
    #: milliseconds): the bot records the ids it applied, so a playground restarted on the same
    #: database must not hand out an id it already used, or the new message is taken for a
    #: redelivery of the old one.
    _update_ids: itertools.count = field(
        default_factory=lambda: itertools.count(time.time_ns() // 1_000_000)
    )
    _version: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition | None = None

    # -- waiting -----------------------------------------------------------------------------

    @property
    def changed(self) -> asyncio.Condition:
        """Notified on every change; created lazily so it binds to the running loop."""
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait_until(self, predicate: Any, timeout: float) -> Any:
        """Wait until ``predicate()`` returns something truthy; return it or raise TimeoutError."""
        async with self.changed:
            return await asyncio.wait_for(self.changed.wait_for(predicate), timeout)

    # -- users and updates ---------------------------------------------------------------------

    def add_user(self, user: PlaygroundUser) -> None:
        """Open the user's private chat, as pressing Start in Telegram does."""
        self.users[user.id] = user
        self.chats.setdefault(user.id, [])

    def set_webhook(self, url: str, secret_token: str | None) -> None:
        if not url:
            self.webhook = None
            self.webhook_pool.clear()
            return
        self.webhook = Webhook(url, secret_token)
        if not self.balance_webhooks:
            self.webhook_pool = [url]
        elif url not in self.webhook_pool:
            self.webhook_pool.append(url)

    # -- updates --------------------------------------------------------------------------------

    def push_update(self, payload: dict[str, Any]) -> int:
        """Queue an update (a message or a button press) and return its update_id."""
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **payload})
        return update_id

    def confirm(self, offset: int) -> None:
        """``getUpdates(offset)`` confirms every update with a smaller id, as Telegram does."""
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    # -- messages -----------------------------------------------------------------------------

    def add_message(self, chat_id: int, *, from_bot: bool, **fields: Any) -> Message:
        log = self.chats.setdefault(chat_id, [])
        message = Message(
            message_id=len(log) + 1,
            chat_id=chat_id,
            from_bot=from_bot,
            date=int(time.time()),
            version=next(self._version),
            **fields,
        )
        log.append(message)
        return message

    def find_message(self, chat_id: int, message_id: int) -> Message | None:
        log = self.chats.get(chat_id, [])
        return log[message_id - 1] if 0 < message_id <= len(log) else None

    def touch(self, message: Message) -> None:
        """Mark a message as changed so the page picks up the new version."""
        message.edits += 1
        message.version = next(self._version)

    def bot_messages(self, chat_id: int) -> list[Message]:
        return [m for m in self.chats.get(chat_id, []) if m.from_bot]

    def changed_since(self, chat_id: int, version: int) -> list[Message]:
        return [m for m in self.chats.get(chat_id, []) if m.version > version]

    def add_toast(self, query_id: str, text: str) -> None:
        """Show a callback answer's text in the chat the press came from."""
        chat_id = self.callback_chats.get(query_id)
        if chat_id is not None and text:
            self.toasts.setdefault(chat_id, []).append((next(self._version), text))

    def toasts_since(self, chat_id: int, version: int) -> list[tuple[int, str]]:
        return [(v, text) for v, text in self.toasts.get(chat_id, []) if v > version]

    # -- files --------------------------------------------------------------------------------

    def store_file(self, filename: str, mime_type: str, content: bytes) -> StoredFile:
        stored = StoredFile(
            file_id=uuid.uuid4().hex,
            file_unique_id=uuid.uuid4().hex[:16],
            filename=filename or "file",
            mime_type=mime_type or "application/octet-stream",
            content=content,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        parts = path.split("/")
        stored = self.files.get(parts[1]) if len(parts) >= 2 else None
        return stored if stored and stored.file_path == path else None

    # -- faults -------------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        self.faults.append(fault)

    def record_call(self, method: str, params: dict[str, Any]) -> Fault | None:
        """Record a Bot API call in `calls`; return the next pending fault for it (its method,
        and its chat when the fault names one), consumed one call at a time and logged in
        `injected`."""
        recorded = {k: v for k, v in params.items() if isinstance(v, str)}
        self.calls.append((method, recorded))
        for fault in self.faults:
            if fault.method != method or fault.times <= 0:
                continue
            if fault.chat_id is not None and fault.chat_id != self._call_chat(recorded):
                continue
            fault.times -= 1
            if fault.times == 0:
                self.faults.remove(fault)
            self.injected.append(InjectedFault(fault, len(self.calls) - 1))
            return fault
        return None

    def _call_chat(self, params: dict[str, Any]) -> int | None:
        if "callback_query_id" in params:
            return self.callback_chats.get(str(params["callback_query_id"]))
        try:
            return int(params["chat_id"])
        except (KeyError, ValueError):
            return None


def image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG (the charts), or (0, 0) for anything else."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    return 0, 0
