"""No dead ends in the core: every button handler is registered with a dispatcher, and every
text of the catalogue is used by some code (a removed feature leaves neither behind)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import bot
import bot.core
from bot.core.assistant import BUTTONS
from bot.core.redelivery import CURRENT_STATE
from bot.core.texts import CATALOGS

BOT_DIR = Path(bot.__file__).parent


def _button_handlers() -> dict[str, object]:
    """Public core functions shaped like button handlers: ``(turn, payload)``."""
    found = {}
    for info in pkgutil.iter_modules(bot.core.__path__):
        module = importlib.import_module(f"bot.core.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            if list(inspect.signature(function).parameters) == ["turn", "payload"]:
                found[f"{info.name}.{name}"] = function
    return found


def test_every_button_handler_is_reachable() -> None:
    # A press is dispatched by BUTTONS, or, when Telegram delivers it again, by CURRENT_STATE.
    registered = set(BUTTONS.values()) | set(CURRENT_STATE.values())
    handlers = _button_handlers()
    assert len(handlers) >= 10  # the scan does find the handlers
    assert [name for name, handler in handlers.items() if handler not in registered] == []


def _string_literals() -> tuple[set[str], set[str]]:
    """The string constants of the code outside the catalogues, and the literal heads of its
    f-strings (keys built like ``f"visit_status_{status}"``)."""
    constants: set[str] = set()
    heads: set[str] = set()
    for path in BOT_DIR.rglob("*.py"):
        if "texts" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and str(first.value).endswith("_"):
                    heads.add(str(first.value))
    return constants, heads


def test_every_text_is_used() -> None:
    constants, heads = _string_literals()
    unused = [
        key
        for key in CATALOGS["en"]
        if key not in constants
        and not any(key.startswith(head) for head in heads)
        # the forms of a counted noun: `turn.counted("pages", n)` takes pages_one/pages_other
        and not (key.endswith(("_one", "_other")) and key.rsplit("_", 1)[0] in constants)
    ]
    assert unused == []
