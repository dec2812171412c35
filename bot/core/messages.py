"""Plain data exchanged between the conversation core and its transports.

Nothing here knows Telegram. Reply text is a small, safe HTML subset (``<b>``, ``<i>``,
``<a href>``, ``<code>``, ``<blockquote>``), already escaped by the core: Telegram renders it in
HTML parse mode, the playground shows it as is, and the CLI strips the tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A document the user sent (admins upload corpus files and score CSVs)."""

    filename: str
    mime_type: str | None
    size: int
    content: bytes


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a user did: typed text, a command, pressed a button or sent a file.

    Exactly one of ``text``, ``callback`` and ``document`` is set. Commands arrive as text
    starting with ``/``.
    """

    user_id: int
    chat_id: int
    text: str | None = None
    callback: str | None = None
    document: IncomingFile | None = None
    language_code: str | None = None
    display_name: str = ""
    username: str | None = None
    #: The transport's unique id for this event (Telegram's update_id), so a redelivered update
    #: is recognised and never applied twice.
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: either a callback payload (at most 64 bytes) or a link."""

    label: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has either data or a url")
        if self.data is not None and len(self.data.encode()) > 64:
            raise ValueError(f"callback data over 64 bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the assistant sends: a chart (photo) or an export (document)."""

    filename: str
    content: bytes
    kind: str = "document"  # "photo" or "document"
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message the assistant sends.

    ``chat_id`` None means "the chat the incoming came from"; a number sends elsewhere (an admin
    notification, a status change told to the officer who asked). ``edit`` asks the transport to
    replace the message that carried the pressed button instead of sending a new one, which keeps
    a self-check from flooding the chat. ``toast`` is the short notice shown for a button press.
    """

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    chat_id: int | None = None
    edit: bool = False
    toast: str | None = None
    disable_preview: bool = True
    extra: dict[str, str] = field(default_factory=dict)
