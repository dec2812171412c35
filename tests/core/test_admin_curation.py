"""Corpus curation and score loading from the chat, through the core with the real index and
embedding model: a good upload is indexed and then answers questions; broken, encrypted,
empty, oversized and mistyped files are refused with the reason and leave the index as it was."""

from __future__ import annotations

import io
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from core_helpers import Chat
from made_files import encrypted_pdf, make_pdf
from visit_helpers import ADMIN, admin_services, only

from bot.core.assistant import Assistant
from bot.core.curation_flow import MAX_UPLOAD_BYTES, safe_filename
from bot.core.messages import Incoming, IncomingFile, Reply
from bot.services import Services
from bot.storage import repo
from bot.storage.db import session_scope

#: A practice no ICC document mentions, so only the uploaded file can answer for it.
UNIQUE = (
    "The Quillon Bridge Circle is a monthly meeting in Tarvena where newcomers and long-time "
    "residents repair bicycles together, guided by volunteer mechanics from twelve countries."
)


@pytest.fixture(scope="module")
def curation_qa(bundled_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One writable copy of the bundled index for this module (the model loads once)."""
    from retrieval.service import build_retrieval

    target = tmp_path_factory.mktemp("curation") / "index"
    shutil.copytree(bundled_index_dir, target)
    return build_retrieval(index_dir=target, chroma_url=None, llm=None)


@pytest.fixture
def services(
    database_url: str, tmp_path: Path, shared_parts: dict[str, Any], curation_qa: Any
) -> Iterator[Services]:
    """A secretariat's services over the module's writable index."""
    services = admin_services(database_url, tmp_path, shared_parts)
    services.__dict__["retrieval"] = curation_qa
    yield services
    services.engine.dispose()


@pytest.fixture
def admin(assistant: Assistant) -> Chat:
    return Chat(assistant, user_id=ADMIN)


_uploads = itertools.count()


def upload(assistant: Assistant, name: str, content: bytes, *, size: int | None = None) -> Reply:
    """The admin sends a file (``size`` as Telegram reports it, for files too big to fetch)."""
    document = IncomingFile(name, None, len(content) if size is None else size, content)
    return only(
        assistant.handle(
            Incoming(
                user_id=ADMIN, chat_id=ADMIN, document=document, event_id=f"up-{next(_uploads)}"
            )
        )
    )


def index_state(services: Services) -> dict[str, int]:
    return {doc.doc_id: doc.chunks for doc in services.library.documents()}


def test_a_good_pdf_is_indexed_then_answers_and_can_be_removed(
    admin: Chat, assistant: Assistant, services: Services
) -> None:
    before = index_state(services)
    pages = [UNIQUE, "Evaluation: " + UNIQUE.replace("monthly", "weekly"), "Contacts and links."]
    pdf = make_pdf(pages)
    reply = upload(assistant, "Quillon circle report.pdf", pdf)
    assert "indexed (3 pages)" in reply.text and "passages added" in reply.text
    after = index_state(services)
    assert set(after) - set(before) == {"quillon-circle-report"}
    assert {k: v for k, v in after.items() if k in before} == before  # nothing else touched
    assert "quillon-circle-report" in only(admin.send("/documents")).text
    again = upload(assistant, "Quillon circle report.pdf", pdf)
    assert "already indexed, unchanged" in again.text

    answer = only(admin.send("What is the Quillon Bridge Circle in Tarvena?"))
    assert "Quillon" in answer.text and "Quillon circle report" in answer.text

    removed = only(admin.send("/remove quillon-circle-report"))
    assert f"{after['quillon-circle-report']} passages" in removed.text
    assert index_state(services) == before
    assert "No indexed document" in only(admin.send("/remove quillon-circle-report")).text
    assert "Usage" in only(admin.send("/remove")).text


def test_an_uploaded_original_is_named_as_the_original_of_our_digest(
    assistant: Assistant, services: Services
) -> None:
    cover = (
        "Recommendation CM/Rec(2015)1 of the Committee of Ministers to member States on "
        "intercultural integration. (Adopted by the Committee of Ministers on 21 January 2015.)"
    )
    reply = upload(assistant, "CMRec(2015)1E.pdf", make_pdf([cover]))
    assert "indexed (1 page)" in reply.text
    assert "original of our digest <i>CM/Rec(2015)1</i>" in reply.text
    assert only(
        assistant.handle(Incoming(user_id=ADMIN, chat_id=ADMIN, text="/remove cmrec-2015-1e"))
    )


@pytest.mark.parametrize(
    ("name", "content", "size", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <</Type /Catalog>> garbage", None, "damaged"),
        ("locked.pdf", encrypted_pdf(), None, "password-protected"),
        ("empty.md", b"", None, "empty"),
        ("blank.html", b"   \n\t ", None, "empty"),
        ("huge.pdf", b"", 30_000_000, "larger than 10 MB"),
        ("big.md", b"# Big\n" + b"word " * (MAX_UPLOAD_BYTES // 5), None, "larger than 10 MB"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf at all", None, "not a real .pdf file"),
        ("fake.docx", b"plain text pretending", None, "not a real .docx file"),
        ("tool.exe", b"MZ\x90\x00", None, ".exe files are not accepted"),
        ("scan.pdf", make_pdf(["", ""]), None, "no text"),
    ],
)
def test_unusable_files_are_refused_with_the_reason_and_the_index_is_untouched(
    assistant: Assistant,
    services: Services,
    name: str,
    content: bytes,
    size: int | None,
    reason: str,
) -> None:
    before = index_state(services)
    reply = upload(assistant, name, content, size=size)
    assert reason in reply.text and "The index is unchanged" in reply.text, reply.text
    assert index_state(services) == before


def test_markdown_and_docx_uploads_are_indexed(assistant: Assistant, services: Services) -> None:
    import docx

    markdown = f"# Tarvena welcome desk\n\n## How it works\n\n{UNIQUE}\n".encode()
    reply = upload(assistant, "tarvena-desk.md", markdown)
    assert "indexed: 1 passage added." in reply.text, reply.text  # no pages in Markdown
    document = docx.Document()
    document.add_heading("Tarvena library nights", level=1)
    document.add_paragraph(UNIQUE)
    buffer = io.BytesIO()
    document.save(buffer)
    reply = upload(assistant, "library nights.docx", buffer.getvalue())
    assert "added" in reply.text
    assert {"tarvena-desk", "library-nights"} <= set(index_state(services))
    for doc_id in ("tarvena-desk", "library-nights"):
        services.library.remove(doc_id)


def test_official_scores_csv_is_loaded_and_a_bad_one_changes_nothing(
    assistant: Assistant, services: Services
) -> None:
    good = (
        b"city,country,year,area,score,source_url\n"
        b"Lisbon,Portugal,2024,education,88,https://www.coe.int/en/web/interculturalcities/lisbon\n"
        b"Lisbon,Portugal,2024,welcoming,91,https://www.coe.int/en/web/interculturalcities/lisbon\n"
    )
    reply = upload(assistant, "official scores.csv", good)
    assert "2 official area scores loaded for 1 cities: Lisbon" in reply.text
    bad = b"city,country,year,area,score,source_url\nLisbon,Portugal,20x4,nowhere,abc,\n"
    refused = upload(assistant, "bad.csv", bad)
    assert "did not load" in refused.text
    missing = upload(assistant, "cols.csv", b"city,score\nLisbon,3\n")
    assert "missing column" in missing.text
    with session_scope(services.engine) as session:
        rows = repo.official_scores(session)
    assert [(r.city, r.area_id, r.score) for r in rows] == [
        ("Lisbon", "education", 88.0),
        ("Lisbon", "welcoming", 91.0),
    ]


def test_uploaded_names_become_safe_document_ids() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\Rapport été 2026.PDF") == "Rapport-ete-2026.PDF"
    assert safe_filename("") == "document"
    long = safe_filename("x" * 300 + ".pdf")
    assert long.endswith(".pdf") and len(long) <= 80
