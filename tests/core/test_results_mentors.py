"""A self-check weak in every area: each weak area shows mentor cities with a practice wherever
the data has one, and has its own study-visit button (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from core_helpers import Chat, button
from selfcheck_helpers import answer_all, worst

from bot.core.messages import Reply
from bot.core.payloads import ButtonKind, parse
from bot.services import Services
from scoring.model import IndexModel

HEADING = "<b>Weak area: "


def _blocks(replies: list[Reply], model: IndexModel) -> dict[str, tuple[str, Reply]]:
    """Area id -> (the weak area's block, the reply that shows it)."""
    ids = {model.area_name(area.id, "en"): area.id for area in model.areas}
    found = {}
    for reply in replies:
        for block in reply.text.split("\n\n"):
            if block.startswith(HEADING):
                name = block[len(HEADING) :].split("</b>")[0]
                found[ids[name]] = (block, reply)
    return found


def _visit_areas(reply: Reply) -> list[str]:
    """The areas of the reply's "Request a study visit" buttons."""
    areas = []
    for row in reply.buttons:
        for b in row:
            if b.data and b.data.startswith(f"{ButtonKind.VISIT_FROM_RESULTS}:"):
                areas.append(parse(b.data).field(1))
    return areas


@pytest.mark.usefixtures("with_index")
def test_every_weak_area_has_practices_to_learn_from_and_a_visit_button(
    chat: Chat, services: Services
) -> None:
    chat.send("/start")
    chat.send("Barcelona")
    [menu] = chat.send("/selfcheck")
    [first] = chat.press(button(menu, "Quick"))
    _, _, *weak = answer_all(chat, services, "quick", first, worst)
    model = services.index_model
    cities = services.cities
    blocks = _blocks(weak, model)
    assert set(blocks) == {area.id for area in model.areas}  # weak in every area

    # One button per weak area, weakest first, all under the last message of the results.
    assert [area for reply in weak[:-1] for area in _visit_areas(reply)] == []
    shown = [area_id for reply in weak for area_id in _blocks([reply], model)]
    assert _visit_areas(weak[-1]) == shown
    for area_id, (block, _) in blocks.items():
        mentor_lines = [line for line in block.split("\n") if line.startswith("• <b>")]
        practised = {
            p.city
            for p in cities.practices_in(area_id)
            if p.city != "Barcelona" and cities.city(p.city).is_city
        }
        with_practice = [line for line in mentor_lines if "no practice documented" not in line]
        assert len(with_practice) == min(3, len(practised)) > 0, (area_id, block)
        for line in with_practice:  # the city is one with a practice in this area
            assert line.split("</b>")[0].removeprefix("• <b>") in practised, line
        assert "update_language" not in block

    # The first and the last buttons both start a request for their own area.
    for area_id in (shown[0], shown[-1]):
        data = next(b.data for row in weak[-1].buttons for b in row if b.data.endswith(area_id))
        [draft] = chat.press(data)
        assert f"<b>Study visit: {model.area_name(area_id, 'en')}" in draft.text
