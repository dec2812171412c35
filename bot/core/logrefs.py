"""Pseudonyms for the logs: a salted hash instead of a user's or a chat's id.

/forget deletes a person from the database, but log files are copied, shipped and kept
elsewhere, out of its reach. So no log line names a user: it carries `user_ref(id)` ("u:3fa9c1d2"),
the same for the same person within one install, which is enough to follow one conversation
through the logs, and useless to anyone without the salt (a plain hash of a Telegram id could be
reversed by trying every id). The salt is the `ICC_LOG_SALT` setting when several replicas must
agree, else a secret made once in the data directory; until one is installed, a random salt of
this process is used, so an early log line is never in the clear either.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)

#: Where the per-install salt is kept, inside the data directory.
SALT_FILE = "log-salt"
#: Hex digits kept of the hash: 32 bits, so two of a few thousand officers seldom share one.
_DIGITS = 8

_salt: bytes = secrets.token_bytes(32)


def install_salt(salt: bytes) -> None:
    """Use ``salt`` from now on (called once when a transport starts)."""
    global _salt
    if not salt:
        raise ValueError("an empty log salt would make the references reversible")
    _salt = salt


def load_or_create_salt(data_dir: Path, configured: str = "") -> bytes:
    """The configured salt, or the install's own: read from the data directory, created there
    (readable by its owner only) on the first run."""
    if configured:
        return configured.encode()
    path = data_dir / SALT_FILE
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32).encode()
    try:
        # O_EXCL: two processes starting at once agree on whichever file was written first.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as file:
        file.write(salt)
    log.info("created the salt of the user references in the logs")
    return salt


def _ref(prefix: str, value: int | None) -> str:
    if value is None:
        return f"{prefix}:-"
    digest = hmac.new(_salt, str(value).encode(), hashlib.sha256).hexdigest()
    return f"{prefix}:{digest[:_DIGITS]}"


def user_ref(user_id: int | None) -> str:
    """What a log line says instead of a user id."""
    return _ref("u", user_id)


def chat_ref(chat_id: int | None) -> str:
    """What a log line says instead of a chat id (a private chat's ref matches its user's
    digits, so one person's lines can be followed across both)."""
    return _ref("c", chat_id)
