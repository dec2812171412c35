"""Small documents and file builders shared by the retrieval tests."""

from __future__ import annotations

from pathlib import Path

SMALL_DOCS = {
    "rumours.md": """---
title: "A handbook on countering rumours"
short_title: Rumours handbook
source_url: https://example.org/rumours
language: en
---

# Countering rumours

## Why rumours matter

Rumours about newcomers spread quickly and harden into prejudice. Cities answer them with
facts and with stories told by trusted neighbours.

## Training agents

Anti-rumour agents are volunteers trained to question stereotypes in everyday conversations.
Training lasts two days and covers listening, empathy and reliable data.
""",
    "gardens.md": """---
title: "Community gardens guide"
short_title: Gardens guide
source_url: https://example.org/gardens
---

# Community gardens

## Starting a garden

A community garden needs a plot of municipal land, water access and a group of residents who
agree on shared rules. Mixed groups of long-time residents and newcomers work best.
""",
}


def write_docs(folder: Path, docs: dict[str, str] = SMALL_DOCS) -> Path:
    """Write the small documents into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
