"""`icc-assistant`: the command line. Each feature registers its own subcommands.

The parser only wires arguments to functions in `bot.commands.*`; those functions build their
services through `bot.services` and print. Logging is configured here and nowhere else.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bot.config import SettingsError
from bot.core.errors import UserFacingError

# Never let any library reach for the network for model weights: everything ships in packages.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

#: Modules under bot.commands that expose ``register(subparsers)``.
COMMAND_MODULES = ("qa", "icc_index", "visits", "serve", "admin")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every available feature's subcommands."""
    parser = argparse.ArgumentParser(
        prog="icc-assistant",
        description="ICC Policy Assistant: cited answers, the ICC Index self-check, study visits.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"bot.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bot.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


class _RedactingFormatter(logging.Formatter):
    """Masks the bot token in every formatted line, tracebacks included.

    Libraries log request URLs (and exceptions quoting them) that embed the token; masking the
    final text at the one handler we install covers them all, whoever logged.
    """

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        token = os.environ.get("TELEGRAM_BOT_TOKEN", "")
        return text.replace(token, "<token>") if token else text


#: Libraries whose INFO lines are noise.
NOISY_LOGGERS = (
    "httpx",
    "httpcore",
    "chromadb",
    "sentence_transformers",
    "apscheduler",
    "alembic",
    "bm25s",
)
#: Libraries whose DEBUG lines carry whole updates and API calls (user ids, names, what people
#: wrote): kept at INFO even with --verbose, since logs outlive /forget.
PERSONAL_DEBUG_LOGGERS = ("telegram", "aiohttp")


def configure_logging(*, verbose: bool = False) -> None:
    """Install the one stderr handler (token masked) on the root logger, and the levels.

    Log lines name users only by `bot.core.logrefs.user_ref`; the libraries that would print
    raw ids at DEBUG are held at INFO (`set_library_levels`).
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler])
    set_library_levels()


def set_library_levels() -> None:
    """Quieten the noisy libraries, and keep those whose DEBUG lines name people at INFO."""
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in PERSONAL_DEBUG_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, configure logging once, run the chosen command and return its exit code."""

    args = build_parser().parse_args(argv)
    configure_logging(verbose=args.verbose)
    try:
        return int(args.func(args) or 0)
    except (SettingsError, UserFacingError) as exc:
        print(f"icc-assistant: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
