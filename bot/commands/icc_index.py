"""`icc-assistant indicators | selfcheck | import-scores`: the ICC Index from a terminal.

(The ICC Index is the Council of Europe's intercultural-policy questionnaire; the search index of
the documents is `icc-assistant ingest`, in bot.commands.qa.)

A thin transport: it parses files and flags, calls scoring (and retrieval for guidance) through
the shared services, and prints. The JSON shapes are a contract other checks rely on, so they
carry exactly the documented keys; the "estimate, not an official result" label goes to stderr
in JSON mode so that stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.errors import UserFacingError
from bot.core.mentor_words import mentor_reason
from bot.core.texts import pick_language

if TYPE_CHECKING:
    from bot.services import Services
    from scoring.cities import CityData, OfficialAreaScore
    from scoring.mentors import Mentor
    from scoring.model import IndexModel
    from scoring.score import Result

log = logging.getLogger(__name__)

#: An answers file is a few kilobytes; anything far larger is a mistake.
MAX_ANSWERS_BYTES = 1_000_000
#: Mentor cities shown for each weak area.
MENTORS_PER_AREA = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `indicators`, `selfcheck` and `import-scores` subcommands."""
    indicators = subparsers.add_parser("indicators", help="list the ICC Index questions")
    indicators.add_argument("--json", action="store_true", help="machine-readable output")
    indicators.add_argument("--lang", default="en", help="language of the texts (en, fr)")
    indicators.add_argument("--scope", default="full", help="quick, full or area:<id>")
    indicators.set_defaults(func=run_indicators)

    selfcheck = subparsers.add_parser(
        "selfcheck", help="score a self-check (interactive without --answers)"
    )
    selfcheck.add_argument(
        "--answers", type=Path, help="JSON file: indicator id -> option id (list for multi-select)"
    )
    selfcheck.add_argument("--json", action="store_true", help="machine-readable output")
    selfcheck.add_argument("--city", help="your city (never proposed as its own mentor)")
    selfcheck.add_argument("--chart", type=Path, help="write the results chart (PNG) here")
    selfcheck.add_argument("--scope", default="full", help="quick, full or area:<id>")
    selfcheck.add_argument("--lang", default="en", help="language of the texts (en, fr)")
    selfcheck.set_defaults(func=run_selfcheck)

    imports = subparsers.add_parser(
        "import-scores", help="check an official per-area score CSV and show what it holds"
    )
    imports.add_argument("csv", type=Path, help="CSV: city,country,year,area,score,source_url")
    imports.add_argument("--json", action="store_true", help="machine-readable output")
    imports.add_argument(
        "--apply",
        action="store_true",
        help="also store the rows in the database (they then take precedence for mentors)",
    )
    imports.set_defaults(func=run_import_scores)


def run_indicators(args: argparse.Namespace) -> int:
    """Print the questions of a scope, in the documented JSON shape or as text."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.services import build_services
    from scoring.score import indicators_for

    model = build_services().index_model
    try:
        chosen = {indicator.id for indicator in indicators_for(model, args.scope)}
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None
    payload = indicators_json(model, chosen, args.lang)
    if args.json:
        _print_json(payload)
        return 0
    print(f"{model.title.get(args.lang)} — {payload['version']}")
    print(model.disclaimer_in(args.lang))
    for area in payload["areas"]:
        print(f"\n{area['name']} [{area['id']}]")
        for indicator in area["indicators"]:
            print(f"  {indicator['id']}: {indicator['question']}")
            options = ", ".join(f"{o['id']} ({o['points']:g})" for o in indicator["options"])
            print(f"      {options}")
    return 0


def indicators_json(model: IndexModel, chosen: set[str], lang: str) -> dict[str, Any]:
    """The `indicators --json` contract: version, areas, their questions and options."""
    areas = []
    for area in model.areas:
        indicators = [
            {
                "id": indicator.id,
                "question": indicator.question_in(lang),
                "options": [
                    {"id": option.id, "label": option.label_in(lang), "points": option.points}
                    for option in indicator.options
                ],
            }
            for indicator in area.indicators
            if indicator.id in chosen
        ]
        if indicators:
            areas.append({"id": area.id, "name": area.name_in(lang), "indicators": indicators})
    return {"version": model.version, "areas": areas}


def run_selfcheck(args: argparse.Namespace) -> int:
    """Score an answers file (or run the interactive terminal flow when there is none)."""
    if args.answers is None:
        return _interactive(args)
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.services import build_services
    from scoring.score import AnswerError, parse_answers, score

    services = build_services()
    model = services.index_model
    raw = read_answers_file(args.answers)
    try:
        answers = parse_answers(model, raw)
    except AnswerError as exc:
        raise UserFacingError(f"{args.answers}: {exc}") from None
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.core.city_data import current_cities  # opens the database: only for good answers

    cities = current_cities(services)
    network = {area: average.value for area, average in cities.network_averages().items()}
    try:
        result = score(model, answers, scope=args.scope, network=network, lang=args.lang)
    except ValueError as exc:  # an unknown scope
        raise UserFacingError(str(exc)) from None
    own = cities.match_city(args.city) if args.city else None
    mentors = {area.id: _mentors(cities, model, area.id, args.city) for area in result.weak_areas}
    guidance = _guidance(services, model, [area.id for area in result.weak_areas])
    if args.chart:
        # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
        from scoring.charts import render_chart

        city_label = own.name if own else args.city
        _write(args.chart, render_chart(result, city=city_label, lang=args.lang))
    lang = pick_language(args.lang)
    payload = selfcheck_json(result, mentors, guidance, lang)
    if args.json:
        print(result.disclaimer, file=sys.stderr)
        _print_json(payload)
    else:
        _print_selfcheck(result, mentors, guidance, lang)
    return 0


def selfcheck_json(
    result: Result,
    mentors: dict[str, list[Mentor]],
    guidance: dict[str, list[dict[str, Any]]],
    lang: str,
) -> dict[str, Any]:
    """The `selfcheck --json` contract: overall, areas, mentors and guidance per weak area
    (each mentor's reason in ``lang``)."""
    return {
        "overall": result.overall,
        "areas": [
            {
                "id": area.id,
                "name": area.name,
                "score": area.score,
                "network_average": area.network_average,
                "weak": area.weak,
            }
            for area in result.areas
        ],
        "mentors": {
            area_id: [
                {
                    "city": m.city,
                    "country": m.country,
                    "reason": mentor_reason(lang, m),
                    "source_url": m.source_url,
                }
                for m in found
            ]
            for area_id, found in mentors.items()
        },
        "guidance": guidance,
    }


def read_answers_file(path: Path) -> Any:
    """The parsed JSON of an answers file; UserFacingError for a missing, huge or broken file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > MAX_ANSWERS_BYTES:
        raise UserFacingError(f"{path} is larger than {MAX_ANSWERS_BYTES // 1000} KB")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserFacingError(f"{path} is not valid JSON: {exc}") from None


def load_official_scores_file(path: Path, model: IndexModel) -> list[OfficialAreaScore]:
    """Read and validate an official per-area score CSV; UserFacingError says what is wrong."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from scoring.cities import MAX_OFFICIAL_CSV_BYTES, parse_official_scores_csv

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_OFFICIAL_CSV_BYTES + 1)
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return parse_official_scores_csv(data, area_ids=[area.id for area in model.areas])
    except ValueError as exc:
        raise UserFacingError(f"{path} was not loaded:\n{exc}") from None


def run_import_scores(args: argparse.Namespace) -> int:
    """Validate an official score CSV and print what it would load; store it with --apply."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.services import build_services

    services = build_services()
    rows = load_official_scores_file(args.csv, services.index_model)
    if args.apply:
        # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
        from bot.storage import repo
        from bot.storage.db import session_scope

        with session_scope(services.engine, write=True) as session:
            stored = repo.save_official_scores(session, rows=rows)
        log.info("stored %d official area scores from %s", stored, args.csv)
    if args.json:
        _print_json(
            {
                "rows": [
                    {
                        "city": r.city,
                        "country": r.country,
                        "year": r.year,
                        "area": r.area,
                        "score": r.score,
                        "network_average": r.network_average,
                        "source_url": r.source_url,
                    }
                    for r in rows
                ],
                "cities": sorted({r.city for r in rows}),
                "areas": sorted({r.area for r in rows}),
            }
        )
        return 0
    cities = sorted({r.city for r in rows})
    verb = "were stored" if args.apply else "would be loaded (use --apply to store them)"
    print(f"{args.csv}: {len(rows)} official area scores for {len(cities)} cities {verb}")
    for r in rows:
        average = "" if r.network_average is None else f" (network {r.network_average:g})"
        print(f"  {r.city} ({r.country}) {r.year} {r.area}: {r.score:g}{average}  {r.source_url}")
    return 0


def _mentors(cities: CityData, model: IndexModel, area_id: str, city: str | None) -> list[Mentor]:
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from scoring.mentors import find_mentors

    strong = model.flagging.strong.at_least_score
    return find_mentors(
        cities,
        area_id,
        own_city=city,
        limit=MENTORS_PER_AREA,
        strong_at_least=100.0 if strong is None else strong,
    )


def _guidance(
    services: Services, model: IndexModel, area_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The passages of the ICC guides closest to each weak area (the guides are in English)."""
    if not area_ids:
        return {}
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.core.selfcheck_results import guide_passages

    services.library.ensure_index()
    guidance = {}
    for area_id in area_ids:
        guidance[area_id] = [
            {
                "title": source.title,
                "section": source.section,
                "page": source.page,
                "url": source.url,
                "text": source.text,
            }
            for source in guide_passages(services, model, area_id)
        ]
    return guidance


def _interactive(args: argparse.Namespace) -> int:
    """The terminal self-check on the conversation core (imported late: it loads the core)."""
    # lazy: a command imports what only it needs, so `icc-assistant --help` stays instant
    from bot.commands import selfcheck_tty

    return int(selfcheck_tty.run(args) or 0)


def _print_selfcheck(
    result: Result,
    mentors: dict[str, list[Mentor]],
    guidance: dict[str, list[dict[str, Any]]],
    lang: str,
) -> None:
    print(result.disclaimer)
    overall = "-" if result.overall is None else f"{result.overall:g}/100"
    print(f"Overall: {overall} (model {result.model_version}, {result.scope} check)")
    for area in result.areas:
        value = "not scored" if area.score is None else f"{area.score:g}"
        flag = " WEAK" if area.weak else " strong" if area.strong else ""
        print(
            f"  {area.name}: {value}{flag} — {area.reason}; {area.answered}/{area.total} answered"
        )
    print(result.rule)
    for area_id, found in mentors.items():
        print(f"\nMentors for {result.area(area_id).name}:")
        for m in found:
            print(f"  {m.city} ({m.country}): {mentor_reason(lang, m)} {m.source_url}")
        for passage in guidance.get(area_id, []):
            print(f"  Guide: {passage['title']} — {passage['section']} {passage['url']}")


def _print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserFacingError(f"cannot write {path}: {exc.strerror}") from None
