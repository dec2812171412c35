"""The question-answering contract over the bundled corpus, on both index backends.

The same `QAService` runs against the embedded Chroma (a data dir) and against a `chroma run`
server holding the same chunks and vectors. A replica behind a load balancer must answer
exactly as a single machine does, so beyond each backend meeting the contract, the two must
agree passage for passage. (Ingest and removal on both backends: test_chroma_modes.py.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.hybrid import CANDIDATES
from retrieval.service import DEFAULT_EMBEDDERS, IndexServices, build_retrieval
from retrieval.stores import open_store

QUESTIONS = (
    "How can a city fight rumours about migrants?",
    "What is an intercultural strategy?",
    "Comment une ville peut-elle consulter ses habitants d'origines diverses ?",
)
OFF_TOPIC = "What is the boiling point of tungsten in a vacuum furnace?"
#: A self-check area's guide query whose nearest passage the embedded HNSW graph was measured
#: to miss (3 sessions out of 3), while the server's copy found it.
HNSW_MISS = (
    "Participation: Optional area: whether residents of all backgrounds take part in shaping"
    " city decisions, and whether the city measures and widens that participation."
)


@pytest.fixture(scope="module")
def embedded(bundled_index_dir: Path) -> IndexServices:
    return build_retrieval(index_dir=bundled_index_dir, chroma_url=None, llm=None)


@pytest.fixture(scope="module")
def server(indexed_chroma_server: str, tmp_path_factory: pytest.TempPathFactory) -> IndexServices:
    index_dir = tmp_path_factory.mktemp("idx")
    return build_retrieval(index_dir=index_dir, chroma_url=indexed_chroma_server, llm=None)


@pytest.fixture(params=["embedded", "server"])
def both(request: pytest.FixtureRequest) -> IndexServices:
    return request.getfixturevalue(request.param)


def test_every_bundled_document_is_listed_with_its_source(both: IndexServices) -> None:
    documents = both.library.documents()
    assert len(documents) >= 10
    assert all(d.source_url.startswith(("https://", "http://")) and d.chunks > 0 for d in documents)


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_covered_question_gets_a_cited_answer(both: IndexServices, question: str) -> None:
    answer = both.qa.ask(question)
    assert answer.answered, answer.closest_topics
    assert "[1]" in answer.answer
    assert all(s.url.startswith(("https://", "http://")) for s in answer.sources)


def test_an_off_topic_question_is_declined_with_nearby_topics(both: IndexServices) -> None:
    answer = both.qa.ask(OFF_TOPIC)
    assert not answer.answered
    assert answer.closest_topics


def test_both_backends_agree_passage_for_passage(
    embedded: IndexServices, server: IndexServices
) -> None:
    assert embedded.library.documents() == server.library.documents()
    for question in (*QUESTIONS, OFF_TOPIC):
        here, there = embedded.qa.ask(question), server.qa.ask(question)
        assert [(s.doc_id, s.section) for s in here.sources] == [
            (s.doc_id, s.section) for s in there.sources
        ]
        assert (here.answer, here.answered) == (there.answer, there.answered)
        assert [s.score for s in here.sources] == pytest.approx([s.score for s in there.sources])


def brute_force(bundled_index_dir: Path, vector: np.ndarray) -> list[str]:
    """The exact cosine top candidates, computed here from the stored vectors."""
    store = open_store(bundled_index_dir, None, DEFAULT_EMBEDDERS)
    ids = sorted(c.chunk_id for c in store.chunks())
    stored = store.vectors(DEFAULT_EMBEDDERS[0], ids)
    matrix = np.stack([stored[i] for i in ids]).astype(np.float64)
    sims = matrix @ vector / np.linalg.norm(matrix, axis=1) / np.linalg.norm(vector)
    return [ids[i] for i in sorted(range(len(ids)), key=lambda i: (-sims[i], ids[i]))[:CANDIDATES]]


@pytest.mark.parametrize("query", [HNSW_MISS, *QUESTIONS])
def test_dense_ranking_is_exact_on_both_backends(
    embedded: IndexServices,
    server: IndexServices,
    bundled_index_dir: Path,
    index_dir: Path,
    query: str,
) -> None:
    # HNSW is approximate and its graph differs between copies of one index (a copied data
    # dir reloads it from disk; the server rebuilt it from the copied vectors); replicas must
    # still show the same passages, so the dense ranking is exact everywhere.
    method = DEFAULT_EMBEDDERS[0]
    vector = embedded.qa.retriever.embedders[0].embed_query(query)
    expected = brute_force(bundled_index_dir, vector)
    copy = build_retrieval(index_dir=index_dir, chroma_url=None, llm=None).qa
    for qa in (embedded.qa, copy, server.qa):
        ranking = qa.retriever.rankings(query, methods=[method])[method]
        assert [chunk_id for chunk_id, _ in ranking][:CANDIDATES] == expected
