"""The process supervisor behind `make run`: internal services stay on loopback, secrets are
generated per checkout (never a shared default), and a process that dies is reported."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from devstack.processes import ServiceSpec, Stack, StackError, free_port
from devstack.secrets import GENERATED, development_secrets


def test_internal_services_listen_on_loopback_only(tmp_path: Path) -> None:
    stack = Stack(tmp_path, env={"RN_RASA_TOKEN": "t0ken"})
    specs = {spec.name: spec for spec in stack.specs()}
    assert specs["actions"].env["SANIC_HOST"] == "127.0.0.1"
    rasa = specs["rasa"].argv
    assert rasa[rasa.index("-i") + 1] == "127.0.0.1"
    # the token reaches Rasa through its environment, never its command line (issue 22, 12)
    assert "t0ken" not in " ".join(rasa) and "--auth-token" not in rasa
    assert specs["rasa"].env["RN_RASA_TOKEN"] == "t0ken"
    assert specs["web"].env["RN_WEB_HOST"] == "127.0.0.1"
    assert specs["rasa"].env["RN_ACTION_URL"] == "http://127.0.0.1:5055/webhook"


def test_contract_default_ports() -> None:
    stack = Stack()
    assert (stack.web_url, stack.rasa_url, stack.action_url) == (
        "http://127.0.0.1:8000",
        "http://127.0.0.1:5005",
        "http://127.0.0.1:5055",
    )


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    stack = Stack(tmp_path, model=tmp_path / "none.tar.gz", log_dir=tmp_path / "log")
    with pytest.raises(StackError, match="make train"):
        stack.start(timeout=1)


def test_a_process_that_exits_is_reported_with_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    failing = ServiceSpec(
        name="web",
        argv=[sys.executable, "-c", "print('cannot bind'); raise SystemExit(3)"],
        health_url=f"http://127.0.0.1:{port}/healthz",
    )
    stack = Stack(tmp_path, components=("web",), web_port=port, log_dir=tmp_path / "log")
    monkeypatch.setattr(stack, "specs", lambda: [failing])
    with pytest.raises(StackError, match=r"(?s)exited with code 3.*cannot bind"):
        stack.start(timeout=20)
    assert stack.dead() == []  # stop() ran and forgot the process


def test_secrets_are_generated_once_and_kept_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in GENERATED:
        monkeypatch.delenv(key, raising=False)
    path = tmp_path / "var" / "secrets.env"
    first = development_secrets(path)
    assert set(first) == set(GENERATED)
    assert all(len(value) >= 32 for value in first.values())
    assert development_secrets(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert development_secrets(tmp_path / "other.env") != first


def test_environment_overrides_stored_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RN_RASA_TOKEN", "from-environment")
    assert development_secrets(tmp_path / "s.env")["RN_RASA_TOKEN"] == "from-environment"


# issue 22, finding 8: a crashed child is restarted with back-off; the others keep running ----
def test_a_crashed_child_is_restarted_with_backoff_and_the_others_keep_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from devstack.supervisor import Supervisor

    crashing = ServiceSpec(
        name="actions",
        argv=[sys.executable, "-c",
              "import time; print('started', time.monotonic(), flush=True); "
              "time.sleep(0.2); raise SystemExit(1)"],
        health_url="http://127.0.0.1:9/health",
    )
    steady = ServiceSpec(
        name="web", argv=[sys.executable, "-c", "import time; time.sleep(60)"],
        health_url="http://127.0.0.1:9/healthz",
    )
    stack = Stack(tmp_path, components=("actions", "web"), log_dir=tmp_path / "log")
    monkeypatch.setattr(stack, "specs", lambda: [crashing, steady])
    stack.log_dir.mkdir(parents=True)
    for spec in (crashing, steady):
        stack._spawn(spec)
    web_pid = stack.service("web").process.pid  # type: ignore[union-attr]
    reports: list[str] = []
    supervisor = Supervisor(stack, first_delay=0.3, max_delay=1.2, report=reports.append)
    try:
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            supervisor.poll()
            time.sleep(0.05)
        web = stack.service("web")
        assert web is not None and web.process.pid == web_pid and web.process.poll() is None
        starts = [float(line.split()[1]) for line in
                  (stack.log_dir / "actions-5055.log").read_text().splitlines()
                  if line.startswith("started")]
    finally:
        stack.stop()
    assert len(starts) >= 4, starts  # restarted again and again, not given up on
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert gaps[0] < gaps[2]  # back-off: waits grow (0.3 s, 0.6 s, 1.2 s … after each crash)
    assert all(gap < 1.2 + 0.2 + 1.0 for gap in gaps)  # capped
    assert any("actions stopped unexpectedly" in r and "restarting in" in r for r in reports)


def test_the_rasa_entry_point_adds_the_token_from_the_environment() -> None:
    from devstack.rasa_entry import with_token

    argv = ["bot.server", "run", "--enable-api"]
    assert with_token(argv, {"RN_RASA_TOKEN": "t0ken"}) == [
        *argv, "--auth-token=t0ken", "--jwt-secret=t0ken", "--jwt-method", "HS256"]
    assert with_token(argv, {}) == argv
    given = [*argv, "--auth-token", "x", "--jwt-secret", "y"]
    assert with_token(given, {"RN_RASA_TOKEN": "t0ken"}) == given


def test_a_token_that_starts_with_a_dash_still_reaches_rasa() -> None:
    """secrets.token_urlsafe gives a token starting with "-" one time in 64: passed as a
    separate argument, Rasa's argparse read it as an option and exited ("--auth-token:
    expected one argument"), so `make run` failed on such a machine until its secrets were
    deleted."""
    import argparse

    from devstack.rasa_entry import with_token

    parser = argparse.ArgumentParser()
    parser.add_argument("-t", "--auth-token")
    parser.add_argument("--jwt-secret")
    parser.add_argument("--jwt-method")
    token = "-Ab3_secret"
    argv = with_token(["bot.server"], {"RN_RASA_TOKEN": token})
    parsed = parser.parse_args(argv[1:])
    assert parsed.auth_token == token and parsed.jwt_secret == token
