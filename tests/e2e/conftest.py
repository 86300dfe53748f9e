"""Browser fixtures: Chromium through Playwright, the web app under devstack's supervisor.

Two set-ups:
- `widget_stack`: the real web app with a fake Rasa (tests/e2e/fake_rasa.py): widget behaviour.
- `real_stack`: action server + Rasa server (trained model) + web app on a seeded database.
  Skipped with a clear message when models/recovery-navigator.tar.gz is missing, unless the
  environment variable CI is set (then it fails).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devstack.processes import DEFAULT_MODEL, Stack, free_port, http_ok

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PEER_USER, PEER_NAME, PEER_PASSWORD = "example-peer", "Sam", "example password 0123"
PHONE = {"width": 390, "height": 844}


@dataclass
class RunningApp:
    url: str
    database_url: str
    rasa_url: str


def create_peer(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "web", "createuser", PEER_USER, "--role", "peer",
         "--display-name", PEER_NAME, "--password-stdin"],
        input=PEER_PASSWORD + "\n", text=True, check=True, cwd=ROOT,
        env={**os.environ, "RN_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)},
        capture_output=True,
    )


def secrets_env(database_url: str) -> dict[str, str]:
    return {"RN_DATABASE_URL": database_url, "RN_RASA_TOKEN": "example-e2e-token",
            "RN_SECRET_KEY": "example-e2e-secret-key-0000000000000", "RN_ENV": "development"}


@contextmanager
def web_over_fake_rasa(script: Path, folder: Path) -> Iterator[RunningApp]:
    """The real web app (empty, migrated directory; one peer) in front of a stand-in Rasa
    started from `script` (which takes its port as its only argument)."""
    from resources_db.db import upgrade_database

    database_url = f"sqlite:///{folder / 'e2e.sqlite3'}"
    upgrade_database(database_url)
    create_peer(database_url)
    rasa_port = free_port()
    fake = subprocess.Popen(  # noqa: S603 (fixed argv)
        [sys.executable, str(script), str(rasa_port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not http_ok(f"http://127.0.0.1:{rasa_port}/") and time.monotonic() < deadline:
            time.sleep(0.1)
        stack = Stack(ROOT, web_port=free_port(), rasa_port=rasa_port, components=("web",),
                      env=secrets_env(database_url), log_dir=folder / "log")
        with stack:
            yield RunningApp(stack.web_url, database_url, stack.rasa_url)
    finally:
        fake.terminate()
        fake.wait(timeout=10)


@pytest.fixture(scope="session")
def widget_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The web app talking to the fake Rasa; an empty, migrated directory."""
    with web_over_fake_rasa(ROOT / "tests" / "e2e" / "fake_rasa.py",
                            tmp_path_factory.mktemp("widget")) as app:
        yield app


@pytest.fixture(scope="session")
def real_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """Action server + Rasa + web app on a database seeded with the bundled real data."""
    if not DEFAULT_MODEL.exists():
        message = f"no trained model at {DEFAULT_MODEL}: run `make train` first"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with seeded_stack(tmp_path_factory.mktemp("stack"), "e2e.sqlite3") as (stack, database_url):
        yield RunningApp(stack.web_url, database_url, stack.rasa_url)


@contextmanager
def seeded_stack(folder: Path, database_name: str) -> Iterator[tuple[Stack, str]]:
    """The real stack under devstack's supervisor (action server, Rasa with the trained model,
    web app) on a database in `folder` seeded with the bundled real data and one peer: the
    running stack and its database URL."""
    from resources_db.seed import seed_database

    database_url = f"sqlite:///{folder / database_name}"
    seed_database(database_url)
    create_peer(database_url)
    stack = Stack(ROOT, web_port=free_port(), rasa_port=free_port(), action_port=free_port(),
                  env=secrets_env(database_url), log_dir=folder / "log")
    with stack:
        yield stack, database_url


def fake_rasa_seen(app: RunningApp) -> dict[str, Any]:
    with urllib.request.urlopen(f"{app.rasa_url}/_test/turns", timeout=5) as response:
        return json.loads(response.read())


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious or critical WCAG 2.x A/AA violations found by axe-core on the current page."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make node)")
    # Evaluated through the DevTools protocol, so the page's strict CSP stays in force.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """async () => await axe.run(document, {
               runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
               resultTypes: ['violations']})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in_peer(context: Any, app: RunningApp) -> Any:
    page = context.new_page()
    page.goto(f"{app.url}/peer/login")
    page.get_by_label("Username").fill(PEER_USER)
    page.get_by_label("Password").fill(PEER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.url}/peer")
    page.get_by_text("Connected.").wait_for()
    return page


def send(page: Any, text: str) -> None:
    """Type in the box the widget labels "Your message" and press Send."""
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def peer_answers_then_returns(
    person: Any, console: Any, heard: str, reply: str, shots: str = ""
) -> None:
    """With a peer in the chat: the console shows `heard`, the peer answers `reply` and the
    person sees it (screenshots `<shots>chat-with-peer-390x844` and `<shots>peer-console`;
    no axe violation on the console); then the peer hands the chat back to the assistant."""
    console.locator("#transcript").get_by_text(heard).wait_for()
    console.get_by_label("Message to the person").fill(reply)
    console.get_by_label("Message to the person").press("Enter")
    person.get_by_text(reply).wait_for()
    screenshot(person, f"{shots}chat-with-peer-390x844")
    assert axe_violations(console) == []
    screenshot(console, f"{shots}peer-console")
    console.get_by_role("button", name="Return to assistant").click()
    person.get_by_text("handed the chat back to the automated assistant").wait_for()
