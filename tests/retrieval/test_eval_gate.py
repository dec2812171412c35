"""The CI gate: retrieval quality on the team's eval set must not regress below these floors.

Measured at the time of writing (bench/retrieval.py): recall@5 0.984, MRR 0.930, non-English
recall@5 0.975, abstains on 1.00 of the unanswerable and 0.03 of the answerable. The floors
leave room for noise-free but legitimate small changes (a reworded digest), not for a broken
fusion, a wrong model or a miscalibrated threshold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.evaluation import Scores, evaluate, load_eval_set
from retrieval.service import QAService, build_qa_service

EVAL_SET = Path(__file__).resolve().parents[2] / "bench" / "eval" / "questions.yaml"


@pytest.fixture(scope="module")
def scores(bundled_index_dir: Path) -> Scores:
    service: QAService = build_qa_service(index_dir=bundled_index_dir, chroma_url=None, llm=None)
    questions = load_eval_set(EVAL_SET)
    assert len(questions) >= 60
    return evaluate(questions, lambda q: service.retrieve(q.question, k=10), service.abstention)


def test_recall_and_mrr_floors(scores: Scores) -> None:
    assert scores.recall_at_5 >= 0.95, scores
    assert scores.mrr >= 0.88, scores


def test_questions_in_other_languages_floor(scores: Scores) -> None:
    assert scores.non_english_recall_at_5 >= 0.92, scores
    assert all(recall >= 0.75 for recall in scores.recall_by_language.values()), scores


def test_abstention_floors(scores: Scores) -> None:
    assert scores.abstain_unanswerable >= 0.85, scores
    assert scores.abstain_answerable <= 0.05, scores
