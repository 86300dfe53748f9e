"""Button payloads in the domain's responses reach the person exactly, and fill cleanly.

Rasa fills every response it sends with the conversation's slots (its interpolator turns
each `{name}` into a `str.format` field). A payload that carries entities,
`/inform{"insurance": "medicaid"}`, has braces of its own: written like that, Rasa took
`"insurance": "medicaid"` for a slot name, logged an error with a traceback for every
button of every insurance question (615 in one benchmark run) and spent about half a
millisecond on each, then sent the payload unchanged. Written with doubled braces, the
fill gives the same payload with no error. `tests/bot/check_responses.py` checks the same
in Rasa itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

RESPONSES = Path(__file__).resolve().parents[2] / "bot" / "domain" / "responses.yml"
#: What Rasa reads as an intent with entities: "/intent" or "/intent{...json...}".
PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$")


def _buttons() -> list[tuple[str, int, dict[str, Any]]]:
    responses = yaml.safe_load(RESPONSES.read_text(encoding="utf-8"))["responses"]
    return [(name, n, button) for name, variations in responses.items()
            for n, variation in enumerate(variations)
            for button in variation.get("buttons") or []]


@pytest.mark.parametrize(("name", "variation", "button"), [
    pytest.param(name, n, button, id=f"{name}[{n}] {button['payload']}")
    for name, n, button in _buttons()
])
def test_a_button_payload_fills_to_the_payload_it_means(
    name: str, variation: int, button: dict[str, Any]
) -> None:
    filled = str(button["payload"]).format()  # a payload takes no variable
    match = PAYLOAD.match(filled)
    assert match, f"{name}[{variation}]: {filled!r} is not an intent payload"
    if match["entities"]:
        assert isinstance(json.loads(match["entities"]), dict)


def test_there_are_buttons_with_entities() -> None:
    """The check above is about payloads with entities: the domain has them."""
    assert sum("{" in str(button["payload"]) for _, _, button in _buttons()) >= 10
