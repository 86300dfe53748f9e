"""The contract's shapes in code (../shared/CONTRACT.md, docs/contract.md): the one place the
card's fields are named, for the directory that builds cards, the action server that keeps
some of them, and the web app that passes them on.

Adding a field is fine; renaming or removing one breaks the widget and the API's clients.
"""

from __future__ import annotations

from typing import Any, TypedDict

#: The card fields the assistant keeps in its `shown_resources` slot to answer follow-ups
#: ("what's the number of the second one?").
FOLLOWUP_FIELDS: tuple[str, ...] = (
    "id", "name", "phone", "website", "address", "city", "state", "zip",
    "hours", "open_now", "distance_miles",
)


class Capacity(TypedDict):
    """Reported capacity ("3 of 20 beds"), with when it was reported."""

    available: int
    total: int | None
    unit: str
    updated_at: str | None


class Card(TypedDict):
    """A resource card (contract §2); `meeting` only on mutual-aid meetings."""

    id: str
    name: str
    organization: str | None
    categories: list[str]
    address: str | None
    city: str | None
    state: str | None
    zip: str | None
    lat: float | None
    lon: float | None
    distance_miles: float | None
    phone: str | None
    website: str | None
    insurance: list[str]
    populations: list[str]
    languages: list[str]
    hours: str | None
    open_now: bool | None
    capacity: Capacity | None
    last_verified: str | None
    source: str
    offers: list[str]
    peer_run: bool | None
    cost: str | None
    meeting: dict[str, Any] | None


#: A resource card's fields, in the order the directory writes them (contract §2).
CARD_FIELDS: tuple[str, ...] = tuple(Card.__annotations__)
