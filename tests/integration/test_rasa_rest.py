"""The real action server (rasa-sdk, Python 3.11) and the real Rasa 3.6 server talk correctly.

Starts both processes on free ports against the fictional fixture directory and checks the
REST channel's answers against the contract (§4). Needs a trained model; without one the
test is skipped, except under CI (CI=true), where a missing model is a failure.
"""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from devstack.processes import Stack, free_port

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "recovery-navigator.tar.gz"
TOKEN = "test-token"
CARD_KEYS = {"id", "name", "organization", "categories", "address", "city", "state", "zip",
             "lat", "lon", "distance_miles", "phone", "website", "insurance", "populations",
             "languages", "hours", "open_now", "capacity", "last_verified", "source"}


def require_model() -> None:
    if MODEL.exists():
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"no trained model at {MODEL} (run `make train`); CI needs it")
    pytest.skip(f"no trained model at {MODEL}: run `make train` to enable this test")


@contextmanager
def rasa_with_actions(
    directory_url: str, log_dir: Path, endpoints: str = "bot/endpoints.yml"
) -> Iterator[Stack]:
    """The action server and the Rasa server (the trained model) over `directory_url`, as
    `make run` starts them; stopped when the block ends."""
    require_model()
    with Stack(
        ROOT, components=("actions", "rasa"), rasa_port=free_port(), action_port=free_port(),
        env={"RN_DATABASE_URL": directory_url, "RN_RASA_TOKEN": TOKEN},
        log_dir=log_dir, endpoints=endpoints,
    ) as running:
        yield running


@pytest.fixture(scope="module")
def stack(stack_directory_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with rasa_with_actions(stack_directory_url, tmp_path_factory.mktemp("stack-logs")) as running:
        yield running


def say(stack: Stack, sender: str, message: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=body,
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        assert response.status == 200
        return list(json.loads(response.read()))


def customs(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages
            if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex}"


def test_detox_near_a_zip_returns_fixture_cards(stack: Stack) -> None:
    sender = new_sender()
    first = say(stack, sender, "I need detox near 21201")
    assert customs(first, "resources") == []  # insurance matters for detox: it asks first
    assert any(m.get("buttons") for m in first)
    reply = say(stack, sender, "medicaid")
    [payload] = customs(reply, "resources")
    assert payload["query"]["need"] == ["detox"]
    assert payload["query"]["near"]["label"].startswith("Baltimore, MD")
    assert payload["total"] >= 1 and isinstance(payload["relaxed"], bool)
    assert payload["resources"], "the fixture directory has detox near Baltimore"
    for card in payload["resources"]:
        assert set(card) >= CARD_KEYS
        assert card["name"].startswith("Example")
        assert "detox" in card["categories"]
    # the summary line says what was searched for, so a misread is visible at once
    texts = [m.get("text") or "" for m in reply]
    assert any(text.startswith("Looking for detox and withdrawal care near Baltimore, MD")
               and "taking Medicaid" in text for text in texts)


def test_overdose_gets_the_crisis_payload_first(stack: Stack) -> None:
    reply = say(stack, new_sender(), "my friend overdosed and isn't breathing")
    assert reply, "the crisis message got no answer"
    first = reply[0].get("custom")
    assert isinstance(first, dict) and first["type"] == "crisis"
    assert first["kind"] == "overdose"
    assert any(line.get("phone") == "911" for line in first["lines"])


def test_asking_for_a_person_gets_a_handoff_payload(stack: Stack) -> None:
    reply = say(stack, new_sender(), "can I talk to a person")
    [handoff] = customs(reply, "handoff")
    assert handoff["status"] == "requested"  # the web app decides (docs/architecture.md)
    assert set(handoff["summary"]) >= {"needs", "location", "insurance", "notes"}


def test_crisis_in_the_middle_of_the_form_then_carry_on(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "i need narcan")
    reply = say(stack, sender, "he took too much and won't wake up")
    assert reply[0]["custom"]["type"] == "crisis"
    after = say(stack, sender, "21201")
    [payload] = customs(after, "resources")
    assert payload["query"]["need"] == ["harm_reduction"]


def test_a_spanish_crisis_is_answered_in_spanish_and_english_stays_english(
    stack: Stack,
) -> None:
    """The crisis detector's chat_language entity sets the slot before the action runs, so
    Rasa picks the responses' Spanish variations (988: press 2 / AYUDA)."""
    sender = new_sender()
    reply = say(stack, sender, "ya no quiero vivir")
    assert reply[0]["custom"]["type"] == "crisis" and reply[0]["custom"]["kind"] == "suicide"
    texts = [m.get("text") or "" for m in reply[1:]]
    assert "oprime 2" in texts[0] and "AYUDA" in texts[0]
    assert texts[-1].startswith("¿Quieres hablar con")
    assert [b["payload"] for b in reply[-1]["buttons"]] == ["/request_peer", "/deny"]
    english = say(stack, sender, "i want to kill myself")
    assert [m.get("text") or "" for m in english][1].startswith("I'm glad you told me")


def test_a_person_writing_in_spanish_is_answered_in_spanish(stack: Stack) -> None:
    """The language detector's entity fills chat_language; the responses' Spanish variations
    answer, also for the form's questions. A ZIP alone keeps the conversation's language."""
    sender = new_sender()
    greeting = say(stack, sender, "hola")
    assert greeting[0]["text"].startswith("Hola. Soy un asistente automatizado")
    asked = say(stack, sender, "necesito detox")
    print([m.get("text") for m in asked])
    assert any("¿Dónde busco?" in (m.get("text") or "") for m in asked)
    insurance = say(stack, sender, "21201")
    print([m.get("text") for m in insurance])
    assert any((m.get("text") or "").startswith("¿Tienes seguro médico?") for m in insurance)
    english = say(stack, new_sender(), "hi")
    assert english[0]["text"].startswith("Hi. I'm an automated assistant")
