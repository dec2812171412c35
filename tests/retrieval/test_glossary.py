"""English names of the programme's topics added to questions in other languages."""

from __future__ import annotations

import pytest

from retrieval.glossary import with_english_names
from retrieval.service import QAService


@pytest.mark.parametrize(
    ("question", "added"),
    [
        ("¿qué es un agente antirrumores?", "(anti-rumour)"),
        ("Co Lublin robił w ramach strategii antyplotkowej?", "(anti-rumour)"),
        ("Comment la police de proximité travaille-t-elle ?", "(community policing)"),
        ("Quali città lavorano sul patrimonio e l'accoglienza?", "(heritage, welcoming newcomers)"),
        ("Wer hat das Weißbuch geschrieben?", "(White Paper)"),
        ("Jak miasta pomagają uchodźcom w szkołach?", "(refugees, schools)"),
        ("Como criar um conselho consultivo intercultural?", "(consultative council)"),
    ],
)
def test_a_topic_named_in_another_language_gets_its_english_name(question: str, added: str) -> None:
    assert with_english_names(question) == f"{question} {added}"


@pytest.mark.parametrize(
    "question",
    [
        "Mamy wielu nowych mieszkańców z Ukrainy.",  # residents, not housing ("mieszkania")
        "Comment une ville adhère-t-elle au réseau ?",
        "C'est quoi la stratégie anti-rumeurs (anti-rumour) ?",  # the English name is there
        "Jak szkolić urzędników?",  # training, not schools ("szkoły")
        "Chi fa parte del gruppo di lavoro?",  # a working group, not employment
        "Où est le mode d'emploi du guide ?",
    ],
)
def test_a_question_naming_no_such_topic_is_unchanged(question: str) -> None:
    assert with_english_names(question) == question


def test_the_italian_name_of_the_anti_rumour_method_finds_its_digest(qa: QAService) -> None:
    answer = qa.ask("cos'è un agente anti-dicerie?")
    assert answer.answered
    assert answer.sources[0].doc_id == "method-anti-rumours"
