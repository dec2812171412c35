"""Helpers for the scale-out tests (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

import re
import socket

#: The webhook secret every replica in these tests shares.
SECRET = "scale-test-secret"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def metric(exposition: str, name: str, **labels: str) -> float:
    """One sample's value from Prometheus' text format (0 when the series does not exist)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in exposition.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if match and match[1] == name and ",".join(sorted((match[2] or "").split(","))) == wanted:
            return float(match[3])
    return 0.0
