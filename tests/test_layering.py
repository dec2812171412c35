"""The house's arrows point one way: transports -> core -> retrieval/scoring/storage.

Checked on the source text, so a forbidden import fails here even if nothing imports the module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package folder -> modules it must never import (a top-level name, or a dotted prefix).
FORBIDDEN = {
    "retrieval": {"bot", "telegram", "scoring"},
    "scoring": {"bot", "telegram", "retrieval"},
    "bot/core": {"telegram", "aiohttp", "bot.tg", "bot.playground", "bot.commands", "bot.cli"},
    "bot/storage": {"telegram", "aiohttp", "bot.core", "bot.tg", "bot.playground"},
}
#: The packages whose import graph must have no circle.
PACKAGES = ("bot", "retrieval", "scoring")


def _imported(path: Path) -> set[str]:
    """Every module name an import statement of `path` names (anywhere in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _forbidden(name: str, rules: set[str]) -> bool:
    return any(name == rule or name.startswith(f"{rule}.") for rule in rules)


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_import_against_the_arrows(folder: str) -> None:
    files = _python_files(folder)
    assert files, f"{folder} has no Python files"
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imported(path) if _forbidden(name, FORBIDDEN[folder])
        )
        for path in files
    }
    assert not {k: v for k, v in offenders.items() if v}


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of `PACKAGES`."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _runtime_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `path` imports when it runs: at the top or inside a function, but
    not under `if TYPE_CHECKING:` (annotations only, never executed)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for child in node.body
        for inner in ast.walk(child)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    resolved = set()
    for name in names:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name:
            resolved.add(name)
    return resolved


def test_the_tree_has_no_import_circle() -> None:
    """A circle (two modules each needing the other) is a sign that what they share belongs in
    a module of its own; a late import inside a function only hides it, so it counts here too.
    A package's `__init__` re-exporting its own modules is not a circle."""
    modules = _modules()
    graph = {
        name: {
            imported
            for imported in _runtime_imports(path, modules)
            if imported != name and not (path.name == "__init__.py" and imported.startswith(name))
        }
        for name, path in modules.items()
    }
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


def _explained(lines: list[str], lineno: int) -> bool:
    """Whether a `# lazy:` comment is on the import's line or heads its run of imports."""
    number = lineno - 1
    while number >= 0:
        line = lines[number].strip()
        if "# lazy:" in line:
            return True
        in_import = line.startswith(("import ", "from ", "#", ")")) or (
            line.endswith(",") and not line.endswith(":")
        )
        if line and (not in_import or line.endswith(":") or line.startswith('"""')):
            return False
        number -= 1
    return False


def test_imports_inside_functions_say_why() -> None:
    """Imports sit at the top of a module; one inside a function must say why it is late
    (a model or a heavy library loaded only when used) in a `# lazy:` comment on its line or
    above the run of imports it belongs to."""
    unexplained = []
    for path in _modules().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom) and not _explained(
                    lines, node.lineno
                ):
                    unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not unexplained, unexplained
