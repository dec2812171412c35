"""Text checks and callback payload parsing refuse what they should, accept what they should."""

from __future__ import annotations

import pytest

from bot.core import payloads
from bot.core.errors import InvalidInput
from bot.core.inputs import MAX_TEXT_CHARS, TextProblem, check_text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", TextProblem.EMPTY),
        ("   \n\t ", TextProblem.EMPTY),
        ("a" * (MAX_TEXT_CHARS + 1), TextProblem.TOO_LONG),
        ("hello\x07world", TextProblem.CONTROL),
        ("PK\x03\x04\x00\x00binary", TextProblem.BINARY),
        ("\ufffd\ufffd\ufffdab\ufffd", TextProblem.BINARY),
        ("What about schools?", None),
        ("Et pour les écoles ? 🙂\nMerci", None),
        ("a" * MAX_TEXT_CHARS, None),
    ],
)
def test_check_text(text: str, problem: TextProblem | None) -> None:
    assert check_text(text) == problem


def test_payloads_round_trip_and_refuse_foreign_shapes() -> None:
    data = payloads.make("sc1", 42, 7, "o", 2)
    assert data == "sc1:42:7:o:2"
    parsed = payloads.parse(data)
    assert (parsed.kind, parsed.int_field(0), parsed.field(2)) == ("sc1", 42, "o")
    for forged in ["", "sc1:42:<b>", "x" * 65, "SC1:1", "sc1:1:2:o:99999999999999", "sc1::1"]:
        with pytest.raises(InvalidInput):
            parsed = payloads.parse(forged)
            parsed.int_field(4)
    with pytest.raises(ValueError):
        payloads.make("sc1", "a" * 70)
