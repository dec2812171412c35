"""Self-check results in French: area and country names, fixed texts and the mentors' notes are
French, and a practice written in English says so (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from core_helpers import Chat, button
from selfcheck_helpers import answer_all, worst

from bot.core.texts import CATALOGS
from bot.core.texts.fr import COUNTRY_NAMES
from bot.services import Services
from scoring.cities import CityData

#: "• <b>City</b> (Country) : ..." in a French mentor line.
MENTOR_LINE = re.compile(r"^• <b>(?P<city>[^<]+)</b> \((?P<country>[^)]+)\) : ", re.M)
#: English fixed texts of the results that must not appear in the French interface.
ENGLISH_KEYS = (
    "sc_results_heading",
    "sc_mentors_heading",
    "sc_guides_heading",
    "mentor_note_icc_listing",
    "mentor_note_in_english",
)


def test_every_country_of_the_data_has_a_french_name(services: Services) -> None:
    cities: CityData = services.cities
    countries = {c.country for c in cities.cities} | {p.country for p in cities.practices}
    countries |= {s.country for s in cities.scores}
    assert countries <= set(COUNTRY_NAMES), sorted(countries - set(COUNTRY_NAMES))


@pytest.mark.usefixtures("with_index")
def test_french_results_speak_french(chat: Chat, services: Services) -> None:
    chat.send("/language fr")
    chat.send("/start")
    chat.send("Barcelona")
    [menu] = chat.send("/selfcheck")
    [first] = chat.press(button(menu, "Rapide"))
    _, summary, *weak = answer_all(chat, services, "quick", first, worst)
    model = services.index_model
    text = "\n".join(r.text for r in weak)

    for area in model.areas:  # area names in French, in the scores and as headings
        assert f"{area.name_in('fr')} : <b>" in summary.text, area.id
        assert f"<b>Domaine faible : {area.name_in('fr')}</b>" in text, area.id
    assert summary.attachment is not None and "auto-évaluation" in summary.attachment.caption
    assert model.flagging.rule_in("fr") in summary.text
    assert model.disclaimer_in("fr") in summary.text
    for key in ENGLISH_KEYS:
        assert CATALOGS["en"][key] not in summary.text + text, key
    assert CATALOGS["fr"]["sc_guides_heading"] in text  # "extraits en anglais"

    lines = list(MENTOR_LINE.finditer(text))
    assert len(lines) >= 17 * 3
    french_countries = set(COUNTRY_NAMES.values())
    for match in lines:
        assert match["country"] in french_countries, match.group(0)
    assert "(Espagne)" in text or "(Norvège)" in text or "(Portugal)" in text
    mentor_lines = [line for line in text.split("\n") if MENTOR_LINE.match(line)]
    for line in mentor_lines:  # every practice shown is in English, and says so
        assert "(pratique décrite en anglais)" in line or "aucune pratique" in line, line
    # Barcelona's Spanish peers come first; some of their practices are only listed.
    assert any("(répertoriée parmi les bonnes pratiques ICC)" in line for line in mentor_lines)
    assert "(source : une page de Wrocław)" in text  # Bilbao's tours, told on Wrocław's site
    visit = [b.label for r in weak for row in r.buttons for b in row]
    assert len(visit) == 17 and all(label.startswith("Demander une visite") for label in visit)


def test_the_city_and_the_study_visit_choices_name_countries_in_french(chat: Chat) -> None:
    chat.send("/language fr")
    chat.send("/start")
    [saved] = chat.send("Barcelona")
    assert "(Espagne)" in saved.text and "(Spain)" not in saved.text
    [welcome, *_] = chat.send("/start")
    assert "(Espagne)" in welcome.text
