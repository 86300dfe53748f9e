"""Frames and payloads the relay sends, and the cleaning of what it receives (no I/O here)."""

from __future__ import annotations

from typing import Any

from core.contract import CARD_FIELDS, FOLLOWUP_FIELDS
from web.i18n import N_, translate
from web.lines import describe, fallback_lines

REQUEST_PEER = "/request_peer"
SHARE_LOCATION = "/share_location"
STOP_WAITING = "/stop_waiting"
WAIT_FOR_PEER = "/wait_for_peer"
BACK_TO_BOT_BUTTON = {"title": N_("Keep chatting with the assistant"), "payload": STOP_WAITING}
PEER_BUTTON = {"title": N_("Talk to a peer"), "payload": REQUEST_PEER}
WAIT_BUTTON = {"title": N_("Wait here for a peer"), "payload": WAIT_FOR_PEER}


def error_frame(code: str, message: str, client_id: str | None = None) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message, "client_id": client_id}


def unavailable_frame(
    client_id: str | None = None, language: str | None = None
) -> dict[str, Any]:
    """What a person is told when the database is down: try again later, or call now (in the
    language their widget shows: the database cannot say which they write in)."""
    return error_frame(
        "unavailable",
        translate(
            language,
            "Sorry, the chat can't take messages right now. Please try again in a few "
            "minutes. If you need someone now: %(lines)s.",
            lines=describe(fallback_lines(language), language),
        ),
        client_id,
    )


def peer_state(conversation_id: str, state: str) -> dict[str, Any]:
    """Tells a console that one of its conversations left it (bot, closed or deleted)."""
    return {"type": "conversation_state", "conversation_id": conversation_id, "state": state}


def state_frame(
    state: str,
    position: int | None = None,
    peer_name: str | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """The person's handoff status (docs/web.md), with the language the person writes in
    ("en", "es", or None while unknown: the widget words its labels in it)."""
    return {"type": "state", "state": state, "position": position, "peer_name": peer_name,
            "language": language}


def without_nul(text: str) -> str:
    """Drop NUL characters: PostgreSQL text cannot hold them (nor can Rasa's tracker store),
    so a message containing one would otherwise fail to be stored at all."""
    return text.replace("\x00", "")


def clean_buttons(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw
        if isinstance(b, dict) and b.get("payload")
    ]


def clean_cards(raw: Any) -> list[dict[str, Any]]:
    """Keep only the contract's card fields from cards a peer chose to send."""
    if not isinstance(raw, list):
        return []
    cards = [card for card in raw[:10] if isinstance(card, dict)]
    return [{key: card.get(key) for key in CARD_FIELDS} for card in cards]


def compact_card(card: dict[str, Any]) -> dict[str, Any]:
    """What the assistant's follow-up answers need of a card (actions/formatting.py)."""
    return {key: card.get(key) for key in FOLLOWUP_FIELDS}


def cards_sent_by_peer(messages: list[dict[str, Any]], limit: int = 10) -> list[dict[str, Any]]:
    """Compact copies of the cards a peer sent since they joined, oldest first, no repeats.

    `messages` are stored message frames in seq order; the peer's part starts at the last
    `peer_joined` notice.
    """
    start = 0
    for index, message in enumerate(messages):
        custom = message.get("custom") or {}
        if message.get("sender") == "system" and custom.get("type") == "peer_joined":
            start = index
    cards: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for message in messages[start:]:
        custom = message.get("custom") or {}
        if message.get("sender") != "peer" or custom.get("type") != "resources":
            continue
        for card in custom.get("resources") or []:
            if not isinstance(card, dict):
                continue
            key = card.get("id") or card.get("name")
            if key in seen:
                continue
            seen.add(key)
            cards.append(compact_card(card))
    return cards[-limit:]
