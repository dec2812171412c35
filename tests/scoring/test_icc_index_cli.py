"""The command-line contract (`indicators`, `selfcheck`, `import-scores`), run as a user would."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib import image

from scoring.model import IndexModel


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ICC_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def _answers_file(tmp_path: Path, answers: dict) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


def _as_json(answers: dict) -> dict:
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in answers.items()}


def test_indicators_json_shape(tmp_path: Path, model: IndexModel) -> None:
    done = _run("indicators", "--json", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) == {"version", "areas"}
    assert payload["version"] == model.version
    assert [a["id"] for a in payload["areas"]] == [a.id for a in model.areas]
    indicator = payload["areas"][0]["indicators"][0]
    assert set(payload["areas"][0]) == {"id", "name", "indicators"}
    assert set(indicator) == {"id", "question", "options"}
    assert set(indicator["options"][0]) == {"id", "label", "points"}
    assert sum(len(a["indicators"]) for a in payload["areas"]) == 88


def test_indicators_in_french_for_the_quick_check(tmp_path: Path, model: IndexModel) -> None:
    done = _run("indicators", "--json", "--lang", "fr", "--scope", "quick", data_dir=tmp_path)
    payload = json.loads(done.stdout)
    ids = [i["id"] for a in payload["areas"] for i in a["indicators"]]
    assert ids == model.quick_check_ids
    assert payload["areas"][0]["name"] == "Engagement"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"no_such_indicator": "yes"}, "unknown indicator 'no_such_indicator'"),
        ({"com_budget": "perhaps"}, "unknown option 'perhaps' for com_budget"),
        (["com_budget"], "answers must be an object"),
    ],
)
def test_selfcheck_refuses_unknown_ids_with_exit_2(
    tmp_path: Path, answers: object, message: str
) -> None:
    done = _run(
        "selfcheck", "--answers", str(_answers_file(tmp_path, answers)), "--json", data_dir=tmp_path
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_selfcheck_refuses_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text("{not json", encoding="utf-8")
    done = _run("selfcheck", "--answers", str(path), "--json", data_dir=tmp_path)
    assert done.returncode == 2
    assert "is not valid JSON" in done.stderr


def test_selfcheck_all_best_has_no_weak_area_and_writes_the_chart(
    tmp_path: Path, best_answers: dict
) -> None:
    chart = tmp_path / "chart.png"
    done = _run(
        "selfcheck",
        "--answers",
        str(_answers_file(tmp_path, _as_json(best_answers))),
        "--json",
        "--chart",
        str(chart),
        data_dir=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) == {"overall", "areas", "mentors", "guidance"}
    assert payload["overall"] == 100
    assert not any(area["weak"] for area in payload["areas"])
    assert payload["mentors"] == {} and payload["guidance"] == {}
    assert set(payload["areas"][0]) == {"id", "name", "score", "network_average", "weak"}
    assert "not an official ICC Index result" in done.stderr
    assert image.imread(io.BytesIO(chart.read_bytes()), format="png").shape[1] >= 1000


def test_selfcheck_weak_areas_get_mentors_and_guidance(
    tmp_path: Path, index_dir: Path, best_answers: dict, worst_answers: dict, model: IndexModel
) -> None:
    """Weak areas come with real mentors (never the own city) and at most two guide passages
    each, on the area's topic."""
    answers = dict(best_answers)
    for area_id in ("language", "welcoming"):
        for indicator in model.area(area_id).indicators:
            answers[indicator.id] = worst_answers[indicator.id]
    done = _run(
        "selfcheck",
        "--answers",
        str(_answers_file(tmp_path, _as_json(answers))),
        "--json",
        "--city",
        "Neukölln",
        data_dir=index_dir.parent,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert [a["id"] for a in payload["areas"] if a["weak"]] == ["language", "welcoming"]
    commitment = next(a for a in payload["areas"] if a["id"] == "commitment")
    assert commitment["network_average"] == 69
    assert set(payload["mentors"]) == {"language", "welcoming"}
    for mentors in payload["mentors"].values():
        assert 1 <= len(mentors) <= 3
        for mentor in mentors:
            assert set(mentor) == {"city", "country", "reason", "source_url"}
            assert mentor["source_url"].startswith("http")
            assert mentor["city"] != "Berlin-Neukölln"
    assert set(payload["guidance"]) == {"language", "welcoming"}
    topics = {"language": "language", "welcoming": "welcom"}
    for area_id, passages in payload["guidance"].items():
        assert 1 <= len(passages) <= 2
        assert all(p["url"].startswith("http") and p["text"] for p in passages)
        assert all(topics[area_id] in f"{p['section']} {p['text']}".lower() for p in passages)


def test_import_scores_shows_what_it_would_load(tmp_path: Path) -> None:
    path = tmp_path / "official.csv"
    path.write_text(
        "city,country,year,area,score,network_average,source_url\n"
        "Castellón,Spain,2025,language,77,58,https://example.org/castellon.pdf\n",
        encoding="utf-8",
    )
    done = _run("import-scores", str(path), "--json", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["rows"][0]["score"] == 77
    assert payload["areas"] == ["language"]
    text = _run("import-scores", str(path), data_dir=tmp_path)
    assert "1 official area scores for 1 cities would be loaded" in text.stdout


def test_applied_import_takes_precedence_in_the_next_selfcheck(
    tmp_path: Path, best_answers: dict
) -> None:
    path = tmp_path / "official.csv"
    path.write_text(
        "city,country,year,area,score,network_average,source_url\n"
        "Oslo,Norway,2025,language,95,58,https://example.org/oslo-2025.pdf\n",
        encoding="utf-8",
    )
    stored = _run("import-scores", str(path), "--apply", data_dir=tmp_path)
    assert stored.returncode == 0, stored.stderr
    assert "were stored" in stored.stdout
    answers = _answers_file(tmp_path, _as_json(best_answers))
    done = _run("selfcheck", "--answers", str(answers), "--json", data_dir=tmp_path)
    areas = {a["id"]: a for a in json.loads(done.stdout)["areas"]}
    assert areas["language"]["network_average"] == 58
    assert areas["commitment"]["network_average"] == 69
    assert areas["education"]["network_average"] is None


def test_import_scores_refuses_a_bad_file_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "official.csv"
    path.write_text(
        "city,country,year,area,score,source_url\nOslo,Norway,2025,cooking,77,https://x.org\n",
        encoding="utf-8",
    )
    done = _run("import-scores", str(path), data_dir=tmp_path)
    assert done.returncode == 2
    assert "line 2: unknown area 'cooking'" in done.stderr


def test_selfcheck_without_answers_hands_over_to_the_terminal_flow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot import cli
    from bot.commands import selfcheck_tty

    seen = []
    monkeypatch.setattr(selfcheck_tty, "run", lambda args: seen.append(args.city) or 0)
    assert cli.main(["selfcheck", "--city", "Oslo"]) == 0
    assert seen == ["Oslo"]
