"""/mentors: an area's mentor cities; without an area, those of the user's weakest self-check
areas first, then the menu (SQLite and PostgreSQL)."""

from __future__ import annotations

from core_helpers import Chat, buttons
from visit_helpers import add_result

from bot.services import Services


def test_mentors_command(chat: Chat) -> None:
    [reply] = chat.send("/mentors educaton")
    assert "Mentor cities for Education" in reply.text and "<a href=" in reply.text
    [menu] = chat.send("/mentors")
    assert menu.text == "Mentor cities for which area?"
    [picked] = chat.press(buttons(menu)["Public space"])
    assert "Mentor cities for Public space" in picked.text


def test_mentors_without_an_area_starts_with_the_weakest_self_check_areas(
    chat: Chat, services: Services
) -> None:
    add_result(
        services,
        user_id=100,
        city="Barcelona",
        country="Spain",
        weak=("education", "public_space", "language", "media_communication"),
        scores={
            "education": 30.0,
            "public_space": 10.0,
            "language": 25.0,
            "media_communication": 35.0,
        },
    )
    *weakest, menu = chat.send("/mentors")
    assert [r.text.split("</b>")[0].split("for ")[-1] for r in weakest] == [
        "Public space",
        "Language",
        "Education",
    ]
    assert "Your latest self-check" in weakest[0].text
    assert all("Barcelona" not in r.text for r in weakest)  # never the user's own city
    assert all(any(b.startswith("Request a study visit") for b in buttons(r)) for r in weakest)
    assert "another area" in menu.text
    assert len(buttons(menu)) == len(services.index_model.areas)


def test_mentors_without_an_area_and_no_weak_area_is_the_menu(
    chat: Chat, services: Services
) -> None:
    add_result(services, user_id=100, city="Barcelona", country="Spain", weak=("education",))
    add_result(services, user_id=100, city="Barcelona", country="Spain", strong=("mediation",))
    [menu] = chat.send("/mentors")  # the latest self-check has no weak area
    assert menu.text == "Mentor cities for which area?"


def test_mentors_in_french_from_the_self_check(services: Services, chat: Chat) -> None:
    add_result(services, user_id=100, city="Barcelona", country="Spain", weak=("education",))
    chat.send("/language fr")
    first, menu = chat.send("/mentors")
    assert "Votre dernière auto-évaluation" in first.text and "Éducation" in first.text
    assert "autre domaine" in menu.text


def test_a_mentor_without_a_practice_is_given_its_evidence_in_the_users_language() -> None:
    from bot.core.mentor_words import evidence_text, mentor_reason
    from scoring.mentors import Evidence, EvidenceKind, Mentor

    url = "https://example.org/report.pdf"
    scored = Mentor("Ansan", "Korea", None, url, Evidence(EvidenceKind.AREA_SCORE, url, 100, 2019))
    assert mentor_reason("en", scored) == (
        "Scored 100/100 in this area in its 2019 ICC Index report"
    )
    assert mentor_reason("fr", scored).startswith("100/100 dans ce domaine")
    official = Evidence(EvidenceKind.OFFICIAL, url, 92.5, 2025)
    assert evidence_text("en", official) == "Official ICC Index score 92.5/100 in this area (2025)"
    practice = Mentor("Oslo", "Norway", "Schools & parents", url, official)
    assert mentor_reason("fr", practice) == "Schools & parents"  # the source's words, as they are
    for kind in EvidenceKind:  # every kind has its words
        assert evidence_text("fr", Evidence(kind, url, 80, 2020))
