"""Uploads that once broke the bot, through the real PTB stack and the Bot API stand-in.

An AES-encrypted PDF that opens without a password is indexed. A PDF that needs a password, a
DOCX with broken XML and a DOCX zip bomb are each refused with one sentence naming the file and
the reason, in the admin's language, never the apology for an internal error, and the index
stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from made_files import aes_pdf, broken_xml_docx, write_docx_bomb

from bot.config import Settings, load_settings
from bot.core.texts import t
from bot.playground.server import StandIn
from bot.playground.state import Message, PlaygroundUser
from bot.services import Services

pytestmark = pytest.mark.e2e

SEC = PlaygroundUser(id=9900, first_name="Secretariat", language_code="en")
SECFR = PlaygroundUser(id=9901, first_name="Secrétariat", language_code="fr")
TOKEN = "424242:E2E-uploads"
#: Words no bundled document holds, so only the uploaded PDF can contain them.
UNIQUE = (
    "The Velmora Lantern Walk is an evening tour in Tarvena where newcomers guide residents "
    "through the streets of their first year, stopping at eleven welcome points."
)


@pytest.fixture
def settings(standin: StandIn, index_dir: Path) -> Settings:
    """The e2e settings with an English and a French member of the secretariat."""
    return load_settings(
        icc_data_dir=index_dir.parent,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
        icc_admin_ids=f"{SEC.id},{SECFR.id}",
    )


async def send_file(standin: StandIn, user: PlaygroundUser, name: str, content: bytes) -> Message:
    """Upload a file; the bot's one reply to it (a second message would be an apology)."""
    count = len(standin.bot_messages(user.id))
    await standin.upload(user, name, content, "application/octet-stream")
    [reply] = (await standin.wait_for_bot_messages(user.id, count + 1, 120))[count:]
    return reply


def index(services: Services) -> dict[str, int]:
    return {doc.doc_id: doc.chunks for doc in services.library.documents()}


async def test_aes_pdf_is_indexed_and_bad_files_are_refused_by_name(
    standin: StandIn, bot: object, services: Services, tmp_path: Path
) -> None:
    before = index(services)
    reply = await send_file(standin, SEC, "lantern-walk.pdf", aes_pdf([UNIQUE, UNIQUE]))
    assert "lantern-walk.pdf" in reply.text and "indexed (2 pages)" in reply.text, reply.text
    indexed = index(services)
    assert set(indexed) - set(before) == {"lantern-walk"}

    bomb = tmp_path / "bomb.docx"
    write_docx_bomb(bomb, 200_000_000)
    refusals = [
        (
            "sealed.pdf",
            aes_pdf([UNIQUE], user_password="s3cret"),
            "the PDF is password-protected; upload an unprotected copy",
        ),
        ("minutes.docx", broken_xml_docx(), "not a readable DOCX file: its XML is broken"),
        ("bomb.docx", bomb.read_bytes(), "the DOCX unpacks to more than 20 MB"),
    ]
    for name, content, reason in refusals:
        reply = await send_file(standin, SEC, name, content)
        assert reply.text.startswith(f"I did not index {name}: {reason}"), reply.text
        assert reply.text.endswith("The index is unchanged."), reply.text
        assert f"<b>{name}</b>" in reply.html
        assert index(services) == indexed

    reply = await send_file(standin, SECFR, "compte-rendu.docx", broken_xml_docx())
    assert reply.text.startswith(
        "Je n'ai pas indexé compte-rendu.docx : ce n'est pas un DOCX lisible : son XML est cassé"
    ), reply.text
    assert index(services) == indexed
    apologies = {str(t(lang, "apology")) for lang in ("en", "fr")}
    sent = standin.bot_messages(SEC.id) + standin.bot_messages(SECFR.id)
    assert not [m.text for m in sent if m.text in apologies]
