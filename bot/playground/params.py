"""Reading a Bot API call's parameters as strictly as Telegram does, and its error answers.

Shared by the methods in `bot.playground.api`: form or multipart parameters, integers, JSON
fields, reply markup, formatted text, and the chat and message a call may act on.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import BodyPartReader, web

from bot.playground import tghtml
from bot.playground.state import BotApiState, Message

Params = dict[str, Any]

#: The link schemes Telegram accepts on a URL button.
BUTTON_URL_SCHEMES = ("http://", "https://", "tg://")


class ApiError(Exception):
    """An error answer: the HTTP status doubles as Telegram's ``error_code``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def response(self) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.status)


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


async def read_params(request: web.Request) -> Params:
    """Form, multipart or JSON parameters; uploaded files arrive as (filename, mime, bytes)."""
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
    if request.content_type.startswith("multipart/"):
        params: Params = {}
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            assert isinstance(part, BodyPartReader)
            data = await part.read()
            if part.filename is not None:
                mime = part.headers.get("Content-Type", "application/octet-stream")
                params[part.name or ""] = (part.filename, mime, bytes(data))
            else:
                params[part.name or ""] = data.decode()
        return params
    if request.can_read_body:
        return dict(await request.post())
    return {}


def int_param(params: Params, name: str) -> int:
    try:
        return int(params[name])
    except KeyError:
        raise bad_request(f"{name} is empty") from None
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name}") from None


def json_param(params: Params, name: str) -> Any:
    raw = params.get(name)
    if not isinstance(raw, str | bytes) or not raw:
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        raise bad_request(f"can't parse {name} JSON object") from None


def flag_param(params: Params, name: str) -> bool:
    return str(params.get(name, "false")).lower() in ("true", "1")


def markup_of(params: Params) -> dict[str, Any] | None:
    """Validate an inline keyboard the way Telegram does (callback data 1-64 bytes)."""
    markup = json_param(params, "reply_markup")
    if markup is None:
        return None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        raise bad_request("unsupported reply_markup")
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            if data is None and not button.get("url"):
                raise bad_request("can't find field callback_data")
            if data is None and not str(button["url"]).startswith(BUTTON_URL_SCHEMES):
                raise bad_request("BUTTON_URL_INVALID")
    return markup


def formatted_text(params: Params, field: str, limit: int) -> tuple[str, str]:
    """(visible text, safe html) of a text or caption parameter, honouring parse_mode."""
    raw = str(params.get(field, ""))
    if str(params.get("parse_mode", "")).upper() == "HTML":
        try:
            parsed = tghtml.check_message_text(raw, limit=limit)
        except tghtml.Refused as exc:
            raise bad_request(str(exc)) from None
        return parsed.text, parsed.safe_html
    if params.get("parse_mode"):
        raise bad_request("unsupported parse_mode")
    if limit == tghtml.MAX_TEXT and not raw.strip():
        raise bad_request("message text is empty")
    if tghtml.utf16_len(raw) > limit:
        raise bad_request("message is too long")
    return raw, tghtml.parse_plain(raw)


def target_chat(state: BotApiState, params: Params) -> int:
    chat_id = int_param(params, "chat_id")
    if chat_id not in state.chats:
        raise bad_request("chat not found")
    return chat_id


def own_message(state: BotApiState, params: Params) -> Message:
    chat_id = target_chat(state, params)
    message = state.find_message(chat_id, int_param(params, "message_id"))
    if message is None or not message.from_bot:
        raise bad_request("message to edit not found")
    return message
