"""An uploaded original outranks our digest of the same document (issue #9, provenance)."""

from __future__ import annotations

from pathlib import Path

import pytest
from made_files import make_pdf

from retrieval.chunking import Chunk
from retrieval.loaders import load_document
from retrieval.originals import originals
from retrieval.service import build_retrieval

DOCUMENTS = Path(__file__).parents[2] / "corpus" / "documents"
DIGESTS = sorted(DOCUMENTS.glob("*.md"))


def _chunk(doc_id: str, title: str, text: str, *, digest: bool, short_title: str = "") -> Chunk:
    return Chunk(
        chunk_id=f"{doc_id}:0",
        doc_id=doc_id,
        title=title,
        short_title=short_title or title[:60],
        section="",
        page=1,
        source_url="",
        language="en",
        doc_hash="",
        content_hash="",
        text=text,
        digest=digest,
    )


def _shipped_digests() -> dict[str, Chunk]:
    chunks = {}
    for path in DIGESTS:
        if path.name == "README.md":
            continue
        document = load_document(path)
        assert document.digest, path.name
        chunks[document.doc_id] = _chunk(
            document.doc_id,
            document.title,
            "digest text",
            digest=True,
            short_title=document.short_title,
        )
    return chunks


@pytest.mark.parametrize("digest_id", sorted(_shipped_digests()))
def test_an_upload_titled_like_a_digest_is_its_original_and_no_other(digest_id: str) -> None:
    digests = _shipped_digests()
    cover = digests[digest_id].title
    upload = _chunk("upload", "", cover, digest=False)
    assert originals({**digests, "upload": upload}) == {digest_id: "upload"}


def test_the_reference_named_first_on_the_cover_wins() -> None:
    """The 2022 Recommendation cites the 2015 one in its preamble: it is the 2022 original."""
    digests = _shipped_digests()
    cover = (
        "Recommendation CM/Rec(2022)10 of the Committee of Ministers to member States on "
        "multilevel policies and governance for intercultural integration. Recalling "
        "Recommendation CM/Rec(2015)1 on intercultural integration..."
    )
    upload = _chunk("cm-rec-2022-10", "", cover, digest=False)
    found = originals({**digests, "cm-rec-2022-10": upload})
    assert found == {"rec-2022-10-multilevel-intercultural-integration": "cm-rec-2022-10"}


def test_an_unrelated_upload_supersedes_nothing() -> None:
    digests = _shipped_digests()
    upload = _chunk(
        "welcome-plan",
        "Welcome plan of the city of Exampleton",
        "Intercultural cities welcome newcomers with a pack in twelve languages.",
        digest=False,
    )
    assert originals({**digests, "welcome-plan": upload}) == {}


def test_uploaded_original_passages_come_before_the_digest(tmp_path: Path, index_dir: Path) -> None:
    services = build_retrieval(index_dir=index_dir, chroma_url=None, llm=None)
    question = "When and by whom was the Recommendation on intercultural integration adopted?"
    before = [s.doc_id for s in services.qa.search(question, k=5)]
    assert "rec-2015-1-intercultural-integration" in before[:3]

    original = tmp_path / "CMRec(2015)1E.pdf"
    original.write_bytes(
        make_pdf(
            [
                "Recommendation CM/Rec(2015)1 of the Committee of Ministers to member States "
                "on intercultural integration. (Adopted by the Committee of Ministers on "
                "21 January 2015 at the 1217th meeting of the Ministers' Deputies.)"
            ],
            title="Recommendation CM/Rec(2015)1",
        )
    )
    report = services.library.ingest_file(original, max_bytes=10_000_000, max_pages=10)
    assert report.originals_of == ["CM/Rec(2015)1"]

    sources = services.qa.search(question, k=5)
    assert "cmrec-2015-1e" in [s.doc_id for s in sources]
    # The original is cited under its own title, never as "our digest of".
    assert not next(s for s in sources if s.doc_id == "cmrec-2015-1e").digest
    ranks = [hit.chunk.doc_id for hit in services.library.retriever.search(question, 15).hits]
    digest_ranks = [n for n, doc in enumerate(ranks) if doc.startswith("rec-2015-1-")]
    assert digest_ranks and min(digest_ranks) > ranks.index("cmrec-2015-1e")
