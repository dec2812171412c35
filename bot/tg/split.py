"""Split Telegram HTML into messages under 4096 characters without breaking a tag or an entity.

Telegram refuses a message over 4096 characters and any text whose tags do not balance, so a
long answer cut at an arbitrary character would either be refused or lose its formatting. We cut
between whole tokens (a tag, an entity like ``&amp;`` or one character), prefer a paragraph
break, then a line break, then a sentence end, then a space, and close the tags still open at the
cut, reopening them at the start of the next part so every part is valid on its own.
"""

from __future__ import annotations

import re

#: Telegram's limit on a message's text, in UTF-16 code units.
TELEGRAM_TEXT_LIMIT = 4096
#: Telegram's limit on a photo or document caption.
TELEGRAM_CAPTION_LIMIT = 1024

_ATOM = re.compile(r"<[^<>]*>|&[#\w]+;|[\s\S]", re.ASCII)
_TAG_NAME = re.compile(r"</?([a-zA-Z][\w-]*)")

#: Break kinds in order of preference; a part never ends before half of what would fit.
_PARAGRAPH, _LINE, _SENTENCE, _SPACE = range(4)


def _units(text: str) -> int:
    """Telegram counts UTF-16 code units, so an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _closer(open_tag: str) -> str:
    match = _TAG_NAME.match(open_tag)
    assert match is not None
    return f"</{match.group(1)}>"


def _break_kind(atoms: list[str], end: int) -> int | None:
    """How good a place it is to cut just before ``atoms[end]`` (None: not a break)."""
    prev = atoms[end - 1]
    if prev == "\n":
        return _PARAGRAPH if end >= 2 and atoms[end - 2] == "\n" else _LINE
    if prev in (" ", "\t") and end >= 2 and atoms[end - 2] in (".", "!", "?", ":", ";"):
        return _SENTENCE
    if prev in (" ", "\t"):
        return _SPACE
    return None


def split_html(html: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Cut ``html`` into parts of at most ``limit`` UTF-16 units, each with balanced tags.

    The limit is applied to the source (tags included), which is never shorter than what
    Telegram counts, so every part is accepted. Whitespace at the cuts is dropped; parts
    without visible text are left out.
    """
    atoms = _ATOM.findall(html)
    # stacks[i]: the open tags before atoms[i]
    stacks: list[tuple[str, ...]] = []
    stack: list[str] = []
    for atom in atoms:
        stacks.append(tuple(stack))
        if atom.startswith("</") and len(atom) > 2 and stack:
            stack.pop()
        elif atom.startswith("<") and len(atom) > 1 and not atom.endswith("/>"):
            stack.append(atom)
    stacks.append(tuple(stack))

    parts: list[str] = []
    start = 0
    while start < len(atoms):
        reopen = "".join(stacks[start])
        budget = limit - _units(reopen)
        used, end, best_end = 0, start, start
        best: dict[int, int] = {}
        while end < len(atoms):
            used += _units(atoms[end])
            closing = sum(_units(_closer(tag)) for tag in stacks[end + 1])
            if used + closing > budget:
                break
            end += 1
            best_end = end
            kind = _break_kind(atoms, end)
            if kind is not None:
                best[kind] = end
        if best_end == start:  # a single token too long for a part cannot be sent at all
            raise ValueError("an unbreakable piece of the text is longer than the limit")
        cut = best_end
        if best_end < len(atoms):
            floor = start + (best_end - start) // 2
            for kind in (_PARAGRAPH, _LINE, _SENTENCE, _SPACE):
                if best.get(kind, 0) > floor:
                    cut = best[kind]
                    break
        closers = "".join(_closer(tag) for tag in reversed(stacks[cut]))
        part = (reopen + "".join(atoms[start:cut]) + closers).strip()
        if _visible(part).strip():
            parts.append(part)
        start = cut
        while start < len(atoms) and atoms[start].isspace():
            start += 1
    return parts


def _visible(html: str) -> str:
    return re.sub(r"<[^<>]*>", "", html)
