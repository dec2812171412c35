"""The web chat page's routes: static files plus a tiny JSON API over the stand-in.

The page is plain HTML and JavaScript served from this package (no build step, no CDN). It acts
as one Telegram user: what it sends becomes an update for the bot through the same `StandIn`
methods the tests use, and it long-polls for the chat's new or edited messages.
"""

from __future__ import annotations

import contextlib
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.playground.state import PlaygroundUser

if TYPE_CHECKING:
    from bot.playground.server import StandIn

#: How long the page's poll for new messages is held open.
POLL_SECONDS = 20.0
#: The largest upload the page accepts (Telegram's bot download limit).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

_STATIC = resources.files("bot.playground") / "static"
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


def _user(data: Any) -> PlaygroundUser:
    """The page's user, from the JSON or form fields it sends."""
    try:
        user_id = int(data.get("user_id", 0))
    except (TypeError, ValueError):
        raise web.HTTPBadRequest(text="user_id must be a number") from None
    if user_id <= 0:
        raise web.HTTPBadRequest(text="user_id must be positive")
    name = str(data.get("first_name") or "Playground")[:64]
    language = str(data.get("language_code") or "en")[:8]
    return PlaygroundUser(id=user_id, first_name=name, language_code=language)


def add_routes(app: web.Application, standin: StandIn) -> None:
    """Mount the page (``/``), its static files and its JSON API on the stand-in's app."""
    state = standin.state

    async def index(request: web.Request) -> web.Response:
        return await static(request, "index.html")

    async def static(request: web.Request, name: str | None = None) -> web.Response:
        name = name or request.match_info["name"]
        suffix = name[name.rfind(".") :]
        resource = _STATIC / name
        if suffix not in _TYPES or "/" in name or not resource.is_file():
            raise web.HTTPNotFound()
        return web.Response(body=resource.read_bytes(), content_type=_TYPES[suffix])

    async def messages(request: web.Request) -> web.Response:
        try:
            chat_id = int(request.query["chat_id"])
            since = int(request.query.get("since", "0"))
        except (KeyError, ValueError):
            raise web.HTTPBadRequest(text="chat_id and since must be numbers") from None
        with contextlib.suppress(TimeoutError):
            await state.wait_until(
                lambda: state.changed_since(chat_id, since) or state.toasts_since(chat_id, since),
                POLL_SECONDS,
            )
        changed = state.changed_since(chat_id, since)
        toasts = [{"version": v, "text": text} for v, text in state.toasts_since(chat_id, since)]
        return web.json_response({"messages": [m.to_page() for m in changed], "toasts": toasts})

    async def send(request: web.Request) -> web.Response:
        data = await request.json()
        text = str(data.get("text", ""))
        if not text.strip():
            raise web.HTTPBadRequest(text="empty message")
        update_id = await standin.send_text(_user(data), text)
        return web.json_response({"update_id": update_id})

    async def press(request: web.Request) -> web.Response:
        data = await request.json()
        try:
            update_id = await standin.press(_user(data), int(data["message_id"]), str(data["data"]))
        except (KeyError, ValueError) as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        return web.json_response({"update_id": update_id})

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        content = upload.file.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise web.HTTPRequestEntityTooLarge(MAX_UPLOAD_BYTES, len(content))
        update_id = await standin.upload(_user(form), upload.filename, content, upload.content_type)
        return web.json_response({"update_id": update_id})

    async def file(request: web.Request) -> web.Response:
        stored = state.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        headers = {}
        if not stored.mime_type.startswith("image/"):
            headers["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
        return web.Response(body=stored.content, content_type=stored.mime_type, headers=headers)

    app.router.add_get("/", index)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/api/messages", messages)
    app.router.add_post("/api/send", send)
    app.router.add_post("/api/press", press)
    app.router.add_post("/api/upload", upload)
    app.router.add_get("/api/file/{file_id}", file)
