"""The Bot API stand-in as one object: start it, act as users, wait for the bot, stop it.

The web page, the end-to-end tests and the load benchmark all drive the bot through the same
methods (`send_text`, `press`, `upload`), so what the tests prove is what a person clicking in
the browser gets. In webhook mode the stand-in delivers updates by POSTing them to the bot with
the secret header, as Telegram does: several deliveries at once, one chat's updates in order
(the next waits until the previous one is answered), each tried again until the bot answers 2xx.

The page and the Bot API listen on separate ports, the Bot API on loopback only: a page in a
browser must never be able to call the bot's API (a ``setWebhook`` from any website would
otherwise redirect every conversation). Who may reach which is `bot.playground.guard`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import itertools
import logging
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from bot.core.errors import UserFacingError
from bot.playground import api, page
from bot.playground.guard import bot_api_guard, is_loopback, is_wildcard, page_guard
from bot.playground.sessions import Sessions
from bot.playground.state import BotApiState, Fault, Message, PlaygroundUser
from bot.playground.tghtml import parse_plain

log = logging.getLogger(__name__)

#: The Bot API listens on loopback only, whatever address the page is given.
API_HOST = "127.0.0.1"
#: Pause before a failed webhook delivery is tried again.
WEBHOOK_RETRY_SECONDS = 0.2
#: Deliveries in flight at once (Telegram's default for setWebhook's max_connections).
WEBHOOK_CONNECTIONS = 40
#: How long a delivery may take; the bot answers once it has processed the update.
WEBHOOK_TIMEOUT_SECONDS = 60.0


class PortInUseError(UserFacingError):
    """The stand-in's port is taken (another playground, another program)."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"port {port} is already in use")
        self.host, self.port = host, port


class RemoteBindRefused(UserFacingError):
    """Asked to listen beyond this machine without saying so (``--allow-remote``)."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"refusing to serve the playground on {host}: it is a local demo, and anyone who "
            "can reach that address could use the bot there; keep the default 127.0.0.1, or "
            "pass --allow-remote if you really mean to expose it"
        )
        self.host = host


class StandIn:
    """A local Bot API server for the bot, plus the playground page for people.

    They listen apart: the page on ``host:port`` (what a browser opens, `page_url`), the Bot
    API on 127.0.0.1 at a port of its own (what the bot is given, `base_url`), so nothing a
    page can reach answers as the Bot API. ``token``, when set, is the only bot token the Bot
    API accepts (the playground sets a random one); tests leave it open. A non-loopback
    ``host`` needs ``allow_remote``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        balance_webhooks: bool = False,
        api_port: int = 0,
        token: str | None = None,
        allow_remote: bool = False,
        demo_admin_key: str | None = None,
    ) -> None:
        if not is_loopback(host):
            if not allow_remote:
                raise RemoteBindRefused(host)
            log.warning(
                "--allow-remote: the playground page listens on %s, beyond this machine, and "
                "anyone who reaches it can use the bot",
                host,
            )
        self.host = host
        self.port = port
        self.api_port = api_port
        self.token = token
        self.state = BotApiState(balance_webhooks=balance_webhooks)
        self.sessions = Sessions(demo_admin_key=demo_admin_key)
        self._runners: list[web.AppRunner] = []
        self._delivery: asyncio.Task[None] | None = None
        self._round_robin = itertools.count()

    # -- lifecycle ----------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        """The page's app: static files and the page's JSON API, behind the page's guard."""
        app = web.Application(
            client_max_size=64 * 1024 * 1024,
            middlewares=[page_guard(lambda: (self.host, self.port))],
        )
        page.add_routes(app, self)
        return app

    def build_api_app(self) -> web.Application:
        """The Bot API's app, for the bot alone."""
        app = web.Application(
            client_max_size=64 * 1024 * 1024,
            middlewares=[bot_api_guard(lambda: self.api_port, self.token)],
        )
        api.add_routes(app, self.state)
        return app

    async def start(self) -> None:
        try:
            self.port = await self._listen(self.build_app(), self.host, self.port)
            self.api_port = await self._listen(self.build_api_app(), API_HOST, self.api_port)
        except BaseException:
            await self.stop()
            raise
        self._delivery = asyncio.create_task(self._deliver_webhooks(), name="standin-webhooks")
        log.info("Bot API stand-in on %s, page on %s", self.base_url, self.page_url)

    async def _listen(self, app: web.Application, host: str, port: int) -> int:
        """Serve ``app`` on ``host:port``; return the port bound (port 0 picks a free one)."""
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(host, port) from None
            raise
        server = site._server
        # aiohttp keeps the bound asyncio server private and untyped: the port 0 we asked for
        # is only known from its socket.
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        return int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
        while self._runners:
            await self._runners.pop().cleanup()

    async def __aenter__(self) -> StandIn:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """The Bot API's address: what to give the bot as TELEGRAM_API_BASE_URL."""
        return f"http://{API_HOST}:{self.api_port}"

    @property
    def page_url(self) -> str:
        """The page's address, for a browser (localhost when bound to every interface)."""
        host = "localhost" if is_wildcard(self.host) else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    # -- acting as users ----------------------------------------------------------------------

    def add_user(self, user: PlaygroundUser) -> None:
        self.state.add_user(user)

    async def send_text(self, user: PlaygroundUser, text: str) -> int:
        """The user types ``text`` (a command when it starts with ``/``); returns the update id."""
        self.state.add_user(user)
        fields = _text_fields(text)
        message = self.state.add_message(user.id, from_bot=False, text=text, html=parse_plain(text))
        return await self._push(user, {"message": self._user_message(user, message, fields)})

    async def send_group_text(self, user: PlaygroundUser, group_id: int, text: str) -> int:
        """The user types ``text`` in a group chat the bot was added to (ids are negative)."""
        self.state.add_user(user)
        message = self.state.add_message(
            group_id, from_bot=False, text=text, html=parse_plain(text)
        )
        chat = {"id": group_id, "type": "group", "title": "A group"}
        payload = {**self._user_message(user, message, _text_fields(text)), "chat": chat}
        return await self._push(user, {"message": payload})

    async def upload(self, user: PlaygroundUser, filename: str, content: bytes, mime: str) -> int:
        """The user sends a file as a document."""
        self.state.add_user(user)
        stored = self.state.store_file(filename, mime, content)
        message = self.state.add_message(user.id, from_bot=False, document=stored)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.filename,
            "mime_type": stored.mime_type,
            "file_size": len(content),
        }
        return await self._push(
            user, {"message": self._user_message(user, message, {"document": document})}
        )

    async def press(self, user: PlaygroundUser, message: Message | int, data: str) -> int:
        """The user presses a button whose callback data is ``data`` (forged or not)."""
        message_id = message if isinstance(message, int) else message.message_id
        target = self.state.find_message(user.id, message_id)
        if target is None:
            raise ValueError(f"no message {message_id} in chat {user.id}")
        return await self._push(user, {"callback_query": self.callback_query(user, target, data)})

    async def forge_press(self, presser: PlaygroundUser, message: Message, data: str) -> str:
        """``presser`` presses a button of a message in someone else's chat, as only a forged
        update can; returns the query id (its toast shows in the presser's chat)."""
        query = self.callback_query(presser, message, data, chat_instance="forged")
        await self._push(presser, {"callback_query": query})
        return str(query["id"])

    def callback_query(
        self,
        presser: PlaygroundUser,
        target: Message,
        data: str,
        *,
        chat_instance: str | None = None,
    ) -> dict[str, Any]:
        """A callback query of ``presser`` on ``target`` (a message of any chat), registered so
        that the Bot API can answer it; not yet delivered."""
        query_id = uuid.uuid4().hex
        self.state.answered_callbacks[query_id] = None
        self.state.callback_chats[query_id] = presser.id
        return {
            "id": query_id,
            "from": presser.to_api(),
            "message": api.message_json(self.state, target),
            "chat_instance": chat_instance or str(presser.id),
            "data": data,
        }

    def _user_message(
        self, user: PlaygroundUser, message: Message, fields: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "message_id": message.message_id,
            "date": message.date,
            "chat": user.chat(),
            "from": user.to_api(),
            **fields,
        }

    async def _push(self, user: PlaygroundUser, payload: dict[str, Any]) -> int:
        update_id = self.state.push_update(payload)
        await self.state.notify()
        return update_id

    # -- waiting and faults -------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every change); return its value."""
        return await self.state.wait_until(predicate, timeout)

    async def wait_for_bot_messages(
        self, chat_id: int, count: int, timeout: float = 30.0
    ) -> list[Message]:
        """Wait until the bot has sent at least ``count`` messages to the chat; return them all."""

        def enough() -> list[Message] | None:
            messages = self.state.bot_messages(chat_id)
            return messages if len(messages) >= count else None

        return await self.wait_for(enough, timeout)

    def bot_messages(self, chat_id: int) -> list[Message]:
        return self.state.bot_messages(chat_id)

    def inject(self, fault: Fault) -> None:
        """Make the next call(s) of ``fault.method`` fail or answer late."""
        self.state.inject(fault)

    def calls(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of ``method`` so far (files left out)."""
        return [params for name, params in self.state.calls if name == method]

    # -- webhook delivery ---------------------------------------------------------------------

    async def _deliver_webhooks(self) -> None:
        """Start a delivery for the oldest pending update of each chat with none in flight."""
        state = self.state
        busy: set[int] = set()  # chats with a delivery in flight
        deliveries: set[asyncio.Task[None]] = set()

        def next_update() -> dict[str, Any] | None:
            if state.webhook is None or len(busy) >= WEBHOOK_CONNECTIONS:
                return None
            return next((u for u in state.updates if update_chat(u) not in busy), None)

        timeout = aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            try:
                while True:
                    try:
                        update = await state.wait_until(next_update, timeout=60)
                    except TimeoutError:
                        continue
                    busy.add(update_chat(update))
                    task = asyncio.create_task(self._deliver(session, update, busy))
                    deliveries.add(task)
                    task.add_done_callback(deliveries.discard)
            finally:
                for task in deliveries:
                    task.cancel()
                await asyncio.gather(*deliveries, return_exceptions=True)

    async def _deliver(
        self, session: aiohttp.ClientSession, update: dict[str, Any], busy: set[int]
    ) -> None:
        """POST ``update`` until a 2xx answer (or the webhook is removed), then drop it."""
        state = self.state
        try:
            while (webhook := state.webhook) is not None:
                pool = state.webhook_pool or [webhook.url]
                url = pool[next(self._round_robin) % len(pool)]
                headers = {}
                if webhook.secret_token:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
                try:
                    async with session.post(url, json=update, headers=headers) as response:
                        delivered = 200 <= response.status < 300
                except (aiohttp.ClientError, TimeoutError):
                    delivered = False
                if delivered:
                    state.updates = [u for u in state.updates if u is not update]
                    return
                await asyncio.sleep(WEBHOOK_RETRY_SECONDS)
        finally:
            busy.discard(update_chat(update))
            await state.notify()


def update_chat(update: dict[str, Any]) -> int:
    """The chat an update belongs to (the presser's, for a button press)."""
    if "callback_query" in update:
        return int(update["callback_query"]["from"]["id"])
    return int(update["message"]["chat"]["id"])


__all__ = ["Fault", "PlaygroundUser", "RemoteBindRefused", "StandIn"]


def _text_fields(text: str) -> dict[str, Any]:
    """A typed message's fields; a leading ``/word`` is marked as a command, as Telegram does."""
    fields: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        length = len(text.split()[0])
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return fields
