"""/mentors: an area's mentor cities; without an area, those of the user's weakest self-check
areas first, then the menu (SQLite and PostgreSQL)."""

from __future__ import annotations

from core_helpers import Chat, buttons
from visit_helpers import add_result

from bot.services import Services
from scoring.cities import Practice, load_city_data
from scoring.mentors import Evidence, EvidenceKind, Mentor


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

    url = "https://example.org/report.pdf"
    scored = Mentor("Ansan", "Korea", None, url, Evidence(EvidenceKind.AREA_SCORE, url, 100, 2019))
    assert mentor_reason("en", scored) == (
        "Scored 100/100 in this area in its 2019 ICC Index report "
        "(no practice documented in this area yet)"
    )
    assert mentor_reason("fr", scored).startswith("100/100 dans ce domaine")
    assert mentor_reason("fr", scored).endswith(
        "(aucune pratique documentée dans ce domaine à ce jour)"
    )
    official = Evidence(EvidenceKind.OFFICIAL, url, 92.5, 2025)
    assert evidence_text("en", official) == "Official ICC Index score 92.5/100 in this area (2025)"
    practice = Mentor("Oslo", "Norway", "Schools & parents", url, official)
    assert mentor_reason("fr", practice) == "Schools & parents"  # the source's words, as they are
    for kind in EvidenceKind:  # every kind has its words
        assert evidence_text("fr", Evidence(kind, url, 80, 2020))


def _as_mentor(practice: Practice) -> Mentor:
    evidence = Evidence(EvidenceKind.PRACTICE, practice.source_url)
    return Mentor(
        practice.city, practice.country, practice.text, practice.source_url, evidence, practice
    )


def test_every_practice_of_the_data_says_what_its_link_leads_to() -> None:
    """Over the whole data set: a listing is called one, another city's page is named, an
    address without its page says so, the link is the practice's own source, and French readers
    learn the practice is in English."""
    from bot.core.mentor_words import mentor_reason

    practices = load_city_data().practices
    for practice in practices:
        mentor = _as_mentor(practice)
        english, french = mentor_reason("en", mentor), mentor_reason("fr", mentor)
        assert english.startswith(practice.text) and mentor.source_url == practice.source_url
        on_icc = practice.source_url.split("/")[2] in {"coe.int", "www.coe.int"}
        listed = practice.is_listing
        assert ("(listed among the ICC good practices)" in english) == (listed and on_icc)
        assert ("(répertoriée parmi les bonnes pratiques ICC)" in french) == (listed and on_icc)
        assert ("(listed on a page of " in english) == (listed and not on_icc)
        other = f"(source: a {practice.source_about} page)"
        assert (other in english) == bool(practice.source_about), english
        assert "(practice described in English)" not in english
        assert "(pratique décrite en anglais)" in french
        unresolved = (
            "(the address recorded for it leads to the ICC site, not to the practice's page)"
        )
        assert (unresolved in english) == practice.is_unresolved
        if not listed and not practice.source_about and not practice.is_unresolved:
            assert english == practice.text  # a page of its own needs no note
    urbact = next(p for p in practices if "urbact.eu./node" in p.source_url)
    assert mentor_reason("en", _as_mentor(urbact)).endswith("(listed on a page of urbact.eu)")
    turin = next(p for p in practices if p.city == "Turin" and p.area == "public_space")
    assert mentor_reason("fr", _as_mentor(turin)).endswith(
        "(pratique décrite en anglais) (source : une page de Reggio Emilia)"
    )


def test_country_names_follow_the_interface_language() -> None:
    from bot.core.texts import country_name

    assert country_name("fr", "United Kingdom") == "Royaume-Uni"
    assert country_name("fr", "South Korea") == "Corée du Sud"
    assert country_name("en", "South Korea") == "South Korea"
    assert country_name("fr", "Atlantis") == "Atlantis"  # unknown: as the data has it


def test_mentors_in_french_name_countries_in_french(services: Services, chat: Chat) -> None:
    chat.send("/language fr")
    [reply] = chat.send("/mentors langue")
    assert "Villes mentors pour Langue" in reply.text
    assert "(Corée du Sud)" in reply.text and "(pratique décrite en anglais)" in reply.text
    assert "(South Korea)" not in reply.text
