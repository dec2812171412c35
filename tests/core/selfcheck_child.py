"""A separate process for the kill -9 tests: answers a quick self-check through the core on a
SQLite file, printing each answered position, until it is killed.

Usage: python selfcheck_child.py DATA_DIR DATABASE_URL [STOP]

Without STOP it answers with the best options up to the last question and waits there (the
resumed process answers that one). With STOP (a position, or ``last``) it answers with the
worst options, so the result has weak areas, and when the press at STOP has been applied
(committed) it prints ``applied EVENT_ID`` and waits without "sending" the replies: killed
then, it is a bot that died between the commit and the reply.
"""

from __future__ import annotations

import sys
import time

from bot.config import load_settings
from bot.core.assistant import Assistant
from bot.core.messages import Incoming
from bot.core.payloads import parse
from bot.services import build_services
from scoring.score import indicators_for


def main(data_dir: str, database_url: str, stop: str | None = None) -> None:
    services = build_services(load_settings(icc_data_dir=data_dir, database_url=database_url))
    assistant = Assistant(services)
    events = iter(range(1, 10_000))
    indicators = indicators_for(services.index_model, "quick")
    stop_at = None if stop is None else len(indicators) - 1 if stop == "last" else int(stop)

    def press(data: str) -> tuple[str, list]:
        event_id = f"child-{next(events)}"
        incoming = Incoming(user_id=100, chat_id=100, callback=data, event_id=event_id)
        return event_id, assistant.handle(incoming)

    _, [question] = press("scs1:quick")
    while True:
        data = next(b.data for row in question.buttons for b in row if b.data)
        payload = parse(data)
        run_id, position = payload.int_field(0), payload.int_field(1)
        if stop_at is None and position == len(indicators) - 1:
            break  # leave the last question for the resumed process
        indicator = indicators[position]
        points = [option.points for option in indicator.options]
        pick = points.index(min(points) if stop_at is not None else max(points))
        if indicator.multi:
            if stop_at is None:
                press(f"sc1:{run_id}:{position}:t:{pick}")
            event_id, replies = press(f"sc1:{run_id}:{position}:d")  # worst: nothing ticked
        else:
            event_id, replies = press(f"sc1:{run_id}:{position}:o:{pick}")
        if position == stop_at:
            print(f"applied {event_id} {run_id} {position}", flush=True)
            break
        [question] = replies
        print(f"answered {position}", flush=True)
    print("waiting", flush=True)
    time.sleep(600)


if __name__ == "__main__":
    main(*sys.argv[1:4])
