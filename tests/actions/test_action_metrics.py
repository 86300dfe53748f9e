"""The action server's /metrics (issue 20): `python -m actions.server` with
RN_ACTIONS_METRICS_PORT set runs actions through rasa-sdk's webhook and counts them in a
histogram of run time and a counter of failures, by action name, on that port alone."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from prometheus_client.parser import text_string_to_metric_families

from actions.metrics import PORT_VARIABLE, metrics_port
from devstack.processes import ROOT, free_port
from tests.actions import action_server


@dataclass(frozen=True)
class Server:
    url: str
    metrics_url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    metrics = free_port()
    log = tmp_path_factory.mktemp("actions") / "server.log"
    with action_server.running(log, **{PORT_VARIABLE: str(metrics)}) as url:
        yield Server(url, f"http://127.0.0.1:{metrics}/metrics")


def _samples(url: str) -> dict[str, float]:
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (loopback)
        text = answer.read().decode()
    return {
        sample.name + str(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_actions_run_through_the_server_are_timed_and_failures_counted(server: Server) -> None:
    before = _samples(server.metrics_url)
    answered = "rn_action_seconds_count[('action', 'action_that_answers')]"
    failed = "rn_action_errors_total[('action', 'action_that_fails')]"
    assert before[answered] == 0 and before[failed] == 0, "registered actions start at zero"

    assert [action_server.call(server.url, "action_that_answers") for _ in range(2)] == [200, 200]
    assert action_server.call(server.url, "action_that_fails") == 500
    assert action_server.call(server.url, "action_nobody_registered") == 404
    after = _samples(server.metrics_url)

    assert after[answered] == 2
    assert after["rn_action_seconds_bucket[('action', 'action_that_answers'), ('le', '+Inf')]"] == 2
    assert after["rn_action_errors_total[('action', 'action_that_answers')]"] == 0
    assert after["rn_action_seconds_count[('action', 'action_that_fails')]"] == 1
    assert after[failed] == 1
    # a name Rasa did not register is one "unknown" label, never the name it was sent
    assert after["rn_action_errors_total[('action', 'unknown')]"] == 1
    assert not any("action_nobody_registered" in key for key in after)


def test_the_main_port_does_not_serve_metrics(server: Server) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{server.url}/metrics", timeout=5)  # noqa: S310 (loopback)
    # rasa-sdk answers an unknown path with its catch-all 500 (our fixed body)
    assert caught.value.code in (404, 500)
    assert b"rn_action" not in caught.value.read()


def test_metrics_need_one_worker_per_process() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), PORT_VARIABLE: str(free_port()),
           "ACTION_SERVER_SANIC_WORKERS": "2"}
    done = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-m", "actions.server", "--actions", "tests.actions.timed_actions",
         "--port", str(free_port())],
        cwd=ROOT, env=env, capture_output=True, timeout=60, check=False,
    )
    assert done.returncode != 0
    assert b"ACTION_SERVER_SANIC_WORKERS=1" in done.stderr


@pytest.mark.parametrize(("raw", "port"), [("", 0), ("0", 0), (" 9101 ", 9101)])
def test_the_port_setting(raw: str, port: int) -> None:
    assert metrics_port({PORT_VARIABLE: raw}) == port


@pytest.mark.parametrize("raw", ["nine", "-1", "70000"])
def test_a_bad_port_setting_stops_the_server(raw: str) -> None:
    with pytest.raises(SystemExit, match=PORT_VARIABLE):
        metrics_port({PORT_VARIABLE: raw})
