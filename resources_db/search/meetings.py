"""Meeting searches: mutual-aid meetings by time window, online, type and fellowship.

A search for the need `mutual_aid` alone that asks a time window (`when`), online meetings,
meeting types or a fellowship is answered here: meetings are few next to facilities (a
large intergroup lists a few thousand), so they are read from `search_entry` directly
(the `(lat, lon)` index, or the online entries, which have no point) and filtered in
Python.

- `online`: only online meetings (virtual location, scope online), from anywhere: no place
  is needed; a given place is echoed but distance plays no part;
- otherwise in-person meetings within the radius, widened to 50, 100 and 200 miles when
  nothing fits (`relaxed`);
- `when`: only meetings whose schedule, in the meeting's own time zone, starts inside the
  window; order is the start, then distance, then id;
- `meeting_types`: every asked type (LGBTQ also matches G, L, BI, T); `fellowship`: meetings
  whose name or group says it; when none does, meetings that do not say (the echo's
  `fellowship_relaxed` tells).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from resources_db.card_words import in_language
from resources_db.hours import is_open
from resources_db.meeting_cards import MUTUAL_AID_BIT, finish_meeting
from resources_db.meeting_time import When, parse_when
from resources_db.search.backends import parsed_sql
from resources_db.search.filters import Filters
from resources_db.search.geometry import bounding_boxes, geodesic_miles
from resources_db.search.query import SearchQuery

RELAX_RADII = (50.0, 100.0, 200.0)
#: a type filter and the codes that satisfy it
TYPE_MATCHES = {"LGBTQ": {"LGBTQ", "G", "L", "BI", "T"}}
_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)

PlaceOf = Callable[[SearchQuery], tuple[float, float, str | None, str | None]]
Echo = Callable[..., dict[str, Any]]
#: (start or None, miles or None, card)
_Found = tuple[dt.datetime | None, float | None, dict[str, Any]]


def is_meeting_search(query: SearchQuery) -> bool:
    return query.needs == ["mutual_aid"] and bool(
        query.when or query.online or query.meeting_types or query.fellowship
    )


def _rows(
    session: Session, query: SearchQuery, box: tuple[float, float, float, float] | None
) -> list[Any]:
    """Meeting entries passing the population and language filters: online ones (box None)
    or those inside one bounding box."""
    filters = Filters.of(SearchQuery(population=query.population, language=query.language))
    where, params = filters.column_sql()
    sql = (
        "SELECT e.id, e.lat, e.lon, e.card, e.hours_spec, e.timezone FROM search_entry e"
        " WHERE (e.need_mask & :meeting) != 0 AND e.national = :no"
    )
    params.update(meeting=MUTUAL_AID_BIT, no=False)
    if box is None:
        sql += " AND e.lat IS NULL"
    else:
        sql += " AND e.lat BETWEEN :min_lat AND :max_lat AND e.lon BETWEEN :min_lon AND :max_lon"
        params.update(min_lat=box[0], max_lat=box[1], min_lon=box[2], max_lon=box[3])
    return list(session.execute(parsed_sql(sql + where), params))


def _types_fit(card: dict[str, Any], wanted: list[str]) -> bool:
    codes = {t["code"] for t in (card.get("meeting") or {}).get("types") or []}
    return all(codes & TYPE_MATCHES.get(code, {code}) for code in wanted)


def _found(
    session: Session,
    query: SearchQuery,
    point: tuple[float, float] | None,
    radius: float | None,
    now: dt.datetime,
    when: When | None,
) -> list[_Found]:
    boxes: list[Any] = (
        [None] if radius is None or point is None else bounding_boxes(point[0], point[1], radius)
    )
    found: list[_Found] = []
    seen: set[int] = set()
    for box in boxes:
        for entry_id, lat, lon, card_json, spec, zone in _rows(session, query, box):
            if entry_id in seen:
                continue
            seen.add(entry_id)
            miles = None
            if point is not None and lat is not None:
                miles = geodesic_miles(point[0], point[1], lat, lon)
                if radius is not None and miles > radius:
                    continue
            card = json.loads(card_json)
            if not _types_fit(card, query.meeting_types):
                continue
            hours = json.loads(spec) if spec else None
            start = finish_meeting(card, hours, zone, now, when, query.card_language)
            if when is not None and start is None:
                continue
            card["distance_miles"] = None if miles is None else round(miles, 1)
            card["open_now"] = is_open(hours, zone, now)
            in_language(card, hours, query.card_language)
            found.append((start, miles, card))
    return found


def _by_fellowship(found: list[_Found], fellowship: str | None) -> tuple[list[_Found], bool]:
    """The meetings of the asked fellowship; when none says it, those that say none (True)."""
    if fellowship is None:
        return found, False
    said = [f for f in found if (f[2].get("meeting") or {}).get("fellowship") == fellowship]
    if said:
        return said, False
    return [f for f in found if not (f[2].get("meeting") or {}).get("fellowship")], True


def _order(item: _Found) -> tuple[dt.datetime, float, str]:
    start, miles, card = item
    return (start.astimezone(dt.UTC) if start else _FAR, miles or 0.0, str(card["id"]))


def meeting_search(
    session: Session, query: SearchQuery, now: dt.datetime, place_of: PlaceOf, echo: Echo
) -> dict[str, Any]:
    """Contract §3 body for a meeting search (see the module docstring)."""
    when = parse_when(query.when) if query.when else None
    near: dict[str, Any] = {"label": None, "lat": None, "lon": None}
    point = None
    if query.near or query.lat is not None:
        lat, lon, label, _state = place_of(query)
        near, point = {"label": label, "lat": lat, "lon": lon}, (lat, lon)
    radii: list[float | None]
    if query.online:
        radii = [None]
    else:
        radii = [query.radius_miles, *(r for r in RELAX_RADII if r > query.radius_miles)]
    found: list[_Found] = []
    fellowship_relaxed = False
    radius: float | None = None
    for radius in radii:
        found, fellowship_relaxed = _by_fellowship(
            _found(session, query, point, radius, now, when), query.fellowship
        )
        if found:
            break
    found.sort(key=_order)
    relaxed = radius != radii[0] or fellowship_relaxed
    shown = int(radius) if radius is not None and float(radius).is_integer() else radius
    body_query = echo(query, near, shown, "radius" if radius is not None else "online", None)
    body_query["fellowship_relaxed"] = fellowship_relaxed
    page = found[query.offset : query.offset + query.limit]
    return {
        "query": body_query,
        "total": len(found),
        "relaxed": relaxed,
        "resources": [card for _, _, card in page],
    }
