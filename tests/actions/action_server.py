"""`python -m actions.server` started for a test, on free loopback ports, with its output in
a file (never shipped)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devstack.processes import ROOT, free_port, http_ok

ACTIONS = "tests.actions.timed_actions"


@contextmanager
def running(log: Path, **env: str) -> Iterator[str]:
    """The server's URL while it runs with `env` added, its output written to `log`."""
    port = free_port()
    full_env = {**os.environ, "SANIC_HOST": "127.0.0.1", "PYTHONPATH": str(ROOT), **env}
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (fixed argv)
            [sys.executable, "-m", "actions.server", "--actions", ACTIONS, "--port", str(port)],
            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not http_ok(f"http://127.0.0.1:{port}/health"):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the main process alone, as Docker and Kubernetes send it: it stops its
    Sanic worker and exits cleanly (a signal to the whole group breaks their pipes first)."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the group
    process.wait(timeout=10)


def call(url: str, action: str, sender: str = "example", text: str = "example") -> int:
    """Rasa's call to run `action` for conversation `sender`; the answer's status."""
    body = {"next_action": action, "sender_id": sender,
            "tracker": {"sender_id": sender, "latest_message": {"text": text},
                        "slots": {}, "events": []},
            "domain": {}, "version": "3.6.21"}
    request = urllib.request.Request(
        f"{url}/webhook", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code
