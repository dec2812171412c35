"""Telegram's HTML parse mode, checked the way the real Bot API checks it.

The stand-in must refuse what Telegram refuses (unknown or unbalanced tags, a bare ``&`` or
``<``, text over 4096 characters), otherwise the end-to-end tests would pass against a server
that is kinder than the real one. The same parse yields the visible text (for assertions) and a
sanitised re-serialisation that the web page can show with ``innerHTML`` safely.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

#: Tags Telegram accepts in HTML parse mode, with the one attribute each may carry.
ALLOWED_TAGS: dict[str, str | None] = {
    "b": None,
    "strong": None,
    "i": None,
    "em": None,
    "u": None,
    "ins": None,
    "s": None,
    "strike": None,
    "del": None,
    "code": "class",
    "pre": None,
    "a": "href",
    "blockquote": "expandable",
    "tg-spoiler": None,
    "span": "class",
}
_TOKEN = re.compile(r"<[^<>]*>|&[^&<>;\s]*;|[<>&]|[^<>&]+")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s+[^<>]*)?)\s*>\Z")
_ATTR = re.compile(r"""([\w-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});\Z")
_SAFE_HREF = ("http://", "https://", "tg://", "mailto:")

#: Telegram's limits, in UTF-16 code units of the visible text.
MAX_TEXT = 4096
MAX_CAPTION = 1024


class Refused(ValueError):
    """Telegram would answer 400; the message is the description after "Bad Request: "."""


class ParseError(Refused):
    """The text would be refused by Telegram with "can't parse entities"."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"can't parse entities: {detail}")


@dataclass(frozen=True)
class Parsed:
    """The visible text and a safe HTML rendition of one message."""

    text: str
    safe_html: str

    @property
    def length(self) -> int:
        """Length as Telegram counts it: UTF-16 code units."""
        return utf16_len(self.text)


def utf16_len(text: str) -> int:
    """Telegram measures text in UTF-16 code units; astral characters count twice."""
    return len(text.encode("utf-16-le")) // 2


def parse(source: str) -> Parsed:
    """Parse Telegram HTML, raising ParseError exactly where Telegram would refuse it."""
    visible: list[str] = []
    safe: list[str] = []
    stack: list[str] = []
    for token in _TOKEN.findall(source):
        if token in ("<", ">") or (token.startswith("<") and not _TAG.match(token)):
            if token == ">":  # Telegram tolerates a bare '>'
                visible.append(">")
                safe.append("&gt;")
                continue
            raise ParseError(f"Unsupported start tag or bare '<' in {token[:30]!r}")
        if token.startswith("&"):
            if not _ENTITY.match(token):
                raise ParseError(f"Unsupported entity {token[:20]!r}")
            char = html.unescape(token)
            visible.append(char)
            safe.append(html.escape(char, quote=False))
            continue
        if token.startswith("<"):
            safe.append(_tag(token, stack))
            continue
        visible.append(token)
        safe.append(html.escape(token, quote=False))
    if stack:
        raise ParseError(f"Can't find end tag corresponding to start tag {stack[-1]!r}")
    return Parsed(text="".join(visible), safe_html="".join(safe))


def _tag(token: str, stack: list[str]) -> str:
    """Check one tag against the open-tag stack and return its sanitised form."""
    match = _TAG.match(token)
    assert match is not None
    closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
    if name not in ALLOWED_TAGS:
        raise ParseError(f"Unsupported start tag {name!r}")
    if closing:
        if not stack or stack[-1] != name:
            raise ParseError(f"Unmatched end tag {name!r}")
        stack.pop()
        return f"</{name}>"
    stack.append(name)
    allowed = ALLOWED_TAGS[name]
    attrs = {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in _ATTR.finditer(rest)
    }
    if name == "a":
        href = attrs.get("href", "")
        if not href.startswith(_SAFE_HREF):
            return "<a>"
        return f'<a href="{html.escape(html.unescape(href))}" target="_blank" rel="noopener">'
    if allowed and allowed in attrs:
        return f'<{name} {allowed}="{html.escape(attrs[allowed])}">'
    return f"<{name}>"


def parse_plain(text: str) -> str:
    """The safe HTML rendition of a message sent without a parse mode."""
    return html.escape(text, quote=False)


def check_message_text(source: str, *, limit: int = MAX_TEXT) -> Parsed:
    """Parse and enforce Telegram's emptiness and length rules for a message or caption."""
    parsed = parse(source)
    if not parsed.text.strip() and limit == MAX_TEXT:
        raise Refused("message text is empty")
    if parsed.length > limit:
        raise Refused("message is too long" if limit == MAX_TEXT else "message caption is too long")
    return parsed
