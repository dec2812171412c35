"""Who may reach the playground's two listeners, checked before any route runs.

The page listener answers browsers, so it must hold against the sites those browsers also
visit: a request whose ``Host`` is not the bound address is refused (421), which defeats DNS
rebinding; the page's API refuses requests another site started (``Sec-Fetch-Site``, and for
writes an ``Origin`` or ``Referer`` that is not the page's own), and writes must be JSON (or
multipart for an upload), which a cross-site ``<form>`` or a "simple" ``text/plain`` fetch
cannot send. The session and CSRF checks that follow live with the routes (`bot.playground.page`).

The Bot API listener answers the bot only: it is bound to loopback, takes the playground's
secret token when it has one, and refuses anything a browser sends (a browser always adds
``Origin`` or ``Sec-Fetch-*`` headers to the requests a page makes; PTB's HTTP client never does).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.playground.params import ApiError
from bot.playground.sessions import secret_matches

#: Page API routes that change something, and the body types each accepts.
WRITES = {
    "/api/send": ("application/json",),
    "/api/press": ("application/json",),
    "/api/upload": ("multipart/form-data",),
}
#: What a request started by the page itself (or typed in the address bar) says it is.
OWN_FETCHES = ("same-origin", "none")
#: Sent with every page response: no framing (clickjacking), no sniffing a download into HTML,
#: no script but the page's own file.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name other than localhost may resolve anywhere


def is_wildcard(host: str) -> bool:
    """Whether ``host`` means every interface (``0.0.0.0``, ``::`` or empty)."""
    try:
        return not host or ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def host_allowed(header: str | None, bound: str, port: int) -> bool:
    """Whether a request's ``Host`` header names the address the listener is bound to.

    On loopback that is 127.0.0.1 (or ::1) or localhost, with the bound port. A server bound
    to every interface (only with --allow-remote) takes localhost or any IP literal: DNS
    rebinding needs a DNS name, so a bare IP address cannot be one.
    """
    if not header:
        return False
    parsed = urlsplit(f"//{header}")
    try:
        if parsed.port != port or not parsed.hostname:
            return False
    except ValueError:  # a port that is not a number
        return False
    name = parsed.hostname.lower()
    if name == "localhost":
        return is_loopback(bound) or is_wildcard(bound)
    if is_wildcard(bound):
        return _is_ip(name)
    if is_loopback(bound) and _is_ip(name):
        return ipaddress.ip_address(name).is_loopback
    return name == bound.strip("[]").lower()


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _origin(url: str | None) -> str | None:
    """``scheme://host:port`` of a URL, lower-cased, or None."""
    if not url or url == "null":
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def page_guard(bound: Callable[[], tuple[str, int]]) -> Middleware:
    """The page listener's checks; ``bound()`` gives (host, port) as bound (port 0 resolved)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host, port = bound()
        if not host_allowed(request.headers.get("Host"), host, port):
            raise web.HTTPMisdirectedRequest(text="this playground answers on its own address only")
        if request.path.startswith("/api/"):
            fetch_site = request.headers.get("Sec-Fetch-Site")
            if fetch_site is not None and fetch_site not in OWN_FETCHES:
                raise web.HTTPForbidden(text="requests from other sites are refused")
        if request.method != "GET" and request.path.startswith("/api/"):
            own = f"http://{request.headers['Host']}".lower()
            claimed = _origin(request.headers.get("Origin")) or _origin(
                request.headers.get("Referer")
            )
            if claimed != own:
                raise web.HTTPForbidden(text="requests from other pages are refused")
            accepted = WRITES.get(request.path)
            if accepted is not None and request.content_type not in accepted:
                raise web.HTTPUnsupportedMediaType(text=f"send {' or '.join(accepted)}")
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            exc.headers.update(PAGE_HEADERS)
            raise
        response.headers.update(PAGE_HEADERS)
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    return guard


def bot_api_guard(port: Callable[[], int], token: str | None) -> Middleware:
    """The Bot API listener's checks: its own Host, no browser, and the token when one is set."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not host_allowed(request.headers.get("Host"), "127.0.0.1", port()):
            return ApiError(421, "Misdirected Request").response()
        if any(h in request.headers for h in ("Origin", "Sec-Fetch-Site", "Sec-Fetch-Mode")):
            return ApiError(403, "Forbidden: the Bot API stand-in answers the bot only").response()
        presented = request.match_info.get("token")
        if token is not None and not secret_matches(presented, token):
            return ApiError(401, "Unauthorized").response()
        return await handler(request)

    return guard
