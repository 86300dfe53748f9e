"""Plain-language text for what the assistant says about needs, places and resource cards.

Everything a person reads from the actions is worded here, so the voice stays the same:
short, plain, person-first, and respectful of every path to recovery.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.contract import FOLLOWUP_FIELDS
from resources_db.understand.vocabulary import need_labels

ORDINAL_WORDS: tuple[str, ...] = ("first", "second", "third", "fourth", "fifth")


#: Words for keys that are not needs of the contract (the broad "treatment" search).
_OTHER_LABELS = {"en": {"treatment": "treatment"}, "es": {"treatment": "tratamiento"}}


def need_label(need: str, language: str = "en") -> str:
    """How a need key reads in a sentence ("Here is what I found for ..."): its label (or,
    for "es", `label_es`) in resources_db/need_words.yml; the key itself if it is unknown."""
    known = need_labels(language).get(need) or _OTHER_LABELS.get(language, {}).get(need)
    return known or need.replace("_", " ")


def compact_card(card: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a resource card that follow-up questions need."""
    return {field: card.get(field) for field in FOLLOWUP_FIELDS}


def card_line(position: int, card: Mapping[str, Any]) -> str:
    """One numbered line: name, distance, phone, and what else it offers (the card's `offers`)."""
    parts = [f"{position}. {card.get('name') or 'Unnamed service'}"]
    distance = card.get("distance_miles")
    if isinstance(distance, int | float):
        parts.append(f"{distance:.1f} miles")
    parts.append(card.get("phone") or "no phone listed")
    offers = [str(offer) for offer in card.get("offers") or [] if offer]
    if offers:
        parts.append("also offers " + ", ".join(offers))
    return ", ".join(parts)


def results_summary(
    need: str, place: str | None, cards: Sequence[Mapping[str, Any]], first_position: int = 1,
    shown_in_text: int = 3,
) -> str:
    """Short plain-text summary of the top results (the cards carry the details)."""
    where = f" near {place}" if place else ""
    lines = [f"Here is what I found for {need_label(need)}{where}:"]
    for offset, card in enumerate(cards[:shown_in_text]):
        lines.append(card_line(first_position + offset, card))
    if len(cards) > shown_in_text:
        lines.append(f"(and {len(cards) - shown_in_text} more in the list)")
    lines.append('Ask me for their number, address or hours, or say "more" to see more.')
    return "\n".join(lines)


def relaxed_notice() -> str:
    return ("I didn't find anything that matched exactly, so I widened the search. "
            "These may be farther away or not match every detail.")


def no_results_text(need: str, place: str | None) -> str:
    where = f" near {place}" if place else ""
    return f"I couldn't find {need_label(need)}{where} in my directory."


def national_line_text(line: Mapping[str, Any]) -> str:
    """One national line: name, then how to reach it (only numbers from the national list)."""
    ways: list[str] = []
    if line.get("phone"):
        ways.append(f"call {line['phone']}")
    if line.get("text"):
        text = str(line["text"])
        ways.append(text if text.lower().startswith("text") else f"text {text}")
    if line.get("website"):
        ways.append(str(line["website"]))
    how = ", ".join(ways) if ways else "see their website"
    return f"- {line.get('name')}: {how}"


def address_text(card: Mapping[str, Any]) -> str:
    name = card.get("name") or "That place"
    place = ", ".join(
        part for part in (card.get("address"), card.get("city"),
                          " ".join(p for p in (card.get("state"), card.get("zip")) if p))
        if part
    )
    if not card.get("address"):
        if place:
            return f"I don't have a street address for {name}, only that it is in {place}."
        return f"I don't have an address for {name}."
    return f"{name} is at {place}."


def phone_text(card: Mapping[str, Any]) -> str:
    name = card.get("name") or "That place"
    if card.get("phone"):
        return f"You can call {name} at {card['phone']}."
    if card.get("website"):
        return f"I don't have a phone number for {name}. Their website is {card['website']}."
    return f"I don't have a phone number for {name}."


def hours_text(card: Mapping[str, Any]) -> str:
    name = card.get("name") or "That place"
    open_now = card.get("open_now")
    status = ""
    if open_now is True:
        status = " They should be open now."
    elif open_now is False:
        status = " They are probably closed right now."
    if card.get("hours"):
        return f"{name}: {card['hours']}.{status}"
    call = f" It's best to call first: {card['phone']}." if card.get("phone") else ""
    return f"I don't have the hours for {name}.{call}"
