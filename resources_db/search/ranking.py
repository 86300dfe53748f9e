"""The page of cards among candidates: nearest first by geodesic distance, then id.

With a preferred language (`SearchQuery.prefer_language`, a Spanish speaker's search), the
entries whose staff speak it come first, each group nearest first: nothing is left out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from resources_db.card_words import in_language
from resources_db.cards import finish_card
from resources_db.hours import is_open
from resources_db.meeting_cards import finish_meeting
from resources_db.search.backends import backend_of, parsed_sql
from resources_db.search.candidates import exact_points
from resources_db.search.geometry import EPS, geodesic_miles, spherical_miles
from resources_db.search.query import SearchQuery
from resources_db.vocabulary import NEEDS, mask_of


@dataclass
class Ranked:
    """A page of finished cards and how many matched in all."""

    total: int
    cards: list[dict[str, Any]]
    #: how many of `total` speak the preferred language (None when none was asked)
    speaking: int | None = None


#: a candidate within the radius: (spherical miles, lat, lon) by entry id
_Inside = dict[int, tuple[float, float, float]]


def rank(
    session: Session,
    candidates: list[tuple[int, float, float]],
    lat: float,
    lon: float,
    radius: float | None,
    query: SearchQuery,
    now: dt.datetime,
    slack: float,
) -> Ranked:
    """The page among `candidates` (id, lat, lon; points within `slack` miles)."""
    inside, exact_of = _within(session, candidates, lat, lon, radius, slack)
    opens: dict[int, bool | None] = {}
    if query.open_now and inside:
        inside, opens = _open_only(session, inside, now)
    total = len(inside)
    wanted = query.offset + query.limit
    speaking = _speaking(session, inside, query.prefer_language)
    count = None if speaking is None else len(speaking)
    if total == 0 or query.offset >= total:
        return Ranked(total, [], count)
    ids = _reach(inside, speaking or set(), wanted, slack)
    cards = _cards(session, ids, lat, lon, exact_of, opens, now, query.card_language)
    language = query.prefer_language
    cards.sort(key=lambda item: (not _speaks(item[2], language), item[0], item[1]))
    return Ranked(total, [card for _, _, card in cards[query.offset : wanted]], count)


def _speaking(session: Session, inside: _Inside, language: str | None) -> set[int] | None:
    """The entries whose listed languages include `language` (None when none is asked)."""
    if not language or not inside:
        return None if not language else set()
    rows = backend_of(session).fetch(session, "languages", list(inside))
    return {entry_id for entry_id, languages in rows if f",{language}," in (languages or "")}


def _speaks(card: Mapping[str, Any], language: str | None) -> bool:
    return bool(language) and language in (card.get("languages") or [])


def _reach(inside: _Inside, speaking: set[int], wanted: int, slack: float) -> list[int]:
    """The entries that can be on the page: the nearest of those speaking the preferred
    language, then (if the page reaches past them) the nearest of the others."""
    if not speaking:
        return _page_reach(inside, wanted, slack)
    first = {k: v for k, v in inside.items() if k in speaking}
    ids = _page_reach(first, wanted, slack)
    if len(first) < wanted:
        rest = {k: v for k, v in inside.items() if k not in speaking}
        ids += _page_reach(rest, wanted - len(first), slack) if rest else []
    return ids


def _within(
    session: Session,
    candidates: list[tuple[int, float, float]],
    lat: float,
    lon: float,
    radius: float | None,
    slack: float,
) -> tuple[_Inside, dict[int, float]]:
    """The candidates within `radius` (all when None), and the exact geodesic miles of
    those that needed it to decide."""
    inside: _Inside = {}
    unsure: set[int] = set()
    for entry_id, clat, clon in candidates:
        approx = spherical_miles(lat, lon, clat, clon)
        if radius is not None:
            if approx - slack > radius * (1 + EPS):
                continue
            if approx + slack >= radius * (1 - EPS):
                unsure.add(entry_id)
        inside[entry_id] = (approx, clat, clon)
    exact_of: dict[int, float] = {}
    if unsure:
        points = {i: inside[i][1:] for i in unsure}
        for entry_id, (plat, plon) in exact_points(session, list(unsure), points, slack).items():
            exact = geodesic_miles(lat, lon, plat, plon)
            if radius is not None and exact > radius:
                del inside[entry_id]
            else:
                exact_of[entry_id] = exact
    return inside, exact_of


def _open_only(
    session: Session, inside: _Inside, now: dt.datetime
) -> tuple[_Inside, dict[int, bool | None]]:
    """The entries open at `now`, and whether each entry read is open."""
    opens: dict[int, bool | None] = {}
    rows = backend_of(session).fetch(session, "hours_spec, timezone", list(inside))
    for entry_id, spec, zone in rows:
        opens[entry_id] = is_open(json.loads(spec) if spec else None, zone, now)
    return {k: v for k, v in inside.items() if opens.get(k)}, opens


def _page_reach(inside: _Inside, wanted: int, slack: float) -> list[int]:
    """The entries that can be among the `wanted` nearest (nearest first, approximately)."""
    by_approx = sorted(inside.items(), key=lambda item: item[1][0])
    if len(inside) > wanted:
        # the wanted-th entry is at most (a + slack)(1 + EPS) away; an entry whose
        # distance is surely larger cannot be on the page
        limit = by_approx[wanted - 1][1][0] + slack
        threshold = limit * (1 + EPS) / (1 - EPS) + slack
        by_approx = [item for item in by_approx if item[1][0] <= threshold]
    return [entry_id for entry_id, _ in by_approx]


def _cards(
    session: Session,
    ids: list[int],
    lat: float,
    lon: float,
    exact_of: Mapping[int, float],
    opens: Mapping[int, bool | None],
    now: dt.datetime,
    language: str = "en",
) -> list[tuple[float, str, dict[str, Any]]]:
    """(geodesic miles, card id, finished card, worded in `language`) of these entries."""
    rows = backend_of(session).fetch(session, "card, hours_spec, timezone, lat, lon", ids)
    cards = []
    for entry_id, card_json, spec, zone, elat, elon in rows:
        miles = exact_of.get(entry_id)
        if miles is None:
            miles = geodesic_miles(lat, lon, elat, elon)
        card = json.loads(card_json)
        open_now = (
            opens[entry_id]
            if entry_id in opens
            else (is_open(json.loads(spec) if spec else None, zone, now))
        )
        hours = json.loads(spec) if spec else None
        finish_meeting(card, hours, zone, now, language=language)
        card = in_language(finish_card(card, miles, open_now), hours, language)
        cards.append((miles, card["id"], card))
    return cards


def national(session: Session, query: SearchQuery) -> Ranked:
    """The page of national lines for the needs (all of them when no need is asked)."""
    need = mask_of(query.needs, NEEDS)
    sql = "SELECT id, card FROM search_entry WHERE national = :yes"
    params: dict[str, Any] = {"yes": True}
    if need:
        sql += " AND (need_mask & :need) != 0"
        params["need"] = need
    rows = list(session.execute(parsed_sql(sql + " ORDER BY id"), params))
    cards = [
        in_language(finish_card(json.loads(card), None, None), None, query.card_language)
        for _, card in rows
    ]
    return Ranked(len(cards), cards[query.offset : query.offset + query.limit])
