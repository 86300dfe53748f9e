"""People who write in Spanish are offered to the peers who speak it first (issue 17).

Two steps, so several web instances agree:

1. Where the queue is read (the relay), `queue_frame` gives each entry an `offer`
   (`{"language": "es", "until": …}`) when the person writes in a language some *available*
   peer speaks (online in `peer_presence`, seen within the presence window). `until` is
   `waiting_since` + RN_LANGUAGE_MATCH_SECONDS. An urgent entry never has an offer, nor does
   one whose language no available peer speaks: everyone sees those at once.
2. Each console gets `view_for` its peer (web/peer_hub.py, on every instance): urgent entries
   first, then the people who write in a language the peer speaks (marked `language_match`),
   then everyone else, each group in the order of the shared line. An entry on offer is left
   out for peers who do not speak its language until `until`.

So nobody waiting is hidden from every peer: while an entry is on offer, a peer who speaks its
language is available and sees it, and after `until` (at most RN_LANGUAGE_MATCH_SECONDS past
the start of the wait) every peer does. `position` stays the place in the shared line (crisis
first, then the longest wait); the offer changes who sees a person first, never their number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from web.handoff import QueueEntry
from web.models import PEER_LANGUAGES, utcnow

Frame = dict[str, Any]


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def offer(entry: QueueEntry, available: frozenset[str], grace_seconds: int) -> Frame | None:
    """Who sees this person first, and until when; None: every peer, now."""
    language = entry.language
    if entry.urgent or language not in PEER_LANGUAGES or language not in available:
        return None
    return {"language": language,
            "until": _iso(entry.waiting_since + timedelta(seconds=grace_seconds))}


def queue_frame(
    entries: Iterable[QueueEntry], available: frozenset[str], grace_seconds: int,
    now: datetime | None = None,
) -> Frame:
    """The shared queue frame, every entry with its offer: what all instances fan out."""
    now = now or utcnow()
    return {"type": "queue",
            "items": [{**entry.frame(now), "offer": offer(entry, available, grace_seconds)}
                      for entry in entries]}


def visible_to(item: Frame, languages: Iterable[str], now: datetime) -> bool:
    """Whether a peer who speaks these languages (and English) sees this entry now."""
    on_offer = item.get("offer")
    if item.get("urgent") or not on_offer:
        return True
    return on_offer["language"] in languages or now >= _moment(on_offer["until"])


def view_for(frame: Frame, languages: Iterable[str], now: datetime | None = None) -> Frame:
    """One peer's queue: what they see, in the order they should take it."""
    now = now or utcnow()
    spoken = frozenset(languages)
    shown = []
    for item in frame.get("items", []):
        if not visible_to(item, spoken, now):
            continue
        waited = now - _moment(item["waiting_since"])
        shown.append({**item, "waited_seconds": max(0, int(waited.total_seconds())),
                      "language_match": item.get("language") in spoken})
    # sorted() keeps the shared line's order within each group
    shown = sorted(shown, key=lambda i: (not i.get("urgent"), not i["language_match"]))
    return {**frame, "items": shown}


def next_change(frame: Frame, now: datetime | None = None) -> datetime | None:
    """When the next offer ends, so the consoles of other peers get that entry then."""
    now = now or utcnow()
    ends = [_moment(item["offer"]["until"]) for item in frame.get("items", [])
            if item.get("offer") and not item.get("urgent")]
    later = [end for end in ends if end > now]
    return min(later) if later else None
