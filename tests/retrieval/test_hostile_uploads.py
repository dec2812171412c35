"""Hostile DOCX packages are refused before python-docx or lxml sees them, in bounded memory.

A 1 MB zip bomb once took the bot from 335 MB to 2.3 GB. Here a real ~1 MB bomb (1 GiB of
repeated bytes in word/document.xml) is loaded in a child process that reports its own peak
memory, once honest and once with headers that lie about the size (checksum made to match).
The limits must still let a realistic guide through, and every refusal reason must have words
in both of the bot's languages.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import string
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from made_files import lie_about_size, make_docx, write_docx_bomb

from retrieval.errors import REASONS, DocumentError, Reason
from retrieval.loaders import load_document
from retrieval.safe_zip import MAX_UNPACKED_BYTES, unpacked_safely

ROOT = Path(__file__).resolve().parents[2]
#: The bot's memory budget while refusing a bomb (it idles at about 335 MB with the model).
BUDGET_MB = 600
#: Loads one file in a fresh interpreter and prints the outcome with its peak RSS. VmHWM, not
#: getrusage: Linux carries ru_maxrss over an exec, so a child of a big pytest process would
#: report the parent's peak, while VmHWM belongs to the new program's memory alone.
CHILD = """
import json, sys
from pathlib import Path
from retrieval.errors import DocumentError
from retrieval.loaders import load_document
def high_water_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
start = high_water_mb()
try:
    load_document(Path(sys.argv[1]))
    outcome = {"code": None}
except DocumentError as exc:
    outcome = {"code": str(exc.code), "message": str(exc)}
outcome["start_mb"] = start
outcome["peak_mb"] = high_water_mb()
print(json.dumps(outcome))
"""


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An honest 1 GiB DOCX bomb and a copy whose headers claim 5,000 bytes."""
    folder = tmp_path_factory.mktemp("bombs")
    honest = folder / "honest-bomb.docx"
    write_docx_bomb(honest, 1 << 30)
    lying = folder / "lying-bomb.docx"
    shutil.copyfile(honest, lying)
    lie_about_size(lying, "word/document.xml", 5000)
    return {"honest": honest, "lying": lying}


def _load_in_child(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome: dict[str, Any] = json.loads(done.stdout)
    return outcome


@pytest.mark.parametrize(
    ("kind", "code"), [("honest", Reason.ZIP_UNPACKED), ("lying", Reason.DOCX_BROKEN_XML)]
)
def test_a_docx_zip_bomb_is_refused_in_bounded_memory(
    bombs: dict[str, Path], kind: str, code: Reason
) -> None:
    path = bombs[kind]
    assert path.stat().st_size < 1_200_000  # about 1 MB on disk
    with zipfile.ZipFile(path) as package:
        declared = package.getinfo("word/document.xml").file_size
    assert declared == (1 << 30 if kind == "honest" else 5000)
    outcome = _load_in_child(path)
    assert outcome["code"] == code, outcome
    assert outcome["message"].startswith(f"{path.name}: "), outcome
    assert outcome["peak_mb"] < BUDGET_MB, outcome


def test_a_tightly_packed_part_is_refused_even_under_the_size_cap() -> None:
    out = io.BytesIO(make_docx("Packed", [("Section", "Text.")]))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("customXml/fill.xml", b"<a>" + b"x" * 5_000_000 + b"</a>")
    with pytest.raises(DocumentError) as caught:
        unpacked_safely("packed.docx", out.getvalue())
    assert caught.value.code == Reason.ZIP_RATIO
    assert caught.value.details == {"part": "customXml/fill.xml"}


def test_two_parts_of_one_name_are_refused() -> None:
    out = io.BytesIO(make_docx("Twice", [("Section", "Text.")]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of the duplicate name
        with zipfile.ZipFile(out, "a") as package:
            package.writestr("word/document.xml", b"<other/>")
    with pytest.raises(DocumentError) as caught:
        load_document(Path("twice.docx"), data=out.getvalue())
    assert caught.value.code == Reason.DOCX_DAMAGED


def test_an_encrypted_zip_entry_is_refused_as_password_protected() -> None:
    data = bytearray(make_docx("Sealed", [("Section", "Text.")]))
    # The end-of-central-directory record gives where the directory starts; set the first
    # entry's "encrypted" flag (bit 0 of the flags at offset 8).
    end = data.rfind(b"PK\x05\x06")
    start = int.from_bytes(data[end + 16 : end + 20], "little")
    data[start + 8] |= 0x1
    with pytest.raises(DocumentError) as caught:
        load_document(Path("sealed.docx"), data=bytes(data))
    assert caught.value.code == Reason.DOCX_PASSWORD


def _guide_docx() -> bytes:
    """A DOCX the size of a long ICC guide: 200 sections of varied prose (about 200 pages),
    a table, and a 2,000 x 1,000 photo-like picture that does not compress."""
    import docx
    from docx.shared import Inches
    from PIL import Image

    chance = random.Random(7)
    letters = string.ascii_lowercase
    words = ["".join(chance.choices(letters, k=chance.randint(2, 11))) for _ in range(3000)]
    document = docx.Document()
    document.add_paragraph("The intercultural city step by step", style="Title")
    for number in range(200):
        document.add_heading(f"Chapter {number}: policy area {number % 12}", level=1)
        for _ in range(6):
            document.add_paragraph(" ".join(chance.choices(words, k=90)).capitalize() + ".")
    table = document.add_table(rows=60, cols=4)
    for row in table.rows:
        for cell in row.cells:
            cell.text = " ".join(chance.choices(words, k=4))
    noise = Image.frombytes("RGB", (2000, 1000), chance.randbytes(2000 * 1000 * 3))
    picture = io.BytesIO()
    noise.save(picture, format="PNG")
    picture.seek(0)
    document.add_picture(picture, width=Inches(6))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_guide_sized_docx_passes_the_limits_with_room_to_spare() -> None:
    data = _guide_docx()
    assert 5_000_000 < len(data) < 10_000_000  # under the 10 MB upload limit
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        unpacked = sum(info.file_size for info in package.infolist())
    assert unpacked < MAX_UNPACKED_BYTES / 2
    doc = load_document(Path("step-by-step.docx"), data=data)
    assert doc.title == "The intercultural city step by step"
    assert len(doc.sections) >= 200
    assert doc.sections[1].headings == ("Chapter 1: policy area 1",)


def test_every_refusal_reason_has_english_and_french_words() -> None:
    from bot.core.texts import CATALOGS

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for reason in Reason:
        for lang in ("en", "fr"):
            template = CATALOGS[lang].get(f"doc_{reason}")
            assert template, (lang, reason)
            assert fields(template) == fields(REASONS[reason]), (lang, reason)
