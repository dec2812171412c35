"""Which uploaded documents are the originals of our digests.

The shipped corpus is this project's digests of ICC documents, written where the original text
could not be consulted in full. When the secretariat uploads the original itself (a PDF of the
Recommendation, the guide...), its own words are better evidence than our summary of them, so
the digest's passages give way to the original's (see `hybrid.DIGEST_YIELD`).

An upload is recognised by name, not by a setting someone must remember: its title, file name or
cover page carries the digest's reference ("CM/Rec(2015)1", "CDADI(2021)6") or the main title
before its subtitle ("The Intercultural City Step by Step"). The cover page is read alone, and
the key found earliest wins, because an original names the texts it builds on further down
(the 2022 Recommendation cites the 2015 one in its preamble).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from retrieval.chunking import Chunk

#: How much of an upload's opening text counts as its cover page.
COVER_CHARS = 400
#: A main title shorter than this many words is too generic to name one document.
MIN_TITLE_WORDS = 3
#: A reference in a short title: Council of Europe document codes carry a year in brackets.
_REFERENCE = re.compile(r"\(\d{4}\)\s*\d*")


def _normal(text: str) -> str:
    """Lowercase words separated by single spaces, padded so keys match whole words only."""
    return " " + " ".join(re.findall(r"[^\W_]+", text.casefold())) + " "


def digest_keys(chunk: Chunk) -> list[str]:
    """The names an original of `chunk`'s digest would carry (normalised, padded): references
    in its short title, and each part of its title around a colon (with and without a closing
    bracket such as "(revised edition)") that is long enough to name one document."""
    names = re.findall(r"[A-Za-z/]+\s*\(\d{4}\)\s*\d*", chunk.short_title)
    for part in chunk.title.split(":"):
        names += [part, re.sub(r"\s*\([^)]*\)\s*$", "", part)]
    if _REFERENCE.search(chunk.short_title) is None:
        names.append(chunk.short_title)
    keys = {_normal(name) for name in names if len(name.split()) >= MIN_TITLE_WORDS or "(" in name}
    return sorted(key for key in keys if key.strip())


def _cover(units: Iterable[Chunk]) -> str:
    """An upload's title, file name and the opening of its text (its cover page)."""
    ordered = sorted(units, key=lambda unit: unit.ordinal)
    if not ordered:
        return ""
    first = ordered[0]
    name = first.doc_id.split(":", 1)[-1].replace("-", " ").replace("_", " ")
    opening = " ".join(unit.text for unit in ordered if not unit.is_section)[:COVER_CHARS]
    return _normal(f"{first.title} {first.short_title} {name} {opening}")


def originals(chunks: Mapping[str, Chunk]) -> dict[str, str]:
    """Digest doc id -> doc id of the upload recognised as its original (see module doc)."""
    keys: dict[str, list[str]] = {}
    uploads: dict[str, list[Chunk]] = {}
    for chunk in chunks.values():
        if chunk.digest:
            keys.setdefault(chunk.doc_id, digest_keys(chunk))
        else:
            uploads.setdefault(chunk.doc_id, []).append(chunk)
    found: dict[str, str] = {}
    for doc_id, units in sorted(uploads.items()):
        cover = _cover(units)
        positions = [
            (cover.find(key), digest)
            for digest, names in keys.items()
            for key in names
            if key in cover
        ]
        if positions:
            _, digest = min(positions)
            found.setdefault(digest, doc_id)
    return found
