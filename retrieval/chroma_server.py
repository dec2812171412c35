"""A Chroma server on loopback, started from the installed chromadb package (`chroma run`).

The scale-out path keeps the index in a Chroma server; tests and benchmarks prove that path
against a real one, started and stopped here, so the launching code exists once.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_chroma_server(data_dir: Path, *, startup_seconds: float = 60.0) -> Iterator[str]:
    """Run `chroma run` storing into ``data_dir``; yields its URL, stops it on exit.

    Raises RuntimeError with the server's log when it does not start in time.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    chroma = Path(sys.executable).with_name("chroma")
    port = free_port()
    log_path = data_dir / "server.log"
    command = [str(chroma), "run", "--path", str(data_dir / "db"), "--host", "127.0.0.1"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the Chroma server did not start: {log_path.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
