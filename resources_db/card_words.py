"""The words a search writes on a card, in the person's language (`card_language`).

The index stores cards in English. A Spanish speaker's search rewrites the words the
product makes from data: the weekly hours, the offers, and a meeting's type names (its next
day and time are written in the language when the meeting part is finished). What a source
wrote in its own words (a listing's free-text hours, its cost, names, addresses) stays as
written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from resources_db.hours import Span, format_hours
from resources_db.meeting_cards import type_list
from resources_db.vocabulary import OFFER_LABELS_ES

OFFER_LABELS = {"es": OFFER_LABELS_ES}


def in_language(card: dict[str, Any], spec: Sequence[Span] | None, language: str) -> dict[str, Any]:
    """The card with its product-made words in `language` (unchanged in English)."""
    if language == "en":
        return card
    if spec and card.get("hours") == format_hours(spec):
        card["hours"] = format_hours(spec, language)
    labels = OFFER_LABELS.get(language, {})
    if card.get("offers"):
        card["offers"] = [labels.get(offer, offer) for offer in card["offers"]]
    meeting = card.get("meeting")
    if isinstance(meeting, dict) and meeting.get("types"):
        codes = [t.get("code") for t in meeting["types"] if isinstance(t, dict)]
        meeting["types"] = type_list([c for c in codes if c], language)
    return card
