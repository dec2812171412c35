"""Matchmaking beyond one request: joint thematic visits and candidate mentors from self-checks.

Only what people agreed to share is used. A city enters a joint-visit suggestion for an area
when one of its officers asked for a study visit in that area (they told the secretariat), or
when a self-check of an officer who consented to share results shows the area weak. A city
becomes a candidate mentor for an area when an officer who consented to be proposed as a mentor
has a latest self-check strong in it. Self-check scores are estimates and are labelled so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from bot.storage import repo
from bot.storage.models import VisitStatus
from scoring.mentors import find_mentors

if TYPE_CHECKING:
    from sqlmodel import Session

    from scoring.cities import CityData

#: Cities sharing a weak area needed before a joint visit is suggested.
MIN_JOINT_CITIES = 2
#: Documented mentor cities proposed to host each joint visit.
JOINT_MENTORS = 3


@dataclass(frozen=True)
class CandidateMentor:
    """A member city whose consenting officer's latest self-check is strong in an area."""

    city: str
    country: str
    area_id: str
    #: The self-check's estimated area score (0-100), not an official result.
    score: float


@dataclass(frozen=True)
class JointVisit:
    """An area several cities want to improve, with who could host them."""

    area_id: str
    cities: list[str]
    #: Why each city is in: "request" (asked for a visit) or "self-check" (shared weak result).
    basis: dict[str, list[str]]
    mentors: list[str]


@dataclass(frozen=True)
class Matches:
    """Everything the secretariat can act on, as printed by `icc-assistant visits match`."""

    joint_visits: list[JointVisit]
    candidate_mentors: list[CandidateMentor]

    def to_json(self) -> dict[str, Any]:
        """The `visits match --json` contract."""
        return {
            "joint_visits": [asdict(visit) for visit in self.joint_visits],
            "candidate_mentors": [asdict(mentor) for mentor in self.candidate_mentors],
            "note": "self-check scores are estimates, not official ICC Index results",
        }


def candidate_mentors(session: Session, *, area_id: str | None = None) -> list[CandidateMentor]:
    """Consenting cities strong in ``area_id`` (or in any area), strongest first."""
    found: dict[tuple[str, str], CandidateMentor] = {}
    for user, run, result in repo.latest_results(session):
        city = run.city or user.city
        if not user.consent_mentor or not city:
            continue
        for area in result.areas:
            if not area.get("strong") or area.get("score") is None:
                continue
            if area_id is not None and area["id"] != area_id:
                continue
            key = (city, area["id"])
            if key not in found or found[key].score < area["score"]:
                found[key] = CandidateMentor(
                    city=city,
                    country=user.country or "",
                    area_id=area["id"],
                    score=float(area["score"]),
                )
    return sorted(found.values(), key=lambda m: (m.area_id, -m.score, m.city))


def shared_weak_areas(session: Session) -> dict[str, dict[str, set[str]]]:
    """area -> city -> why the city is in (requests not declined, consented weak results)."""
    areas: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for request in repo.visit_requests(session):
        if request.city and request.status != VisitStatus.DECLINED:
            areas[request.area_id][request.city].add("request")
    for user, run, result in repo.latest_results(session):
        city = run.city or user.city
        if not user.consent_share_results or not city:
            continue
        for area in result.areas:
            if area.get("weak"):
                areas[area["id"]][city].add("self-check")
    return areas


def find_matches(session: Session, cities: CityData) -> Matches:
    """Joint visits for areas shared by enough cities, each with documented hosts, and the
    candidate mentors from self-checks."""

    joint = []
    for area_id, members in sorted(shared_weak_areas(session).items()):
        if len(members) < MIN_JOINT_CITIES:
            continue
        hosts = [
            mentor.city
            for mentor in find_mentors(cities, area_id, limit=JOINT_MENTORS + len(members))
            if mentor.city not in members
        ][:JOINT_MENTORS]
        joint.append(
            JointVisit(
                area_id=area_id,
                cities=sorted(members),
                basis={city: sorted(why) for city, why in sorted(members.items())},
                mentors=hosts,
            )
        )
    return Matches(joint_visits=joint, candidate_mentors=candidate_mentors(session))
