"""The live peer comparison: member cities' own self-assessments, averaged per area.

Read fresh from the database whenever results are shown, so a withdrawn consent or a /forget
takes a city out at once. The rules that keep one city's figures from showing (one
contribution per city, at least five cities besides the viewer's, whole points, the same
figure for every viewer) are in `scoring.peers`; this module only gathers the rows, names
the viewer's city and words the result for the officer's results and the secretariat's /stats.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.core.texts import Safe
from bot.storage import repo
from scoring.names import normalise_name
from scoring.peers import (
    MIN_CITIES,
    Contribution,
    PeerAverage,
    count_label,
    peer_averages,
    scopes_of,
    shown,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.core.turn import Turn
    from bot.storage.models import SelfcheckRun

#: Scopes in the order /stats lists them (one-area checks come after, for their area only).
SCOPE_ORDER = ("quick", "full")


def contributions(session: Session, *, model_version: str) -> list[Contribution]:
    """Every shared, completed self-check of this model version, as scoring.peers takes it."""
    found = []
    for run, result in repo.shared_results(session, model_version=model_version):
        if run.city is None or run.finished_at is None:
            continue
        found.append(
            Contribution(
                city=normalise_name(run.city),  # however it was spelled
                run_id=run.id or 0,
                finished_at=run.finished_at,
                model_version=run.model_version,
                scope=run.scope,
                scores={area["id"]: area.get("score") for area in result.areas},
            )
        )
    return found


def for_run(turn: Turn, run: SelfcheckRun) -> dict[str, PeerAverage]:
    """Per area, the peer average to show beside this run's results (same model and scope).

    The viewer's city (the run's, else the user's) does not count toward the threshold.
    """
    with turn.read() as session:
        pool = contributions(session, model_version=run.model_version)
    city = run.city or turn.user.city
    return peer_averages(
        pool,
        model_version=run.model_version,
        scope=run.scope,
        areas=[area.id for area in turn.services.index_model.areas],
        viewer_city=normalise_name(city) if city else None,
    )


def area_suffix(turn: Turn, peer: PeerAverage | None) -> Safe:
    """The member cities' figure after an area's score, or nothing when it may not be shown."""
    if peer is None or peer.value is None:
        return Safe("")
    return turn.t("sc_peer", value=peer.value)


def note(turn: Turn, peers: Mapping[str, PeerAverage]) -> Safe:
    """What the member-cities figure is, once, under the scores (nothing when none is shown)."""
    if not shown(peers):
        return Safe("")
    return turn.t("sc_peer_note", count=count_label(peers))


# --- /stats ----------------------------------------------------------------------------------


def stats_lines(turn: Turn, session: Session) -> list[Safe]:
    """Per area, each scope's number of contributing cities and, from five, the average."""
    model = turn.services.index_model
    pool = contributions(session, model_version=model.version)
    heading = turn.t("stats_peers_heading", version=model.version, min=MIN_CITIES)
    if not pool:
        return [heading, turn.t("stats_peers_nobody")]
    scopes = scopes_of(pool, model_version=model.version)
    area_ids = [area.id for area in model.areas]
    tables = {
        scope: peer_averages(pool, model_version=model.version, scope=scope, areas=area_ids)
        for scope in scopes
    }
    lines = [heading]
    for area_id in area_ids:
        parts = [
            _stats_part(turn, scope, tables[scope][area_id])
            for scope in _scopes_for(area_id, scopes)
        ]
        if not parts:
            parts = [turn.t("stats_peers_no_city", min=MIN_CITIES)]
        name = model.area_name(area_id, turn.lang)
        lines.append(turn.t("stats_peers_line", area=name, parts=Safe(" · ".join(parts))))
    return lines


def _scopes_for(area_id: str, scopes: list[str]) -> list[str]:
    """Quick and full checks for every area (when any exist), one-area checks for their area."""
    general = [scope for scope in SCOPE_ORDER if scope in scopes]
    own = f"area:{area_id}"
    return general + ([own] if own in scopes else [])


def _stats_part(turn: Turn, scope: str, peer: PeerAverage) -> Safe:
    kind = scope.split(":")[0]
    scope_name = turn.t("stats_peers_scope_area" if kind == "area" else f"scope_{kind}")
    if peer.value is None:
        return turn.t("stats_peers_few", scope=scope_name, count=peer.cities, min=MIN_CITIES)
    return turn.t("stats_peers_shown", scope=scope_name, average=peer.value, count=peer.cities)
