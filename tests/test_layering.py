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


def _core_imports(path: Path) -> set[str]:
    """The bot.core modules one core module imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(name.split(".")[2] for name in names if name.startswith("bot.core."))
    return found


def test_core_modules_import_each_other_without_a_circle() -> None:
    """A circle (two flows each needing the other) is a sign that what they share belongs in a
    module of its own; a late import inside a function only hides it, so it counts here too."""
    core = ROOT / "bot" / "core"
    modules = {path.stem: path for path in core.glob("*.py") if path.stem != "__init__"}
    graph = {name: _core_imports(path) & set(modules) - {name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        assert name not in trail, " -> ".join([*trail, name])
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
