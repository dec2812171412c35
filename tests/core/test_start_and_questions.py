"""/start, city, language, bad input and questions through `Assistant.handle`, on the real
database (SQLite and PostgreSQL), the real bundled index and embedding model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from core_helpers import Chat, button, buttons, make_services

from bot.core.assistant import Assistant
from bot.core.messages import Incoming, IncomingFile
from bot.core.start_flow import reads_as_question
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope


def _user(services: Services, user_id: int = 100) -> Any:
    with session_scope(services.engine) as session:
        return repo.get_user(session, user_id=user_id)


def test_start_welcomes_in_french_and_matches_a_city_fuzzily(services: Services) -> None:
    chat = Chat(Assistant(services), language="fr-FR")
    [welcome] = chat.send("/start")
    assert "Bienvenue, Officer" in welcome.text and "Pour quelle ville" in welcome.text
    assert buttons(welcome) == {"Autre": "city1:other"}

    [not_found] = chat.send("Atlantis-sur-Mer")
    assert "Atlantis-sur-Mer" in not_found.text and _user(services).city is None

    [saved] = chat.send("barcelone")
    assert "<b>Barcelona</b> (Espagne)" in saved.text and "/selfcheck" in saved.text
    user = _user(services)
    assert (user.city, user.country, user.state, user.language) == (
        "Barcelona",
        "Spain",
        "idle",
        "fr",
    )


@pytest.mark.usefixtures("with_index")
def test_a_question_typed_at_the_city_prompt_is_answered_and_leaves_the_city_unset(
    chat: Chat, services: Services
) -> None:
    chat.send("/start")
    [not_found] = chat.send("Stuttgart")
    assert "could not find" in not_found.text and _user(services).state == "awaiting_city"
    note, answer = chat.send("How does a city join the Intercultural Cities network?")
    assert "took that as a question" in note.text
    assert "[1]" in answer.text and "could not find" not in answer.text
    user = _user(services)
    assert (user.city, user.state) == (None, "idle")


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Wie misst der Index die Politik einer Stadt?", True),
        ("comment adhérer au réseau", True),
        ("Ayuntamiento de Santa Coloma de Gramenet", False),
        ("I work for the city of Lyon", False),
        ("Lyon?", False),
    ],
)
def test_a_question_at_the_city_prompt_is_told_from_a_formal_city_name(
    text: str, question: bool
) -> None:
    assert reads_as_question(text) is question


def test_other_city_and_language_switch(chat: Chat, services: Services) -> None:
    [welcome] = chat.send("/start")
    assert welcome.text.startswith("Welcome, Officer!")
    [other] = chat.press(button(welcome, "Other"))
    assert other.edit and "outside the ICC member list" in other.text
    [menu] = chat.send("/language")
    [switched] = chat.press(buttons(menu)["Français"])
    assert "français" in switched.text
    [help_text] = chat.send("/help")
    assert "Mode d'emploi" in help_text.text
    assert _user(services).language == "fr"


def test_bad_input_gets_a_polite_reply_and_changes_nothing(chat: Chat, services: Services) -> None:
    chat.send("/start")
    cases = {
        "x" * 10_000: "too long (10000 characters)",
        "   ": "empty",
        "abc\x1b[31m": "control characters",
        "\x00\x01\x02binary": "binary",
        "/nonsense": "do not know the command /nonsense",
    }
    for text, expected in cases.items():
        [reply] = chat.send(text)
        assert expected in reply.text
    document = IncomingFile(filename="a.pdf", mime_type="application/pdf", size=3, content=b"%PD")
    [reply] = chat.assistant.handle(Incoming(user_id=100, chat_id=100, document=document))
    assert "cannot use files" in reply.text
    with session_scope(services.engine) as session:
        assert (
            repo.count_questions_since(session, user_id=100, since=_user(services).created_at) == 0
        )
    assert _user(services).state == "awaiting_city"  # still waiting for a real city name


@pytest.mark.usefixtures("with_index")
def test_a_question_is_answered_with_numbered_linked_sources(
    chat: Chat, services: Services
) -> None:
    [answer] = chat.send("How do I start an anti-rumours campaign?")
    assert "[1]" in answer.text and "<b>Sources</b>" in answer.text
    assert '<a href="http' in answer.text
    # The list names documents by their short titles; "Sources" quotes them with full ones.
    assert ">Anti-rumours methodology</a>" in answer.text
    assert "standardised methodology" not in answer.text
    assert set(buttons(answer)) == {"Sources", "👍 Helpful", "👎 Not helpful"}

    [quotes] = chat.press(button(answer, "Sources"))
    assert "<blockquote>" in quotes.text and '<a href="http' in quotes.text
    assert "standardised methodology" in quotes.text

    [reasons] = chat.press(button(answer, "👎"))
    [thanks] = chat.press(button(reasons, "Incomplete"))
    assert thanks.toast and "Thank you" in thanks.text
    with session_scope(services.engine) as session:
        question = repo.last_question(session, user_id=100, since=_user(services).created_at)
        assert question is not None and question.answered and question.top_source
        verdict = repo.feedback_for(session, question_id=question.id or 0)
    assert verdict is not None and (verdict.helpful, verdict.reason) == (False, "incomplete")


@pytest.mark.usefixtures("with_index")
def test_a_chain_of_follow_ups_keeps_the_question_they_follow(chat: Chat) -> None:
    chat.send("How do we train municipal staff in intercultural competence?")
    chat.send("and for the police?")
    [examples] = chat.send("any city examples?")
    assert "policing training" in examples.text, examples.text  # not public-space examples


@pytest.mark.usefixtures("with_index")
def test_an_uncovered_question_says_so_with_the_closest_topics(chat: Chat) -> None:
    [reply] = chat.send("What time does the last number 12 bus leave the city centre on Sundays?")
    assert "could not find this in the ICC documents" in reply.text
    assert not reply.buttons


@pytest.mark.usefixtures("with_index")
def test_someone_elses_or_forged_question_buttons_change_nothing(
    chat: Chat, services: Services
) -> None:
    [answer] = chat.send("How do I start an anti-rumours campaign?")
    stranger = Chat(chat.assistant, user_id=200)
    [refused] = stranger.press(button(answer, "👍"))
    assert refused.toast and "someone else" in refused.text
    for forged in ("qa1:f:999999:1", "qa1:x:1", "qa1:f:1:7", "qa9:<script>", "sc1:1"):
        [reply] = chat.press(forged)
        assert reply.toast and "<" not in reply.toast
    with session_scope(services.engine) as session:
        question = repo.last_question(session, user_id=100, since=_user(services).created_at)
        assert repo.feedback_for(session, question_id=question.id or 0) is None


@pytest.mark.usefixtures("with_index")
def test_a_redelivered_update_is_applied_once(chat: Chat, services: Services) -> None:
    first = chat.send("How do I start an anti-rumours campaign?", event_id="update-77")
    again = chat.send("How do I start an anti-rumours campaign?", event_id="update-77")
    assert first and again == []
    with session_scope(services.engine) as session:
        since = _user(services).created_at
        assert repo.count_questions_since(session, user_id=100, since=since) == 1


def test_the_rate_limit_is_per_user_and_kept_in_the_database(
    database_url: str, tmp_path: Path, shared_parts: dict[str, Any], bundled_retrieval: Any
) -> None:
    # Two "replicas" share the database; the limit counts questions across both.
    parts = {**shared_parts, "retrieval": bundled_retrieval}
    replicas = [
        Assistant(make_services(database_url, tmp_path, parts, icc_question_rate=2))
        for _ in range(2)
    ]
    asked = [
        Chat(replicas[n % 2]).send(f"What is an intercultural city? ({n})")[0] for n in range(3)
    ]
    assert "[1]" in asked[1].text
    assert "2 questions in the last minute" in asked[2].text
    assert "[1]" in Chat(replicas[0], user_id=300).send("What is an intercultural city?")[0].text
    for replica in replicas:
        replica.services.engine.dispose()


def test_markup_from_users_is_escaped_everywhere(assistant: Assistant) -> None:
    chat = Chat(assistant)
    reply = assistant.handle(
        Incoming(user_id=100, chat_id=100, text="/start", display_name="<b>Eve</b> & co")
    )[0]
    assert "Welcome, &lt;b&gt;Eve&lt;/b&gt; &amp; co!" in reply.text
    [not_found] = chat.send("<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in not_found.text
    [unknown] = chat.send("/mentors <i>nothing</i>")
    assert "&lt;i&gt;nothing&lt;/i&gt;" in unknown.text
    [command] = chat.send("/<b>")
    assert "/&lt;b&gt;" in command.text


@pytest.mark.usefixtures("with_index")
def test_english_quotes_are_announced_in_the_language_of_the_question(
    assistant: Assistant,
) -> None:
    french = Chat(assistant, user_id=100, language="fr")
    [answer] = french.send("Comment lancer une campagne anti-rumeurs dans notre ville ?")
    assert answer.text.startswith("<i>Extraits des documents (en anglais) :</i>\n")
    assert "[1]" in answer.text and "Utile" in " ".join(buttons(answer))
    assert "(notre synthèse)" in answer.text  # our digest, not the original's words
    english_ui = Chat(assistant, user_id=200, language="en")
    [answer] = english_ui.send("¿Cómo empezar una estrategia antirrumores en mi ciudad?")
    assert answer.text.startswith("<i>Extractos de los documentos (en inglés):</i>\n")
    # The reply to a Spanish question is worded in Spanish, though the interface is English.
    assert "nuestra síntesis de" in answer.text and "<b>Fuentes</b>" in answer.text
    assert list(buttons(answer)) == ["Fuentes", "👍 Útil", "👎 No útil"]
    [answer] = english_ui.send("Comment lancer une campagne anti-rumeurs dans notre ville ?")
    assert "(notre synthèse)" in answer.text and "👍 Utile" in buttons(answer)
    [answer] = english_ui.send("How do I start an anti-rumours campaign?")
    assert "From the documents" not in answer.text and answer.text.split()[0] != "<i>From"


def test_a_tentative_answer_says_so_in_the_language_of_the_question(
    assistant: Assistant, services: Services, bundled_retrieval: Any
) -> None:
    from retrieval.answer import AbstentionPolicy
    from retrieval.qa import BLENDED, CROSS_LINGUAL, TENTATIVE_MARGIN
    from retrieval.service import IndexServices

    qa = bundled_retrieval.qa
    english = "How do I start an anti-rumours campaign?"
    italian = "Come avviare una campagna anti-dicerie nella nostra città?"
    bars = {
        BLENDED: qa.retrieve(english).evidence[BLENDED] - TENTATIVE_MARGIN / 2,
        f"e5{CROSS_LINGUAL}": qa.retrieve(italian).evidence[f"e5{CROSS_LINGUAL}"] - 0.001,
    }
    borderline = qa.with_abstention(AbstentionPolicy(bars))
    services.__dict__["retrieval"] = IndexServices(borderline, bundled_retrieval.library)
    [reply] = Chat(assistant, user_id=100, language="en").send(english)
    assert reply.text.startswith("⚠️ <i>Closest match only:") and "[1]" in reply.text
    [reply] = Chat(assistant, user_id=200, language="fr").send(italian)
    assert reply.text.startswith("⚠️ <i>Solo la corrispondenza più vicina:")
    assert "Estratti dai documenti (in inglese)" in reply.text
    services.__dict__["retrieval"] = bundled_retrieval
    [reply] = Chat(assistant, user_id=300, language="en").send(english)
    assert "Closest match only" not in reply.text


@pytest.mark.usefixtures("with_index")
def test_an_uncovered_french_question_is_told_so_in_french_only(assistant: Assistant) -> None:
    from retrieval.service import NOT_COVERED_TEXT

    french = Chat(assistant, language="fr")
    [reply] = french.send(
        "À quelle heure part le dernier bus numéro 12 du centre-ville le dimanche ?"
    )
    assert reply.text.startswith("Je n'ai pas trouvé cela dans les documents ICC")
    assert "Les passages les plus proches que j'ai trouvés" in reply.text
    assert "Vous pouvez reformuler" in reply.text
    assert NOT_COVERED_TEXT not in reply.text and "Extraits" not in reply.text


@pytest.mark.usefixtures("with_index")
def test_an_uncovered_italian_question_is_told_so_in_italian(assistant: Assistant) -> None:
    chat = Chat(assistant, language="it")  # no Italian interface: English, but not this reply
    [reply] = chat.send("A che ora parte l'ultimo autobus numero 12 dal centro la domenica?")
    assert reply.text.startswith("Non ho trovato questa informazione nei documenti ICC")
    assert "Può riformulare la domanda" in reply.text and "rephrase" not in reply.text


@pytest.mark.usefixtures("with_index")
def test_a_question_about_today_is_told_the_documents_are_dated(assistant: Assistant) -> None:
    [reply] = Chat(assistant).send("Who chairs the ADI-INT committee today?")
    assert reply.text.startswith("The ICC documents say how things stood when they were written")
    assert "The nearest passages I found" in reply.text and "ADI-INT" in reply.text
    [reply] = Chat(assistant, language="fr").send("Et qui préside le comité ADI-INT aujourd'hui ?")
    assert reply.text.startswith("Les documents de l'ICC décrivent la situation")
