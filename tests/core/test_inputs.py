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


def test_the_wire_format_of_buttons_never_changes() -> None:
    """Buttons already in users' chats carry these exact kinds and letters: a renamed member is
    fine, a changed value strands them (a new meaning needs a new kind version instead)."""
    from bot.core import actions
    from bot.core.payloads import ButtonKind

    wire = {
        ButtonKind: {
            "CITY": "city1",
            "LANGUAGE": "lang1",
            "QUESTION": "qa1",
            "SELFCHECK_SCOPE": "scs1",
            "SELFCHECK_RESUME": "scr1",
            "SELFCHECK_STEP": "sc1",
            "MENTORS": "mnt1",
            "VISIT": "vis1",
            "VISIT_FROM_RESULTS": "visit1",
            "ADMIN": "adm1",
            "CONSENT": "cns1",
            "FORGET": "fgt1",
        },
        actions.CityChoice: {"OTHER": "other", "CHANGE": "change"},
        actions.QuestionAction: {"SOURCES": "s", "FEEDBACK": "f", "REASON": "r"},
        actions.ScopeChoice: {"QUICK": "quick", "FULL": "full", "AREA_MENU": "area", "AREA": "a"},
        actions.ResumeAction: {"RESUME": "r", "START_OVER": "n"},
        actions.StepAction: {
            "OPTION": "o",
            "TOGGLE": "t",
            "DONE": "d",
            "DONT_KNOW": "k",
            "SKIP": "s",
            "BACK": "b",
            "PAUSE": "p",
        },
        actions.VisitStep: {
            "START": "s",
            "AREA": "a",
            "MENTOR": "m",
            "FORMAT": "f",
            "PERIOD": "p",
            "GROUP": "g",
            "NOTE": "n",
            "CONFIRM": "c",
        },
        actions.Consent: {"MENTOR": "m", "SHARE_RESULTS": "r"},
        actions.Confirmation: {"YES": "yes", "NO": "no"},
    }
    for enum, members in wire.items():
        assert {m.name: m.value for m in enum} == members, enum.__name__
    assert actions.SHOW_REQUEST == "show"
    step = payloads.make(ButtonKind.SELFCHECK_STEP, 42, 7, actions.StepAction.OPTION, 2)
    assert step == "sc1:42:7:o:2" and type(step) is str


def test_a_payload_field_reads_as_a_flow_action_or_is_refused() -> None:
    from bot.core.actions import QuestionAction

    parsed = payloads.parse("qa1:f:12:1")
    assert parsed.choice(0, QuestionAction) is QuestionAction.FEEDBACK
    for forged in ("qa1:x:12", "qa1"):
        with pytest.raises(InvalidInput):
            payloads.parse(forged).choice(0, QuestionAction)


def test_an_owned_object_is_returned_and_anything_else_refused() -> None:
    from types import SimpleNamespace

    from bot.core.errors import NotAllowed
    from bot.core.ownership import owned

    mine = SimpleNamespace(user_id=7)
    assert owned(mine, by=7, what="run") is mine
    with pytest.raises(InvalidInput, match="no such run"):
        owned(None, by=7, what="run")
    for someone_elses in (SimpleNamespace(user_id=8), SimpleNamespace(user_id=None)):
        with pytest.raises(NotAllowed, match="someone else's run"):
            owned(someone_elses, by=7, what="run")
