"""Answers over the bundled corpus: citations, cross-lingual search, abstention, follow-ups."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from retrieval.service import QAService, build_qa_service


@pytest.fixture(scope="module")
def qa(bundled_index_dir: Path) -> QAService:
    return build_qa_service(index_dir=bundled_index_dir, chroma_url=None, llm=None)


def test_answer_cites_existing_sources(qa: QAService) -> None:
    answer = qa.ask("How do I start an anti-rumours strategy in my city?")
    assert answer.answered and answer.language == "en"
    cited = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    assert cited and all(1 <= n <= len(answer.sources) for n in cited)
    assert len(answer.sources) == 5
    top = answer.sources[0]
    assert top.doc_id == "method-anti-rumours"
    assert top.url == "https://www.coe.int/en/web/interculturalcities/anti-rumours1"
    assert top.short_title == "Anti-rumours methodology" and top.section
    scores = [s.score for s in answer.sources]
    assert scores == sorted(scores, reverse=True)
    # Every cited sentence is lifted from the passage it cites.
    for sentence, number in re.findall(r"(.+?) \[(\d+)\]\s*", answer.answer):
        fragment = sentence.strip().rstrip(".…")[:60]
        source_text = answer.sources[int(number) - 1].text.replace("**", "")
        assert fragment in " ".join(source_text.split())


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Comment lancer une stratégie anti-rumeurs dans ma ville ?", "fr"),
        ("Як почати стратегію протидії чуткам у місті?", "uk"),
        ("¿Cómo empezar una estrategia antirrumores en mi ciudad?", "es"),
    ],
)
def test_questions_in_other_languages_find_english_passages(
    qa: QAService, question: str, language: str
) -> None:
    answer = qa.ask(question)
    assert answer.language == language
    assert answer.answered
    assert "method-anti-rumours" in [s.doc_id for s in answer.sources[:3]]


@pytest.mark.parametrize(
    "question",
    [
        "What is the VAT rate on municipal parking permits?",
        "Quel est l'horaire du dernier bus de nuit à Lyon ?",
    ],
)
def test_uncovered_questions_abstain_and_point_to_topics(qa: QAService, question: str) -> None:
    answer = qa.ask(question)
    assert not answer.answered
    assert answer.sources == []
    assert answer.closest_topics and all(" — " in t or t for t in answer.closest_topics)
    assert answer.to_json()["answered"] is False


def test_follow_up_uses_the_previous_question(qa: QAService) -> None:
    previous = "How does a city run an anti-rumour strategy?"
    follow_up = qa.ask("And how should it be evaluated?", previous=previous)
    assert follow_up.question == "And how should it be evaluated?"
    assert follow_up.answered
    assert follow_up.sources[0].doc_id == "method-anti-rumours"
    assert "valuat" in (follow_up.sources[0].section + follow_up.sources[0].text).lower()


def test_json_shape_is_the_cli_contract(qa: QAService) -> None:
    payload = qa.ask("What is the ICC Index?", k=3).to_json()
    assert list(payload) == ["question", "answer", "answered", "language", "sources"]
    assert len(payload["sources"]) == 3
    for source in payload["sources"]:
        assert list(source) == ["title", "section", "page", "url", "text", "score"]
        assert source["url"].startswith("http") and isinstance(source["score"], float)


def test_concurrent_questions_match_sequential_answers(qa: QAService) -> None:
    questions = [
        "What is the ICC Index?",
        "Qu'est-ce qu'une ville interculturelle ?",
        "What does community policing mean in an intercultural city?",
        "Which cities took part in the C4i project?",
    ] * 3
    sequential = [qa.ask(q) for q in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(qa.ask, questions))
    assert parallel == sequential


@pytest.mark.parametrize("question", ["", "   ", "?!…"])
def test_empty_or_symbol_only_questions_are_not_covered(qa: QAService, question: str) -> None:
    answer = qa.ask(question)
    assert not answer.answered and answer.sources == [] and answer.closest_topics == []
