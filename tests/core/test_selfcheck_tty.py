"""The terminal self-check: numbered choices, quit mid-check, resume in a new run, results."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

import pytest

from bot.commands import selfcheck_tty


class Officer(io.StringIO):
    """stdin that answers what the terminal last asked: the first option of each question
    (for a multi-select question: the first option, then Done), quitting after ``quit_after``
    answers."""

    def __init__(self, screen: io.StringIO, scope_choice: str, quit_after: int | None) -> None:
        super().__init__()
        self.screen = screen
        self.scope_choice = scope_choice
        self.quit_after = quit_after
        self.answers = 0
        self.toggled = False

    def readline(self, size: int | None = -1) -> str:
        shown = self.screen.getvalue()
        last = shown[shown.rfind("\n\n") :]
        choices = dict(re.findall(r"^  (\d+)\. (.+)$", last, re.M))
        if "Quick check (~5 min)" in choices.values():
            return self.scope_choice + "\n"
        if "Resume" in choices.values():
            return next(n for n, label in choices.items() if label == "Resume") + "\n"
        if self.quit_after is not None and self.answers >= self.quit_after:
            return "q\n"
        if "Done" in choices.values():
            if not self.toggled:
                self.toggled = True
                return "1\n"
            self.toggled = False
            self.answers += 1
            return next(n for n, label in choices.items() if label == "Done") + "\n"
        self.answers += 1
        return "1\n"


def _run(tmp_path: Path, quit_after: int | None) -> str:
    screen = io.StringIO()
    args = argparse.Namespace(city="Barcelona", chart=tmp_path / "chart.png", lang="en")
    code = selfcheck_tty.run(args, stdin=Officer(screen, "1", quit_after), stdout=screen)
    assert code == 0
    return screen.getvalue()


def test_terminal_self_check_pauses_and_resumes_to_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICC_DATA_DIR", str(tmp_path))
    first = _run(tmp_path, quit_after=5)
    assert "Noted: you work for Barcelona (Spain)." in first
    assert "Area 1/17, question 1/" in first and "Don't know" in first
    assert "Paused at question 6/" in first
    assert not (tmp_path / "chart.png").exists()

    second = _run(tmp_path, quit_after=None)
    assert "You have an unfinished self-check (quick check), at question 6/" in second
    assert "question 1/" not in second  # resumed, not restarted
    assert "Your ICC Index self-check: estimated scores" in second
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")
    assert "<b>" not in second


def test_plain_text_keeps_link_addresses() -> None:
    text = 'See <a href="https://example.org/a?b=1&amp;c=2">the guide</a> &lt;now&gt;'
    assert selfcheck_tty.plain(text) == "See the guide (https://example.org/a?b=1&c=2) <now>"
