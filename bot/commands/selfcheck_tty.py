"""`icc-assistant selfcheck` without --answers: the self-check in a terminal, on the same core.

A tiny transport: it sends what the user types or picks to `Assistant.handle` as the local
terminal user, prints the replies as plain text and lists the buttons as numbered choices
(Back, Skip, Don't know and Pause are simply among them). Answers are committed by the core as
they are given, so quitting (q, Ctrl-D, Ctrl-C) or a crash loses nothing: the next run offers
to resume.
"""

from __future__ import annotations

import argparse
import html
import itertools
import logging
import re
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.core import payloads
from bot.core.actions import CityChoice, StepAction
from bot.core.messages import Button, Incoming, Reply
from bot.core.payloads import ButtonKind

if TYPE_CHECKING:
    from bot.core.assistant import Assistant

log = logging.getLogger(__name__)

#: The terminal user's id: one local officer, whose self-checks resume across runs.
TTY_USER_ID = 1
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
QUIT = {"q", "quit", "exit"}
#: The "Other" button of the city question, and how a self-check's Pause button starts and ends.
OTHER_CITY = payloads.make(ButtonKind.CITY, CityChoice.OTHER)
STEP_PREFIX = f"{ButtonKind.SELFCHECK_STEP}:"
PAUSE_SUFFIX = f":{StepAction.PAUSE}"


def plain(text: str) -> str:
    """The reply's HTML subset as terminal text; links keep their address."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({html.unescape(m.group(1))})", text)
    return html.unescape(_TAG.sub("", text))


class TerminalChat:
    """The conversation between one terminal and the core."""

    def __init__(
        self,
        assistant: Assistant,
        *,
        lang: str,
        chart_path: Path,
        stdin: TextIO,
        stdout: TextIO,
    ) -> None:
        self.assistant = assistant
        self.lang = lang
        self.chart_path = chart_path
        self.stdin = stdin
        self.stdout = stdout
        # Event ids unique per session, so the core's redelivery guard never drops a keystroke.
        self._session = uuid.uuid4().hex[:8]
        self._events = itertools.count(1)

    def send(
        self, *, text: str | None = None, callback: str | None = None, quiet: bool = False
    ) -> list[Reply]:
        """Hand one input to the core and print what it answers (unless ``quiet``)."""
        replies = self.assistant.handle(
            Incoming(
                user_id=TTY_USER_ID,
                chat_id=TTY_USER_ID,
                text=text,
                callback=callback,
                language_code=self.lang,
                display_name="",
                event_id=f"tty-{self._session}-{next(self._events)}",
            )
        )
        for reply in replies if not quiet else ():
            self._print(reply)
        return replies

    def _print(self, reply: Reply) -> None:
        if reply.attachment is not None:
            self.chart_path.parent.mkdir(parents=True, exist_ok=True)
            self.chart_path.write_bytes(reply.attachment.content)
            print(f"[chart saved to {self.chart_path}]", file=self.stdout)
        if reply.text:
            print("\n" + plain(reply.text), file=self.stdout)

    def ask(self, prompt: str) -> str | None:
        """One line from the user (None at end of input)."""
        print(prompt, end="", file=self.stdout, flush=True)
        line = self.stdin.readline()
        return None if not line else line.strip()

    def choose(self, choices: list[Button]) -> str | None:
        """List the buttons and read a pick; returns a payload, a typed text or None to quit."""
        for number, choice in enumerate(choices, start=1):
            print(f"  {number}. {choice.label}", file=self.stdout)
        while True:
            line = self.ask(f"Choose 1-{len(choices)} (q to quit): ")
            if line is None or line.lower() in QUIT:
                return None
            if line.isdigit() and 1 <= int(line) <= len(choices):
                return choices[int(line) - 1].data
            print("Please type one of the numbers shown.", file=self.stdout)


def _callback_buttons(replies: list[Reply]) -> list[Button]:
    """The buttons of the last reply that has any (the one the user is expected to answer)."""
    for reply in reversed(replies):
        found = [b for row in reply.buttons for b in row if b.data]
        if found:
            return found
    return []


def _pause_button(choices: list[Button]) -> Button | None:
    return next(
        (
            b
            for b in choices
            if b.data and b.data.startswith(STEP_PREFIX) and b.data.endswith(PAUSE_SUFFIX)
        ),
        None,
    )


def converse(chat: TerminalChat, *, city: str | None) -> int:
    """Run the self-check until the results are shown or the user quits; the exit code."""
    replies = chat.send(text="/start")
    if (
        city
        and _callback_buttons(replies)
        and any(b.data == OTHER_CITY for b in _callback_buttons(replies))
    ):
        replies = chat.send(text=city)
    replies = chat.send(text="/selfcheck")
    while True:
        if any(reply.attachment is not None for reply in replies):
            return 0  # the results are out
        choices = _callback_buttons(replies)
        if not choices:
            line = chat.ask("> ")
            if line is None or line.lower() in QUIT or not line:
                return 0
            replies = chat.send(text=line)
            continue
        picked = chat.choose(choices)
        if picked is None:
            pause = _pause_button(choices)
            if pause is not None:
                chat.send(callback=pause.data)
            return 0
        replies = chat.send(callback=picked)


def run(
    args: argparse.Namespace, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Entry point of the interactive `selfcheck` subcommand."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.services import build_assistant

    assistant = build_assistant()
    chart = args.chart or assistant.services.settings.icc_data_dir / "selfcheck-chart.png"
    chat = TerminalChat(
        assistant,
        lang=args.lang or "en",
        chart_path=Path(chart),
        stdin=stdin or sys.stdin,
        stdout=stdout or sys.stdout,
    )
    return converse(chat, city=args.city)
