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
