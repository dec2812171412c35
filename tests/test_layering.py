"""The house's arrows point one way: transports -> core -> retrieval/scoring/storage.

Checked on the source text, so a forbidden import fails here even if nothing imports the module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package folder -> top-level modules it must never import.
FORBIDDEN = {
    "retrieval": {"bot", "telegram", "scoring"},
    "scoring": {"bot", "telegram", "retrieval"},
    "bot/core": {"telegram", "aiohttp"},
    "bot/storage": {"telegram", "aiohttp"},
}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_import_against_the_arrows(folder: str) -> None:
    files = _python_files(folder)
    assert files, f"{folder} has no Python files"
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN[folder])
        for path in files
    }
    assert not {k: v for k, v in offenders.items() if v}
