"""The web chat page's routes: static files plus a tiny JSON API over the stand-in.

The page is plain HTML and JavaScript served from this package (no build step, no CDN). It acts
as one Telegram user: what it sends becomes an update for the bot through the same `StandIn`
methods the tests use, and it long-polls for the chat's new or edited messages.

Which user is the server's decision, never the page's: ``GET /api/session`` issues (or finds)
the browser's session and tells the page its user and CSRF token; every other API route acts
as, and reads only the chat of, the session's user, and every write must carry the CSRF token
(`bot.playground.sessions`). Host, origin and body-type checks run before any route
(`bot.playground.guard`).
"""

from __future__ import annotations

import contextlib
from importlib import resources
from typing import TYPE_CHECKING

from aiohttp import web

from bot.playground.sessions import CSRF_HEADER, PageSession, cookie_name
from bot.playground.state import StoredFile

if TYPE_CHECKING:
    from bot.playground.server import StandIn

#: How long the page's poll for new messages is held open.
POLL_SECONDS = 20.0
#: The largest upload the page accepts (Telegram's bot download limit).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Images shown in the page itself; any other file is only offered as a download.
INLINE_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")

_STATIC = resources.files("bot.playground") / "static"
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


def add_routes(app: web.Application, standin: StandIn) -> None:
    """Mount the page (``/``), its static files and its JSON API on the page's app."""
    state = standin.state
    sessions = standin.sessions

    def cookie() -> str:
        return cookie_name(standin.port)  # read late: port 0 is only resolved once bound

    def session_of(request: web.Request, *, write: bool = False) -> PageSession:
        """The request's session (403 without one); a write must also carry its CSRF token."""
        found = sessions.get(request.cookies.get(cookie()))
        if found is None:
            raise web.HTTPForbidden(text="no playground session: reload the page")
        if write and not found.csrf_matches(request.headers.get(CSRF_HEADER)):
            raise web.HTTPForbidden(text="missing or wrong CSRF token: reload the page")
        return found

    async def index(request: web.Request) -> web.Response:
        return await static(request, "index.html")

    async def static(request: web.Request, name: str | None = None) -> web.Response:
        name = name or request.match_info["name"]
        suffix = name[name.rfind(".") :]
        resource = _STATIC / name
        if suffix not in _TYPES or "/" in name or not resource.is_file():
            raise web.HTTPNotFound()
        return web.Response(body=resource.read_bytes(), content_type=_TYPES[suffix])

    async def session(request: web.Request) -> web.Response:
        """The browser's session, issued on its first visit; ``admin=KEY`` with the demo admin
        key opens a session as the demo admin instead."""
        current = sessions.get(request.cookies.get(cookie()))
        profile = {
            "first_name": request.query.get("name", ""),
            "language_code": request.query.get("lang", ""),
        }
        key = request.query.get("admin")
        if key and sessions.admits(key):
            if current is None or not current.is_demo_admin:
                current = sessions.claim_admin(key, **profile)
        elif current is None:
            current = sessions.create(**profile)
        standin.add_user(current.user)
        response = web.json_response(
            {
                "user_id": current.user.id,
                "first_name": current.user.first_name,
                "language_code": current.user.language_code,
                "csrf_token": current.csrf_token,
                "demo_admin": current.is_demo_admin,
            }
        )
        response.set_cookie(
            cookie(), current.session_id, httponly=True, samesite="Strict", path="/"
        )
        return response

    async def messages(request: web.Request) -> web.Response:
        chat_id = session_of(request).user.id
        try:
            since = int(request.query.get("since", "0"))
            asked = int(request.query.get("chat_id", chat_id))
        except ValueError:
            raise web.HTTPBadRequest(text="chat_id and since must be numbers") from None
        if asked != chat_id:
            raise web.HTTPForbidden(text="only your own chat can be read")
        with contextlib.suppress(TimeoutError):
            await state.wait_until(
                lambda: state.changed_since(chat_id, since) or state.toasts_since(chat_id, since),
                POLL_SECONDS,
            )
        changed = state.changed_since(chat_id, since)
        toasts = [{"version": v, "text": text} for v, text in state.toasts_since(chat_id, since)]
        return web.json_response({"messages": [m.to_page() for m in changed], "toasts": toasts})

    async def json_body(request: web.Request) -> dict[str, object]:
        try:
            data = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="the body must be JSON") from None
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="the body must be a JSON object")
        return data

    async def send(request: web.Request) -> web.Response:
        user = session_of(request, write=True).user
        text = str((await json_body(request)).get("text", ""))
        if not text.strip():
            raise web.HTTPBadRequest(text="empty message")
        update_id = await standin.send_text(user, text)
        return web.json_response({"update_id": update_id})

    async def press(request: web.Request) -> web.Response:
        user = session_of(request, write=True).user
        data = await json_body(request)
        try:
            message_id = int(str(data["message_id"]))
            update_id = await standin.press(user, message_id, str(data["data"]))
        except (KeyError, ValueError) as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        return web.json_response({"update_id": update_id})

    async def upload(request: web.Request) -> web.Response:
        user = session_of(request, write=True).user
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        content = upload.file.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise web.HTTPRequestEntityTooLarge(MAX_UPLOAD_BYTES, len(content))
        update_id = await standin.upload(user, upload.filename, content, upload.content_type)
        return web.json_response({"update_id": update_id})

    async def file(request: web.Request) -> web.Response:
        chat_id = session_of(request).user.id
        stored = _file_in_chat(standin, chat_id, request.match_info["file_id"])
        if stored is None:  # unknown, or someone else's: the same answer, so ids cannot be probed
            raise web.HTTPNotFound()
        headers = {"Content-Security-Policy": "default-src 'none'; sandbox"}
        if stored.mime_type not in INLINE_IMAGES:
            headers["Content-Disposition"] = f'attachment; filename="{_quoted(stored.filename)}"'
        content_type = stored.mime_type if "/" in stored.mime_type else "application/octet-stream"
        return web.Response(body=stored.content, content_type=content_type, headers=headers)

    app.router.add_get("/", index)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/api/session", session)
    app.router.add_get("/api/messages", messages)
    app.router.add_post("/api/send", send)
    app.router.add_post("/api/press", press)
    app.router.add_post("/api/upload", upload)
    app.router.add_get("/api/file/{file_id}", file)


def _file_in_chat(standin: StandIn, chat_id: int, file_id: str) -> StoredFile | None:
    """The file, if a message of this chat (the user's upload or the bot's) carries it."""
    for message in standin.state.chats.get(chat_id, []):
        for stored in (message.photo, message.document):
            if stored is not None and stored.file_id == file_id:
                return stored
    return None


def _quoted(filename: str) -> str:
    """A file name safe inside a quoted header value."""
    return "".join(c if c.isprintable() and c not in '"\\' else "_" for c in filename)
