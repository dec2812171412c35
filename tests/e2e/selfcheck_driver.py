"""Press through a self-check in the stand-in the way a person would, for the e2e tests.

Imported by name (pytest puts this folder on the path). Answers are chosen from the Index model
so that a test can aim at weak areas (the lowest-scoring option of each question).
"""

from __future__ import annotations

from bot.playground.server import StandIn
from bot.playground.state import Message, PlaygroundUser
from scoring.model import IndexModel
from scoring.score import indicators_for

STEP = "sc1:"


def step_payloads(message: Message) -> list[str]:
    return [d for d in message.button_data() if d.startswith(STEP)]


def current_question(standin: StandIn, user: PlaygroundUser) -> Message | None:
    """The last bot message that carries self-check answer buttons."""
    for message in reversed(standin.bot_messages(user.id)):
        if step_payloads(message):
            return message
    return None


def run_id_of(message: Message) -> int:
    return int(step_payloads(message)[0].split(":")[1])


async def press_and_wait(
    standin: StandIn, user: PlaygroundUser, message: Message, data: str, timeout: float = 60
) -> None:
    """Press a button and wait until the bot reacted (an edit or a new message)."""
    version, count = message.version, len(standin.bot_messages(user.id))
    await standin.press(user, message, data)
    await standin.wait_for(
        lambda: message.version != version or len(standin.bot_messages(user.id)) > count, timeout
    )


def lowest_answer(model: IndexModel, payloads: list[str]) -> tuple[list[str], str]:
    """The presses that answer a question with its lowest-scoring option, and that option's id.

    A multi-select question needs two: tick the option, then Done.
    """
    run_id, position = (int(x) for x in payloads[0].split(":")[1:3])
    indicator = indicators_for(model, "quick")[position]
    lowest = min(range(len(indicator.options)), key=lambda i: indicator.options[i].points)
    prefix = f"{STEP}{run_id}:{position}:"
    presses = [f"{prefix}t:{lowest}", f"{prefix}d"] if indicator.multi else [f"{prefix}o:{lowest}"]
    return presses, indicator.options[lowest].id


async def answer_one(
    standin: StandIn, user: PlaygroundUser, model: IndexModel, message: Message
) -> str:
    """Answer the question on ``message`` with its lowest-scoring option; return the option id."""
    presses, option_id = lowest_answer(model, step_payloads(message))
    for data in presses:
        await press_and_wait(standin, user, message, data)
    return option_id


async def start_quick_check(standin: StandIn, user: PlaygroundUser) -> Message:
    """/selfcheck, then "Quick check"; returns the message showing the first question."""
    count = len(standin.bot_messages(user.id))
    await standin.send_text(user, "/selfcheck")
    messages = await standin.wait_for_bot_messages(user.id, count + 1, 60)
    choice = messages[-1]
    assert "scs1:quick" in choice.button_data(), choice.text
    await press_and_wait(standin, user, choice, "scs1:quick")
    question = current_question(standin, user)
    assert question is not None
    return question
