"""Pressing through a self-check the way a person would, choosing options by their points."""

from __future__ import annotations

from collections.abc import Callable

from core_helpers import Chat

from bot.core.messages import Reply
from bot.core.payloads import parse
from bot.services import Services
from scoring.model import Indicator
from scoring.score import indicators_for

Pick = Callable[[Indicator], list[int]]


def worst(indicator: Indicator) -> list[int]:
    """The lowest-scoring option (for multi-select: none of them)."""
    if indicator.multi:
        return []
    points = [option.points for option in indicator.options]
    return [points.index(min(points))]


def best(indicator: Indicator) -> list[int]:
    """The highest-scoring option (for multi-select: every option that earns points)."""
    if indicator.multi:
        return [n for n, option in enumerate(indicator.options) if option.points > 0]
    points = [option.points for option in indicator.options]
    return [points.index(max(points))]


def step_of(reply: Reply) -> tuple[int, int] | None:
    """(run id, position) of a question reply, None if it is not a question."""
    for row in reply.buttons:
        for b in row:
            if b.data and b.data.startswith("sc1:"):
                payload = parse(b.data)
                return payload.int_field(0), payload.int_field(1)
    return None


def answer(chat: Chat, services: Services, scope: str, reply: Reply, pick: Pick) -> list[Reply]:
    """Answer the question in ``reply`` as ``pick`` says; returns the replies to the last press."""
    step = step_of(reply)
    assert step is not None, reply.text
    run_id, position = step
    indicator = indicators_for(services.index_model, scope)[position]
    chosen = pick(indicator)
    if indicator.multi:
        for index in chosen:
            chat.press(f"sc1:{run_id}:{position}:t:{index}")
        return chat.press(f"sc1:{run_id}:{position}:d")
    return chat.press(f"sc1:{run_id}:{position}:o:{chosen[0]}")


def answer_all(chat: Chat, services: Services, scope: str, reply: Reply, pick: Pick) -> list[Reply]:
    """Answer every remaining question; returns the results replies."""
    replies = [reply]
    while step_of(replies[-1]) is not None:
        replies = answer(chat, services, scope, replies[-1], pick)
    return replies
