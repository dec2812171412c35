"""The command-line contract: `icc-assistant ask ... --json`, stdin JSON lines, `ingest`."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from made_files import make_pdf

CLI = str(Path(sys.executable).with_name("icc-assistant"))
KEYS = ["question", "answer", "answered", "language", "sources"]
SOURCE_KEYS = ["title", "section", "page", "url", "text", "score"]


def _run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ICC_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [CLI, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture
def data_dir(index_dir: Path) -> Path:
    """A data folder whose index/ is a private copy of the bundled index."""
    return index_dir.parent


def test_ask_json(data_dir: Path) -> None:
    result = _run(data_dir, "ask", "What is the anti-rumours strategy?", "--json", "-k", "3")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert list(payload) == KEYS
    assert payload["answered"] is True and payload["language"] == "en"
    assert 1 <= len(payload["sources"]) <= 3  # only the sources the answer cites
    assert all(list(s) == SOURCE_KEYS for s in payload["sources"])
    assert payload["sources"][0]["url"].startswith("https://")


def test_ask_reads_questions_from_stdin_one_json_per_line(data_dir: Path) -> None:
    questions = ["What is the ICC Index?", "", "Quel est le taux de TVA sur les parkings ?"]
    result = _run(data_dir, "ask", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [questions[0], questions[2]]
    assert [line["answered"] for line in lines] == [True, False]
    assert lines[1]["language"] == "fr" and lines[1]["sources"] == []
    assert result.stderr.count("loading multilingual-e5-small") == 1  # the model loads once


def test_ask_plain_text_lists_numbered_sources(data_dir: Path) -> None:
    result = _run(data_dir, "ask", "What is the ICC Index?")
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout and "https://" in result.stdout


def test_ingest_reports_added_unchanged_and_bad_files(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "plan.pdf").write_bytes(make_pdf(["Our welcome plan offers language cafés."]))
    (folder / "scan.pdf").write_bytes(make_pdf([""]))
    result = _run(data_dir, "ingest", str(folder))
    assert result.returncode == 1
    assert result.stdout.startswith("1 added, 0 updated, 17 unchanged")
    assert "skipped scan.pdf: the PDF has no text layer" in result.stderr

    missing = _run(data_dir, "ingest", str(tmp_path / "nope.pdf"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_bad_k_is_a_clean_error(data_dir: Path) -> None:
    result = _run(data_dir, "ask", "What is the ICC Index?", "-k", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_plain_text_marks_a_tentative_answer() -> None:
    from bot.commands.qa import format_answer
    from retrieval.qa import Answer, Source

    source = Source("doc", "A document", "Doc", "Part 1", None, "https://example.org", "Text.", 0.9)
    answer = Answer("q?", "Text. [1]", True, "en", [source], [])
    assert format_answer(answer).startswith("Text. [1]\n\n[1] Doc — Part 1  https://example.org")
    tentative = format_answer(dataclasses.replace(answer, tentative=True))
    assert tentative.startswith("(Closest match only") and "Text. [1]" in tentative


def test_plain_text_says_why_a_question_about_today_is_refused() -> None:
    from bot.commands.qa import format_answer
    from retrieval.qa import NOT_COVERED_TEXT, Answer

    refused = Answer("who chairs it today?", NOT_COVERED_TEXT, False, "en", [], ["Doc — Part 1"])
    assert "not how they stand today" not in format_answer(refused)
    dated = format_answer(dataclasses.replace(refused, about_today=True))
    assert dated.startswith(NOT_COVERED_TEXT) and "not how they stand today" in dated
    assert dated.endswith("Closest topics: Doc — Part 1")
