"""Markdown of the digests (and of uploads rewritten as Markdown) as plain, phone-ready blocks.

Answers, quoted sources and self-check guide passages are shown on a phone, in Telegram or in a
terminal, where `**`, `*`, `- ` and table pipes are noise. Everything retrieval stores and
returns is therefore plain text made here: emphasis and links reduced to their words, list
items marked "• ", and a table row read as "Column: value; column: value" (a "Key facts at a
glance" row becomes "Adopted: 21 January 2015"). Blocks keep the document's structure (a
paragraph, a list with the sentence that introduces it, a table) so an answer can quote a list
whole rather than drop it after its colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = "• "

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
#: A paragraph that only names where the statements above it come from ("(Source: ICC
#: announcement.)"): it belongs to the block before it and is never a passage of its own.
_PROVENANCE = re.compile(r"^\(sources?:.*\)\.?$", re.IGNORECASE)


def is_provenance(text: str) -> bool:
    """Whether `text` is only a note of where the statements before it come from
    ("(Source: ICC announcement.)"): it documents them and answers nothing by itself."""
    return bool(_PROVENANCE.match(text.strip()))


def inline(text: str) -> str:
    """One line of Markdown as plain text: links, emphasis, code marks and tags removed."""
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(2):  # nested emphasis (**a *b* c**)
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _HTML_TAG.sub("", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Block:
    """A paragraph, a list (`lead` is the sentence introducing it, if any) or a table."""

    kind: str  # "paragraph" | "list" | "table"
    lines: tuple[str, ...]
    lead: str = ""


def _cells(row: str) -> list[str]:
    return [inline(c) for c in row.strip().strip("|").split("|")]


def _table_lines(rows: list[str]) -> list[str]:
    """Rows as "Header: value" statements; a two-column key/value table as "Key: value"."""
    body = [r for r in rows if not _TABLE_RULE.match(r)]
    if not body:
        return []
    header, *data = (_cells(r) for r in body)
    if not data:
        return [BULLET + "; ".join(c for c in header if c)]
    lines = []
    for cells in data:
        if len(cells) == 2 and len(header) == 2:
            lines.append(f"{cells[0]}: {cells[1]}" if cells[0] else cells[1])
        else:
            pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False) if c]
            lines.append("; ".join(pairs))
    return [BULLET + line for line in lines if line.strip(": ")]


def blocks(markdown: str) -> list[Block]:
    """The blocks of a section's Markdown body, in reading order, as plain text.

    A paragraph ending with a colon right before a list is that list's `lead`; a provenance
    note ("(Source: ...)") ends the block before it.
    """
    out: list[Block] = []
    kind = ""
    buffer: list[str] = []

    def flush() -> None:
        nonlocal kind, buffer
        if buffer:
            if kind == "table":
                lines = _table_lines(buffer)
                if lines:
                    out.append(Block("table", tuple(lines)))
            elif kind == "list":
                items = tuple(BULLET + inline(_LIST_ITEM.sub("", item)) for item in buffer)
                lead = ""
                if out and out[-1].kind == "paragraph" and out[-1].lines[-1].endswith(":"):
                    lead = out.pop().lines[-1]
                out.append(Block("list", items, lead))
            else:
                text = inline(" ".join(buffer))
                if text and out and is_provenance(text):
                    last = out.pop()
                    noted = (*last.lines[:-1], f"{last.lines[-1]} {text}")
                    out.append(Block(last.kind, noted, last.lead))
                elif text:
                    out.append(Block("paragraph", (text,)))
        kind, buffer = "", []

    for raw in markdown.splitlines():
        line = raw.rstrip()
        stripped = line.strip().lstrip(">").strip() if line.lstrip().startswith(">") else line
        if not stripped.strip():
            if kind != "list":
                flush()
            continue
        if stripped.lstrip().startswith("|"):
            if kind != "table":
                flush()
                kind = "table"
            buffer.append(stripped)
        elif _LIST_ITEM.match(stripped):
            if kind != "list":
                flush()
                kind = "list"
            buffer.append(stripped)
        elif kind == "list" and raw[:1] in (" ", "\t") and buffer:
            buffer[-1] += " " + stripped.strip()  # a list item's continuation line
        else:
            if kind not in ("", "paragraph"):
                flush()
            kind = "paragraph"
            buffer.append(stripped.strip())
    flush()
    return out


def plain(markdown: str) -> str:
    """A whole Markdown text as plain text: one line per paragraph, list item or table row."""
    lines: list[str] = []
    for block in blocks(markdown):
        if block.lead:
            lines.append(block.lead)
        lines.extend(block.lines)
    return "\n".join(lines)
