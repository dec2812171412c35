"""The question-answering contract over the bundled corpus, on both index backends.

The same `QAService` runs against the embedded Chroma (a data dir) and against a `chroma run`
server holding the same chunks and vectors. A replica behind a load balancer must answer
exactly as a single machine does, so beyond each backend meeting the contract, the two must
agree passage for passage. (Ingest and removal on both backends: test_chroma_modes.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.service import QAService

QUESTIONS = (
    "How can a city fight rumours about migrants?",
    "What is an intercultural strategy?",
    "Comment une ville peut-elle consulter ses habitants d'origines diverses ?",
)
OFF_TOPIC = "What is the boiling point of tungsten in a vacuum furnace?"


@pytest.fixture(scope="module")
def embedded(bundled_index_dir: Path) -> QAService:
    return QAService(index_dir=bundled_index_dir)


@pytest.fixture(scope="module")
def server(indexed_chroma_server: str, tmp_path_factory: pytest.TempPathFactory) -> QAService:
    return QAService(index_dir=tmp_path_factory.mktemp("idx"), chroma_url=indexed_chroma_server)


@pytest.fixture(params=["embedded", "server"])
def qa(request: pytest.FixtureRequest) -> QAService:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def test_every_bundled_document_is_listed_with_its_source(qa: QAService) -> None:
    documents = qa.documents()
    assert len(documents) >= 10
    assert all(d.source_url.startswith(("https://", "http://")) and d.chunks > 0 for d in documents)


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_covered_question_gets_a_cited_answer(qa: QAService, question: str) -> None:
    answer = qa.ask(question)
    assert answer.answered, answer.closest_topics
    assert "[1]" in answer.answer
    assert all(s.url.startswith(("https://", "http://")) for s in answer.sources)


def test_an_off_topic_question_is_declined_with_nearby_topics(qa: QAService) -> None:
    answer = qa.ask(OFF_TOPIC)
    assert not answer.answered
    assert answer.closest_topics


def test_both_backends_agree_passage_for_passage(embedded: QAService, server: QAService) -> None:
    assert embedded.documents() == server.documents()
    for question in (*QUESTIONS, OFF_TOPIC):
        here, there = embedded.ask(question), server.ask(question)
        assert [(s.doc_id, s.section) for s in here.sources] == [
            (s.doc_id, s.section) for s in there.sources
        ]
        assert (here.answer, here.answered) == (there.answer, there.answered)
        assert [s.score for s in here.sources] == pytest.approx([s.score for s in there.sources])
