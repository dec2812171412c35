"""Small builders for the reply markup: links and quotes made only from escaped parts."""

from __future__ import annotations

import html

from bot.core.texts import Safe, escape


def link(label: str, url: str | None) -> Safe:
    """``<a href>`` for http(s) URLs; anything else is shown as plain, escaped text."""
    if url and url.startswith(("http://", "https://")):
        return Safe(f'<a href="{html.escape(url, quote=True)}">{escape(label)}</a>')
    return escape(label)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def clip(text: str, limit: int) -> str:
    """``text`` with its line breaks, cut at a word boundary to at most ``limit`` characters."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + "…"


def join_lines(*lines: str) -> Safe:
    """Join already-safe lines, dropping empty ones."""
    return Safe("\n".join(line for line in lines if line))
