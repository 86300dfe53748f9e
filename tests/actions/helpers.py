"""Build rasa_sdk trackers and run actions the way the action server does."""

from __future__ import annotations

import functools
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN: dict[str, Any] = {
    "forms": {"search_form": {"required_slots": ["needs", "location", "insurance"]}},
    "slots": {},
}


def user_event(text: str, intent: str, entities: list[dict[str, Any]] | None = None
               ) -> dict[str, Any]:
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                           "entities": entities or [], "text": text}}


def make_tracker(slots: dict[str, Any] | None = None, text: str = "", intent: str = "inform",
                 events: list[dict[str, Any]] | None = None,
                 new_slots: dict[str, Any] | None = None,
                 entities: list[dict[str, Any]] | None = None) -> Tracker:
    """A tracker whose last user message is `text`; `new_slots` are the just-set candidates."""
    all_slots = {**(slots or {}), **(new_slots or {})}
    history = list(events or []) + [user_event(text, intent)]
    history += [{"event": "slot", "name": k, "value": v} for k, v in (new_slots or {}).items()]
    return Tracker(
        sender_id="test", slots=all_slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9},
                        "entities": list(entities or [])},
        events=history, paused=False, followup_action=None,
        active_loop={"name": "search_form"}, latest_action_name="action_listen",
    )


async def run_action(action: Action, tracker: Tracker
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages, list(events)


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def payloads(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages
            if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@functools.cache
def responses() -> dict[str, Any]:
    """The domain's responses (bot/domain/responses.yml), by name (read once)."""
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "bot" / "domain" / "responses.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]


def response_text(name: str, language: str = "en") -> str:
    """The text Rasa would pick for `name` when the chat_language slot is `language`: the
    variation whose condition names that language, else the one without a condition."""
    variations = responses()[name]
    for variation in variations:
        for condition in variation.get("condition") or []:
            if condition.get("name") == "chat_language" and condition.get("value") == language:
                return str(variation["text"])
    return str(next(v["text"] for v in variations if not v.get("condition")))


def response_names(messages: list[dict[str, Any]]) -> list[str]:
    """The responses the action chose, in order (messages with plain text give "")."""
    return [str(m.get("response") or "") for m in messages if not m.get("custom")]


def rendered(messages: list[dict[str, Any]], language: str = "en") -> str:
    """What the person reads (chat_language `language`): plain texts and responses filled
    in as Rasa fills them."""
    known = responses()
    out: list[str] = []
    for message in messages:
        name = message.get("response")
        if name:
            assert name in known, f"{name} is not a response in the domain"
            template = response_text(name, language)
            variables = {k: v for k, v in message.items() if isinstance(v, str | int | float)}
            out.append(template.format(**variables))
        elif message.get("text"):
            out.append(str(message["text"]))
    return "\n".join(out)
