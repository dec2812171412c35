"""The live peer comparison through the core, on SQLite and PostgreSQL: the secretariat's
/stats per area at 4, 5 and 6 cities, a city that withdraws consent or is forgotten, and an
officer's results and chart with five cities besides their own."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from core_helpers import Chat, button, buttons
from matplotlib import image
from selfcheck_helpers import answer_all, worst
from visit_helpers import ADMIN, admin_services, only

from bot.core.assistant import Assistant
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope
from bot.storage.models import RunStatus
from scoring.charts import PEER_COLOUR

#: Member cities of the bundled data, each shared self-check scoring every area alike.
CITIES = [
    ("Oslo", 40.0),
    ("Lisbon", 45.0),
    ("Bergen", 50.0),
    ("Reggio Emilia", 60.0),
    ("Botkyrka", 65.0),
    ("Lublin", 70.0),
]


@pytest.fixture
def services(database_url: str, tmp_path: Path, shared_parts: dict[str, Any]) -> Iterator[Services]:
    """The core fixture's services, with a secretariat."""
    services = admin_services(database_url, tmp_path, shared_parts)
    yield services
    services.engine.dispose()


@pytest.fixture
def admin(assistant: Assistant) -> Chat:
    return Chat(assistant, user_id=ADMIN)


def share(
    services: Services,
    *,
    user_id: int,
    city: str,
    value: float,
    scope: str = "quick",
    consent: bool | None = True,
) -> None:
    """A user of ``city`` whose completed self-check (this model) scores ``value`` everywhere."""
    areas = [{"id": area.id, "score": value} for area in services.index_model.areas]
    with session_scope(services.engine, write=True) as session:
        repo.touch_user(session, user_id=user_id, chat_id=user_id, language="en")
        repo.update_user(session, user_id=user_id, city=city, consent_share_results=consent)
        run = repo.create_run(
            session,
            user_id=user_id,
            city=city,
            scope=scope,
            model_version=services.index_model.version,
        )
        repo.update_run(session, run=run, status=RunStatus.COMPLETED)
        repo.save_result(session, run_id=run.id or 0, overall=value, lens=None, areas=areas)


def _stats_line(admin: Chat, area: str) -> str:
    text = only(admin.send("/stats")).text
    section = text.split("self-assessments by area</b>")[1]
    [line] = [line for line in section.splitlines() if line.startswith(f"• {area}:")]
    return line


@pytest.mark.parametrize(
    ("cities", "expected"),
    [
        (4, "• Commitment: quick check: 4/5 cities, not shown"),
        (5, "• Commitment: quick check 52 (5 cities)"),  # (40+45+50+60+65)/5
        (6, "• Commitment: quick check 55 (6 cities)"),  # (...+70)/6
    ],
)
def test_stats_show_each_areas_average_from_five_cities(
    admin: Chat, services: Services, cities: int, expected: str
) -> None:
    for n, (city, value) in enumerate(CITIES[:cities]):
        share(services, user_id=n + 1, city=city, value=value)
    share(services, user_id=20, city="Lyon", value=0.0, consent=False)  # not shared
    share(services, user_id=21, city="Lyon", value=0.0, consent=None)  # never asked
    share(services, user_id=22, city="Oslo", value=99.0, scope="full")  # another scope
    text = only(admin.send("/stats")).text
    assert "Self-checks completed: " in text  # the rest of /stats is still there
    assert _stats_line(admin, "Commitment") == f"{expected} · full check: 1/5 cities, not shown"
    lines = text.split("self-assessments by area</b>")[1].splitlines()[1:]
    assert len(lines) == len(services.index_model.areas)  # every area says where it stands


def test_no_shared_check_and_one_area_checks_say_so(admin: Chat, services: Services) -> None:
    share(services, user_id=1, city="Oslo", value=50.0, consent=False)
    text = only(admin.send("/stats")).text
    assert "no member city has shared a self-check with this model yet" in text
    share(services, user_id=2, city="Lisbon", value=50.0, scope="area:education")
    assert _stats_line(admin, "Education") == "• Education: one-area check: 1/5 cities, not shown"
    assert _stats_line(admin, "Commitment") == "• Commitment: 0/5 cities, not shown"


def test_withdrawn_consent_and_forget_take_a_city_out_at_once(
    admin: Chat, assistant: Assistant, services: Services
) -> None:
    for n, (city, value) in enumerate(CITIES):
        share(services, user_id=n + 1, city=city, value=value)
    assert _stats_line(admin, "Education") == "• Education: quick check 55 (6 cities)"

    lublin = Chat(assistant, user_id=6)  # Lublin's officer withdraws consent in /privacy
    only(lublin.press(buttons(only(lublin.send("/privacy")))["Share results: no"]))
    assert _stats_line(admin, "Education") == "• Education: quick check 52 (5 cities)"

    oslo = Chat(assistant, user_id=1)  # Oslo's officer asks to be forgotten
    only(oslo.press(buttons(only(oslo.send("/forget")))["Yes, delete my data"]))
    assert _stats_line(admin, "Education") == ("• Education: quick check: 4/5 cities, not shown")

    # Two officers of one city count once: a Lisbon colleague's later check replaces the first.
    share(services, user_id=30, city="Lisbon", value=95.0)
    share(services, user_id=31, city="Lublin", value=70.0)  # Lublin is back through a colleague
    assert _stats_line(admin, "Education") == "• Education: quick check 68 (5 cities)"


def _amber_pixels(png: bytes) -> int:
    pixels = image.imread(io.BytesIO(png), format="png")[:, :, :3]
    amber = [int(PEER_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return int((abs(pixels - amber).max(axis=2) < 0.02).sum())


@pytest.mark.usefixtures("with_index")
def test_results_show_member_cities_only_from_five_cities_besides_the_officers(
    chat: Chat, services: Services
) -> None:
    chat.send("/start")
    chat.send("Barcelona")
    # A Barcelona colleague and four other cities share: five cities, but four besides ours.
    share(services, user_id=1, city="Barcelona", value=90.0)
    for n, (city, value) in enumerate(CITIES[:4]):
        share(services, user_id=n + 2, city=city, value=value)

    [menu] = chat.send("/selfcheck")
    _, summary, *_ = answer_all(
        chat, services, "quick", only(chat.press(button(menu, "Quick"))), worst
    )
    assert "member cities" not in summary.text.lower()
    assert summary.attachment is not None and _amber_pixels(summary.attachment.content) == 0

    share(services, user_id=9, city="Lublin", value=70.0)  # a fifth city besides Barcelona
    [menu] = chat.send("/selfcheck")
    _, summary, *_ = answer_all(
        chat, services, "quick", only(chat.press(button(menu, "Quick"))), worst
    )
    # The average is everyone's, Barcelona's shared check included: (90+40+45+50+60+70)/6 = 59.2
    assert "Commitment: <b>0</b> (network 69) (member cities 59)" in summary.text
    assert "Education: <b>0</b> (member cities 59)" in summary.text
    assert "self-assessments of 6 member cities using this assistant" in summary.text
    assert summary.attachment is not None and _amber_pixels(summary.attachment.content) > 17 * 100
