"""The action server's 500 answers carry neither the exception nor the request (issue 22,
finding 12): rasa-sdk's own handler echoes both, and the request is the whole tracker, with
everything the person typed. `python -m actions.server` is rasa-sdk with that handler replaced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from devstack.processes import ROOT, free_port, http_ok

TYPED = "my number is 555-0142 and I live at 12 Example Street"


@pytest.mark.parametrize("module", ["actions.server", "rasa_sdk"])
def test_a_failing_action_answers_500_without_details(module: str) -> None:
    port = free_port()
    env = {**os.environ, "SANIC_HOST": "127.0.0.1", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(  # noqa: S603 (fixed argv)
        [sys.executable, "-m", module, "--actions", "tests.actions.timed_actions",
         "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not http_ok(f"http://127.0.0.1:{port}/health"):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.3)
        call = {"next_action": "action_that_fails", "sender_id": "example",
                "tracker": {"sender_id": "example", "latest_message": {"text": TYPED},
                            "slots": {}, "events": []},
                "domain": {}, "version": "3.6.21"}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhook", data=json.dumps(call).encode(),
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310 (loopback)
        body = caught.value.read().decode()
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)
    assert caught.value.code == 500
    if module == "rasa_sdk":  # the behaviour being replaced, so this test can fail
        assert "555-0142" in body
        pytest.xfail("rasa-sdk's own server echoes the exception and the request")
    assert "555-0142" not in body and "internal detail" not in body and "Example" not in body
    assert json.loads(body)["error"]
