"""The Bot API methods the assistant uses, served over HTTP the way api.telegram.org serves them.

``POST /bot<token>/<method>`` with form or multipart parameters, answered with
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code", "description"}``. Only the
methods the bot calls exist; each checks its parameters as strictly as Telegram does, so a bug
that Telegram would refuse (a broken tag, an over-long text, 65-byte callback data) fails here
too. Faults injected through `BotApiState.inject` answer before (429/5xx) or after (delay) the
real work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.playground import tghtml
from bot.playground.params import (
    ApiError,
    Params,
    bad_request,
    flag_param,
    formatted_text,
    json_param,
    markup_of,
    own_message,
    read_params,
    target_chat,
)
from bot.playground.state import BOT_USER, BotApiState, Message, StoredFile, image_size

log = logging.getLogger(__name__)

Method = Callable[[BotApiState, Params], Awaitable[Any]]

#: The longest a ``getUpdates`` long poll is held, whatever the client asks.
MAX_POLL_SECONDS = 30.0


# -- JSON shapes --------------------------------------------------------------------------------


def message_json(state: BotApiState, message: Message) -> dict[str, Any]:
    """A Message object as the Bot API returns it."""
    user = state.users.get(message.chat_id)
    chat = user.chat() if user else {"id": message.chat_id, "type": "private", "first_name": "?"}
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "date": message.date,
        "chat": chat,
        "from": BOT_USER if message.from_bot else (user.to_api() if user else None),
    }
    if message.edits:
        data["edit_date"] = message.date
    if message.photo:
        width, height = image_size(message.photo.content)
        data["photo"] = [{**_file_json(message.photo), "width": width, "height": height}]
    if message.document:
        data["document"] = {
            **_file_json(message.document),
            "file_name": message.document.filename,
            "mime_type": message.document.mime_type,
        }
    if message.photo or message.document:
        if message.text:
            data["caption"] = message.text
    elif message.text:
        data["text"] = message.text
    if message.reply_markup:
        data["reply_markup"] = message.reply_markup
    return {k: v for k, v in data.items() if v is not None}


def _file_json(stored: StoredFile) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }


# -- methods ------------------------------------------------------------------------------------


async def get_me(state: BotApiState, params: Params) -> Any:
    return BOT_USER


async def get_updates(state: BotApiState, params: Params) -> Any:
    if state.webhook is not None:
        raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
    offset = int(params.get("offset") or 0)
    limit = max(1, min(100, int(params.get("limit") or 100)))
    timeout = min(float(params.get("timeout") or 0), MAX_POLL_SECONDS)
    state.confirm(offset)
    if not state.updates and timeout > 0:
        with contextlib.suppress(TimeoutError):
            await state.wait_until(lambda: state.updates or state.webhook, timeout)
    return state.updates[:limit]


async def set_webhook(state: BotApiState, params: Params) -> Any:
    url = str(params.get("url") or "")
    if flag_param(params, "drop_pending_updates"):
        state.updates.clear()
    state.set_webhook(url, params.get("secret_token") or None)
    return True


async def delete_webhook(state: BotApiState, params: Params) -> Any:
    if flag_param(params, "drop_pending_updates"):
        state.updates.clear()
    state.set_webhook("", None)
    return True


async def get_webhook_info(state: BotApiState, params: Params) -> Any:
    return {
        "url": state.webhook.url if state.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }


async def send_message(state: BotApiState, params: Params) -> Any:
    chat_id = target_chat(state, params)
    text, safe = formatted_text(params, "text", tghtml.MAX_TEXT)
    message = state.add_message(
        chat_id, from_bot=True, text=text, html=safe, reply_markup=markup_of(params)
    )
    return message_json(state, message)


async def edit_message_text(state: BotApiState, params: Params) -> Any:
    message = own_message(state, params)
    if message.photo or message.document:
        raise bad_request("there is no text in the message to edit")
    text, safe = formatted_text(params, "text", tghtml.MAX_TEXT)
    markup = markup_of(params)
    if text == message.text and safe == message.html and markup == message.reply_markup:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    message.text, message.html, message.reply_markup = text, safe, markup
    state.touch(message)
    return message_json(state, message)


async def edit_message_reply_markup(state: BotApiState, params: Params) -> Any:
    message = own_message(state, params)
    markup = markup_of(params)
    if markup == message.reply_markup:
        raise bad_request("message is not modified")
    message.reply_markup = markup
    state.touch(message)
    return message_json(state, message)


async def answer_callback_query(state: BotApiState, params: Params) -> Any:
    query_id = str(params.get("callback_query_id", ""))
    if query_id not in state.answered_callbacks or state.answered_callbacks[query_id] is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    state.answered_callbacks[query_id] = str(params.get("text") or "")
    state.add_toast(query_id, state.answered_callbacks[query_id] or "")
    return True


def _media(kind: str) -> Method:
    async def send(state: BotApiState, params: Params) -> Any:
        chat_id = target_chat(state, params)
        upload = params.get(kind)
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = params.get(upload.removeprefix("attach://"))
        if isinstance(upload, str) and upload in state.files:
            stored = state.files[upload]
        elif isinstance(upload, tuple):
            filename, mime, content = upload
            if not content:
                raise bad_request("file must be non-empty")
            if kind == "photo" and image_size(content) == (0, 0):
                raise bad_request("IMAGE_PROCESS_FAILED")
            stored = state.store_file(filename, mime, content)
        else:
            raise bad_request(f"there is no {kind} in the request")
        caption, safe = formatted_text(params, "caption", tghtml.MAX_CAPTION)
        message = state.add_message(
            chat_id,
            from_bot=True,
            text=caption,
            html=safe,
            reply_markup=markup_of(params),
            **{kind: stored},
        )
        return message_json(state, message)

    return send


async def send_chat_action(state: BotApiState, params: Params) -> Any:
    target_chat(state, params)
    return True


async def get_file(state: BotApiState, params: Params) -> Any:
    stored = state.files.get(str(params.get("file_id", "")))
    if stored is None:
        raise bad_request("invalid file_id")
    return {**_file_json(stored), "file_path": stored.file_path}


async def set_my_commands(state: BotApiState, params: Params) -> Any:
    commands = json_param(params, "commands") or []
    for command in commands:
        name = command.get("command", "")
        if not (1 <= len(name) <= 32 and name.islower() and name.replace("_", "").isalnum()):
            raise bad_request("BOT_COMMAND_INVALID")
    chat_id = _scope_chat(state, params)
    if chat_id is None:
        state.commands = commands
    else:
        state.chat_commands[chat_id] = commands
    return True


async def get_my_commands(state: BotApiState, params: Params) -> Any:
    chat_id = _scope_chat(state, params)
    return state.commands if chat_id is None else state.chat_commands.get(chat_id, [])


def _scope_chat(state: BotApiState, params: Params) -> int | None:
    """The chat of a ``{"type": "chat"}`` scope (which must exist, as on Telegram), else None."""
    scope = json_param(params, "scope") or {}
    if scope.get("type") != "chat":
        return None
    chat_id = int(scope.get("chat_id", 0))
    if chat_id not in state.chats:
        raise bad_request("chat not found")
    return chat_id


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
    "sendPhoto": _media("photo"),
    "sendDocument": _media("document"),
    "sendChatAction": send_chat_action,
    "getFile": get_file,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
}


def _drop(request: web.Request) -> web.Response:
    """Close the connection without answering (an injected fault): the client sees the server
    disconnect, whether or not the call took effect."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=500)


def add_routes(app: web.Application, state: BotApiState) -> None:
    """Mount the Bot API (``/bot<token>/<method>``) and file downloads on an aiohttp app."""

    async def call(request: web.Request) -> web.Response:
        name = request.match_info["method"]
        method = METHODS.get(name)
        if method is None:
            return ApiError(404, "Not Found").response()
        params = await read_params(request)
        fault = state.record_call(name, params)
        if fault is not None and not fault.takes_effect:
            await asyncio.sleep(fault.delay)
            if fault.drop:
                return _drop(request)
            if fault.status == 429:
                description = f"Too Many Requests: retry after {fault.retry_after}"
                return ApiError(429, description, fault.retry_after).response()
            return ApiError(fault.status, "Internal Server Error").response()
        try:
            result = await method(state, params)
        except ApiError as exc:
            return exc.response()
        await state.notify()
        if fault is not None:
            await asyncio.sleep(fault.delay)
            if fault.drop:
                return _drop(request)
        return web.json_response({"ok": True, "result": result})

    async def download(request: web.Request) -> web.Response:
        stored = state.file_by_path(request.match_info["path"])
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.content, content_type=stored.mime_type)

    app.router.add_route("*", "/bot{token}/{method}", call)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
