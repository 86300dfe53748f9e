"""The `meeting` part of a mutual-aid card: online or in person, type codes, fellowship,
and (per search) the next meeting's day and time.

Built when the search index is written (`with_meetings` wraps the index's entries) and
finished per search (`finish_meeting`). Cards of other services have `meeting: null`.

    "meeting": {"online": false, "types": [{"code": "O", "name": "Open"}],
                "fellowship": "AA", "next": "Tonight 7:00 PM", "day": "Sat",
                "time": "7:00 PM", "starts_at": "2026-12-05T19:00:00-05:00"}
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from resources_db.meeting_time import When, clock, day_text, first_start, next_text
from resources_db.models import Attribute, TaxonomyTerm
from resources_db.vocabulary import NEEDS

MUTUAL_AID_BIT = 1 << NEEDS.index("mutual_aid")
#: the fellowship a meeting's name or group names, in so many words (never guessed from a
#: feed's host); "NA"/"AA" only as capitalized words
FELLOWSHIPS = (
    ("NA", re.compile(r"narcotics anonymous|\bNA\b", re.IGNORECASE), re.compile(r"\bNA\b")),
    ("AA", re.compile(r"alcoholics anonymous|\bAA\b", re.IGNORECASE), re.compile(r"\bAA\b")),
)
CHUNK = 500


def fellowship_of(*texts: str | None) -> str | None:
    """ "NA" or "AA" when the meeting's name or group says so; None when unsaid or both."""
    found = set()
    for text in filter(None, texts):
        for key, words, capitals in FELLOWSHIPS:
            match = words.search(text)
            if match and (len(match.group(0)) > 2 or capitals.search(text)):
                found.add(key)
    return found.pop() if len(found) == 1 else None


def type_list(codes: Iterable[str], language: str = "en") -> list[dict[str, str]]:
    """Type codes as {code, name} in `language` (English where it has no name), in the
    order of types.json."""
    from resources_db.importers.meeting_guide import meeting_types, type_name

    order = {code: index for index, code in enumerate(meeting_types())}
    known = sorted((c for c in set(codes) if c in order), key=order.__getitem__)
    return [{"code": code, "name": type_name(code, language) or code} for code in known]


def _codes(session: Session, service_ids: Sequence[str]) -> dict[str, list[str]]:
    from resources_db.importers.meeting_guide import TYPES_TAXONOMY

    found: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(service_ids), CHUNK):
        rows = session.execute(
            select(Attribute.link_id, TaxonomyTerm.code)
            .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .where(
                TaxonomyTerm.taxonomy == TYPES_TAXONOMY,
                Attribute.link_id.in_(service_ids[start : start + CHUNK]),
            )
        )
        for service_id, code in rows:
            found[service_id].append(code)
    return found


def _part(entry: dict[str, Any], card: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    return {
        "online": entry["lat"] is None and not entry["national"],
        "types": type_list(codes),
        "fellowship": fellowship_of(card.get("name"), card.get("organization")),
        "next": None,
        "day": None,
        "time": None,
        "starts_at": None,
    }


def _with_parts(session: Session, batch: list[dict[str, Any]]) -> None:
    meetings = [e for e in batch if e["need_mask"] & MUTUAL_AID_BIT]
    codes = _codes(session, sorted({e["service_id"] for e in meetings}))
    for entry in meetings:
        card = json.loads(entry["card"])
        card["meeting"] = _part(entry, card, codes.get(entry["service_id"], []))
        entry["card"] = json.dumps(card)


def with_meetings(session: Session, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The index's entries, mutual-aid cards with their `meeting` part."""
    batch: list[dict[str, Any]] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= CHUNK:
            _with_parts(session, batch)
            yield from batch
            batch.clear()
    _with_parts(session, batch)
    yield from batch


def finish_meeting(
    card: dict[str, Any],
    spec: Sequence[Any] | None,
    timezone: str | None,
    now: dt.datetime,
    when: When | None = None,
    language: str = "en",
) -> dt.datetime | None:
    """Fill the next meeting's day and time (inside `when`, if asked) on a card, worded in
    `language`; returns that start (None when there is none)."""
    part = card.get("meeting")
    if not isinstance(part, dict):
        return None
    start = first_start(spec, timezone, now, when)
    if start is not None:
        part.update(
            next=next_text(start, now, language),
            day=day_text(start, language),
            time=clock(start, language),
            starts_at=start.isoformat(),
        )
    return start
