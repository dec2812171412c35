"""The suite's own layout: test folders are not packages, so basenames must be unique.

Two `test_cli.py` in different folders collide at collection time (pytest's default import
mode); this fails first, with the names, instead of an "import file mismatch" later.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_basenames_are_unique() -> None:
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    assert [name for name, count in names.items() if count > 1] == []
