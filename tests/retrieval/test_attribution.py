"""The source a question credits is not searched (retrieval.attribution), through the real
index: the credit drew the passages most about the ICC itself."""

from __future__ import annotations

import pytest

from retrieval.attribution import without_credits
from retrieval.service import QAService


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        (
            "we want to set up an intercultural council with migrant associations, any tips "
            "from the ICC?",
            "we want to set up an intercultural council with migrant associations, any tips?",
        ),
        (
            "What does the Council of Europe recommend for training police officers?",
            "What is recommended for training police officers?",
        ),
        (
            "Selon le Conseil de l'Europe, comment former les agents d'accueil ?",
            ", comment former les agents d'accueil ?",
        ),
        ("What does the ICC recommend?", "What does the ICC recommend?"),  # nothing left
        ("How do cities join the ICC network?", "How do cities join the ICC network?"),
    ],
)
def test_a_credited_source_is_taken_out_of_the_question(question: str, searched: str) -> None:
    assert without_credits(question) == searched


def test_a_question_crediting_the_icc_is_answered_on_its_topic(qa: QAService) -> None:
    question = (
        "we want to set up an intercultural council with migrant associations, "
        "any tips from the ICC?"
    )
    sections = [hit.chunk.section for hit in qa.retrieve(question, k=3).hits]
    assert not any("Membership" in s for s in sections), sections  # before: the first
