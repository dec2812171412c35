"""Who the page is talking as: one server-issued session per browser, one playground user each.

The page never says who it is. The server gives each browser an HttpOnly, SameSite=Strict
cookie naming a session, and the session names the user: an id the server picks in a range
Telegram never uses (ids at or above 2**52; Telegram's user ids have at most 52 significant
bits). Whatever a request body claims, a visitor can only ever act as, and read, their own
user. Each session also carries a CSRF token that state-changing requests must echo in a
header, so another site cannot act in the playground even where the browser would send the
cookie (another port of the same host is the same *site*).

The secretariat's tools go to one demo admin user, and only when the server was started with
a demo admin key: the page that presents the key (from the link printed at start-up) becomes
that user. Nothing else makes anyone an admin.
"""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from bot.playground.state import PlaygroundUser

#: The first id of the playground's reserved range. Telegram documents user ids as having at
#: most 52 significant bits, so no real Telegram user has an id at or above it; and every id
#: below 2**53 is still an exact JavaScript number, so the page can hold it.
PLAYGROUND_ID_START = 2**52
#: One past the last id of the range.
PLAYGROUND_ID_END = 2**53
#: The demo admin's id (given admin rights only when the server has a demo admin key).
DEMO_ADMIN_ID = PLAYGROUND_ID_START
#: Sessions kept at once; the oldest is forgotten first (a demo, not a service).
MAX_SESSIONS = 1000
#: The header a state-changing request carries its session's CSRF token in.
CSRF_HEADER = "X-CSRF-Token"


def secret_matches(presented: str | None, expected: str | None) -> bool:
    """Whether a presented secret is the expected one (never when either is missing), compared
    in constant time so that it cannot be guessed a character at a time."""
    return bool(
        presented and expected and hmac.compare_digest(presented.encode(), expected.encode())
    )


def is_playground_user(user_id: int) -> bool:
    """Whether ``user_id`` lies in the range only the playground hands out."""
    return PLAYGROUND_ID_START <= user_id < PLAYGROUND_ID_END


def cookie_name(port: int) -> str:
    """The session cookie's name. Cookies ignore ports, so two playgrounds on one host (8080
    and 8081) would otherwise overwrite each other's session."""
    return f"icc_playground_{port}"


@dataclass
class PageSession:
    """One browser's session: its secret id (the cookie), its CSRF token and its user."""

    session_id: str
    csrf_token: str
    user: PlaygroundUser

    @property
    def is_demo_admin(self) -> bool:
        return self.user.id == DEMO_ADMIN_ID

    def csrf_matches(self, presented: str | None) -> bool:
        """Constant-time comparison, so the token cannot be guessed a character at a time."""
        return secret_matches(presented, self.csrf_token)


class Sessions:
    """The sessions the server has issued (in memory: a restart starts every visitor afresh)."""

    def __init__(self, *, demo_admin_key: str | None = None) -> None:
        self.demo_admin_key = demo_admin_key
        self._sessions: OrderedDict[str, PageSession] = OrderedDict()

    def get(self, session_id: str | None) -> PageSession | None:
        """The session a cookie names, or None for a missing, unknown or forgotten one."""
        return self._sessions.get(session_id) if session_id else None

    def create(self, *, first_name: str = "", language_code: str = "") -> PageSession:
        """A new session with a new user, whose id nobody else holds."""
        taken = {s.user.id for s in self._sessions.values()}
        while (user_id := _random_id()) in taken:
            continue
        return self._add(PlaygroundUser(user_id, *_profile(first_name, language_code)))

    def claim_admin(
        self, key: str, *, first_name: str = "", language_code: str = ""
    ) -> PageSession:
        """A new session as the demo admin, if ``key`` is the demo admin key; else ValueError."""
        if not self.admits(key):
            raise ValueError("not the demo admin key")
        name, _, language = _profile(first_name or "Secretariat", language_code)
        return self._add(PlaygroundUser(DEMO_ADMIN_ID, name, language_code=language))

    def admits(self, key: str | None) -> bool:
        """Whether ``key`` is the demo admin key (always False without one)."""
        return secret_matches(key, self.demo_admin_key)

    def _add(self, user: PlaygroundUser) -> PageSession:
        session = PageSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32), user)
        self._sessions[session.session_id] = session
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return session

    def __len__(self) -> int:
        return len(self._sessions)


def _random_id() -> int:
    """A random id in the range, never the demo admin's. Random rather than counted, so a
    restarted playground on the same database does not hand a newcomer an old visitor's data."""
    return DEMO_ADMIN_ID + 1 + secrets.randbelow(PLAYGROUND_ID_END - DEMO_ADMIN_ID - 1)


def _profile(first_name: str, language_code: str) -> tuple[str, str | None, str]:
    """(first name, username, language) as PlaygroundUser takes them, trimmed and defaulted."""
    name = (first_name.strip() or "Playground")[:64]
    language = language_code.strip().lower()[:8]
    return name, None, language if language.replace("-", "").isalpha() else "en"
