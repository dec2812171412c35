"""A separate process for the kill -9 test: answers a quick self-check through the core on a
SQLite file, printing each answered position, until it reaches the last question or is killed.

Usage: python selfcheck_child.py DATA_DIR DATABASE_URL
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


def main(data_dir: str, database_url: str) -> None:
    services = build_services(load_settings(icc_data_dir=data_dir, database_url=database_url))
    assistant = Assistant(services)
    events = iter(range(1, 10_000))

    def press(data: str) -> list:
        return assistant.handle(
            Incoming(user_id=100, chat_id=100, callback=data, event_id=f"child-{next(events)}")
        )

    indicators = indicators_for(services.index_model, "quick")
    [question] = press("scs1:quick")
    while True:
        data = next(b.data for row in question.buttons for b in row if b.data)
        payload = parse(data)
        run_id, position = payload.int_field(0), payload.int_field(1)
        if position == len(indicators) - 1:
            break  # leave the last question for the resumed process
        indicator = indicators[position]
        best = max(range(len(indicator.options)), key=lambda n: indicator.options[n].points)
        if indicator.multi:
            press(f"sc1:{run_id}:{position}:t:{best}")
            [question] = press(f"sc1:{run_id}:{position}:d")
        else:
            [question] = press(f"sc1:{run_id}:{position}:o:{best}")
        print(f"answered {position}", flush=True)
    print("waiting", flush=True)
    time.sleep(600)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
