"""Pure pieces of the answer path: continuation openings, Markdown as plain blocks, citations."""

from __future__ import annotations

import pytest

from retrieval.answer import missing_answer_type, specifics
from retrieval.chunking import Chunk
from retrieval.conversation import is_elliptical
from retrieval.evaluation import has_markdown, holds, part_of
from retrieval.hybrid import Hit
from retrieval.markdown import blocks, plain
from retrieval.qa import Source, _cited


@pytest.mark.parametrize(
    "message",
    ["and for schools?", "And in schools?", "what about Lyon?", "et pour les écoles ?",
     "e nelle scuole?", "¿y en las escuelas?", "und für Schulen?", "a w szkołach?",
     "in which year?", "did the city council back it afterwards?"],
)  # fmt: skip
def test_continuations_are_elliptical(message: str) -> None:
    assert is_elliptical(message)


@pytest.mark.parametrize(
    "message",
    ["How do cities join the ICC network?", "What is an intercultural city?",
     "qu'est-ce que l'indice ICC ?", "And how should a city with many newcomers and few "
     "resources organise its whole intercultural strategy from the start?", "", "Andorra",
     "¿En qué año se adoptó la recomendación sobre integración intercultural?",
     "What is the diversity advantage and why does it matter?",
     "Anti-rumour agents in small towns, how are they trained?"],
)  # fmt: skip
def test_standalone_questions_are_not_elliptical(message: str) -> None:
    assert not is_elliptical(message)


def test_markdown_becomes_plain_blocks_with_lists_whole() -> None:
    text = (
        "The **four** principles are:\n\n- equality;\n- *diversity* advantage;\n"
        "- [interaction](https://x.example)\n\n| Item | Detail |\n| --- | --- |\n"
        "| Adopted | 2015 |\n"
    )
    found = blocks(text)
    assert [b.kind for b in found] == ["list", "table"]
    assert found[0].lead == "The four principles are:"
    assert found[0].lines == ("• equality;", "• diversity advantage;", "• interaction")
    assert found[1].lines == ("• Adopted: 2015",)
    assert not has_markdown(plain(text))
    assert has_markdown(text)


def test_only_cited_sources_are_kept_and_renumbered() -> None:
    sources = [
        Source(str(n), "T", "T", f"S{n}", None, "https://x.example", "text", 1.0)
        for n in range(1, 6)
    ]
    text, kept = _cited("First [3]. Second [1]. Again [3].", sources)
    assert text == "First [1]. Second [2]. Again [1]."
    assert [s.doc_id for s in kept] == ["3", "1"]


def test_specific_subjects() -> None:
    assert specifics("Which GDPR rules apply in 2024 to Lyon?", names=True) == [
        "2024",
        "GDPR",
        "Lyon",
    ]
    assert specifics("Comment fonctionne le Conseil à Lyon ?", names=False) == []


def test_key_facts_and_split_are_fixed_functions() -> None:
    assert holds("It began in **Barcelona** in 2010.", "barcelona | madrid")
    assert not holds("It began in 2010.", "Barcelona")
    assert part_of("q001") == part_of("q001") and {part_of(f"x{n}") for n in range(50)} == {
        "tune",
        "test",
    }


def _hit(text: str) -> Hit:
    chunk = Chunk("c1", "doc", "Title", "Short", "Section", None, "", "en", "", "", text)
    return Hit(chunk, 0.9)


@pytest.mark.parametrize(
    ("question", "passage", "missing"),
    [
        ("What are the opening hours of the city museum?", "The museum hosts exhibitions.", True),
        ("What are the opening hours of the city museum?", "Open 9:30 to 17:00 daily.", False),
        ("A che ora chiude l'anagrafe?", "The registry office serves residents.", True),
        ("What was Lublin's Index score?", "Lublin took part in the Index.", True),
        ("What was Lublin's Index score?", "Lublin scored 71 points in the Index.", False),
        ("Quel est le taux de chômage des réfugiés ?", "Refugees face barriers.", True),
        ("Qui est le maire et comment le joindre ?", "The mayor chairs the council.", True),
        ("What does article 5 of the act say?", "Article 6 of the convention says...", True),
        ("What does article 5 of the act say?", "Under Article 5, cities must...", False),
        ("How do cities join the network?", "Cities apply by letter.", False),
    ],
)
def test_a_question_asking_for_a_kind_of_answer_needs_passages_holding_one(
    question: str, passage: str, missing: bool
) -> None:
    assert missing_answer_type(question, [_hit(passage)]) is missing
