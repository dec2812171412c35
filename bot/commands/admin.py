"""`icc-assistant admin purge`: apply the personal-data retention period now.

The serving process runs the same purge as a daily job; this is for operators and cron.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `admin purge`."""
    admin = subparsers.add_parser("admin", help="operator tasks")
    sub = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    purge = sub.add_parser(
        "purge", help="delete personal data older than ICC_RETENTION_DAYS (default 730)"
    )
    purge.add_argument("--json", action="store_true", help="machine-readable output")
    purge.set_defaults(func=run_purge)


def run_purge(args: argparse.Namespace) -> int:
    """Run the retention purge once and print what it did."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.core.retention import purge_stale_data
    from bot.services import build_services

    report = purge_stale_data(build_services())
    if args.json:
        print(json.dumps(asdict(report), default=str))
    else:
        print(
            f"Personal data before {report.cutoff:%Y-%m-%d}: {report.users_forgotten} users "
            f"forgotten, {report.questions_detached} questions and "
            f"{report.requests_anonymised} requests anonymised."
        )
    return 0
