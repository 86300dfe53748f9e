"""The resource card of contract §2: built once per entry, finished per search.

`build_card` makes everything that does not depend on the searcher (stored in the search
index); `finish_card` adds `distance_miles` and `open_now` for one search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS

#: the taxonomy term (taxonomy, code) an attribute links a peer-run service to
PEER_RUN_TERM = ("recovery-navigator", "peer_run")


@dataclass(frozen=True)
class Capacity:
    available: int
    maximum: int | None
    unit: str
    updated_at: dt.datetime


def _ordered(values: Iterable[str], vocabulary: tuple[str, ...]) -> list[str]:
    present = set(values)
    return [value for value in vocabulary if value in present]


def phone_text(number: str, extension: str | None) -> str:
    return f"{number} ext. {extension}" if extension else number


def capacity_json(capacity: Capacity | None) -> dict[str, Any] | None:
    if capacity is None:
        return None
    return {
        "available": capacity.available,
        "total": capacity.maximum,
        "unit": capacity.unit,
        "updated_at": utc_timestamp(capacity.updated_at),
    }


def utc_timestamp(moment: dt.datetime) -> str:
    """`moment` as an ISO 8601 UTC timestamp (`…Z`); a naive one (SQLite) is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_card(
    *,
    id: str,
    name: str,
    organization: str | None,
    categories: Iterable[str],
    address_1: str | None,
    address_2: str | None,
    city: str | None,
    state: str | None,
    zip: str | None,
    lat: float | None,
    lon: float | None,
    phone: str | None,
    website: str | None,
    payments: Iterable[str],
    populations: Iterable[str],
    languages: Iterable[str],
    hours: str | None,
    capacity: Capacity | None,
    last_verified: dt.date | None,
    source: str,
    offers: Iterable[str] = (),
    peer_run: bool = False,
    cost: str | None = None,
) -> dict[str, Any]:
    """A card with every contract field; distance_miles and open_now still null."""
    address = ", ".join(part for part in (address_1, address_2) if part) or None
    return {
        "id": id,
        "name": name,
        "organization": organization,
        "categories": _ordered(categories, NEEDS),
        "address": address,
        "city": city,
        "state": state,
        "zip": zip,
        "lat": lat,
        "lon": lon,
        "distance_miles": None,
        "phone": phone,
        "website": website,
        "insurance": _ordered(payments, PAYMENT_VALUES),
        "populations": _ordered(populations, POPULATIONS),
        "languages": sorted(set(languages)),
        "hours": hours,
        "open_now": None,
        "capacity": capacity_json(capacity),
        "last_verified": last_verified.isoformat() if last_verified else None,
        "source": source,
        "offers": list(offers),
        "peer_run": peer_run,
        "cost": cost,
        "meeting": None,
    }


def finish_card(
    card: dict[str, Any], distance_miles: float | None, open_now: bool | None
) -> dict[str, Any]:
    card.setdefault("offers", [])  # an entry indexed before cards had offers
    card["distance_miles"] = None if distance_miles is None else round(distance_miles, 1)
    card["open_now"] = open_now
    return card
