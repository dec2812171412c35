"""`icc-assistant visits match | list`: the secretariat's view of study visits from a terminal.

A thin transport over bot.core.matchmaking and the stored requests; the JSON shapes are a
contract (scripts and the tests read them).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.core.errors import UserFacingError
from bot.storage.models import VisitRequest, VisitStatus


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `visits match` and `visits list`."""
    visits = subparsers.add_parser("visits", help="study-visit matchmaking and requests")
    sub = visits.add_subparsers(dest="visits_command", required=True, metavar="ACTION")
    match = sub.add_parser("match", help="joint thematic visits and candidate mentor cities")
    match.add_argument("--json", action="store_true", help="machine-readable output")
    match.set_defaults(func=run_match)
    listing = sub.add_parser("list", help="the study-visit requests, newest first")
    listing.add_argument("--status", choices=[s.value for s in VisitStatus], action="append")
    listing.add_argument("--area", help="an area id")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(func=run_list)


def run_match(args: argparse.Namespace) -> int:
    """Print the current matches."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.core.city_data import current_cities
    from bot.core.matchmaking import find_matches

    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.services import build_services
    from bot.storage.db import session_scope

    services = build_services()
    cities = current_cities(services)
    with session_scope(services.engine) as session:
        matches = find_matches(session, cities)
    if args.json:
        _print_json(matches.to_json())
        return 0
    if not matches.joint_visits and not matches.candidate_mentors:
        print("No matches yet.")
    for visit in matches.joint_visits:
        hosts = ", ".join(visit.mentors) or "no documented mentor"
        print(f"Joint visit on {visit.area_id}: {', '.join(visit.cities)} (hosts: {hosts})")
    for mentor in matches.candidate_mentors:
        print(
            f"Candidate mentor for {mentor.area_id}: {mentor.city} ({mentor.country}), "
            f"self-check estimate {mentor.score:.0f}/100"
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the requests (all, or of some statuses or one area)."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.services import build_services
    from bot.storage import repo

    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.storage.db import session_scope

    services = build_services()
    if args.area:
        try:
            services.index_model.area(args.area)
        except KeyError:
            raise UserFacingError(f"unknown area id {args.area!r}") from None
    with session_scope(services.engine) as session:
        found = repo.visit_requests(session, statuses=args.status or (), area_id=args.area)
    rows = [request_json(request) for request in found]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        mentor = row["mentor_city"] or "secretariat chooses"
        print(
            f"{row['reference']}  {row['status']:<9}  {row['area_id']:<24}  "
            f"{row['city'] or '-'} -> {mentor}  ({row['created_at'][:10]})"
        )
    return 0


def request_json(request: VisitRequest) -> dict[str, Any]:
    """One request in the `visits list --json` shape (no officer identity)."""
    return {
        "reference": request.reference,
        "status": request.status,
        "area_id": request.area_id,
        "city": request.city,
        "country": request.country,
        "mentor_city": request.mentor_city,
        "format": request.format,
        "period": request.period,
        "group_size": request.group_size,
        "created_at": request.created_at.isoformat(timespec="seconds"),
        "updated_at": request.updated_at.isoformat(timespec="seconds"),
    }


def _print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    print()
