"""The search: the asked radius, then wider (50, 100, 200 miles), the state, national lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from resources_db.geocode import reverse_place
from resources_db.search.candidates import state_candidates
from resources_db.search.filters import Filters
from resources_db.search.meetings import is_meeting_search, meeting_search
from resources_db.search.query import SearchQuery, resolve_near, validate_query
from resources_db.search.radius import radius_search
from resources_db.search.ranking import Ranked, national, rank

#: the wider radii tried, in turn, when the asked radius holds nothing
RELAX_RADII = (50.0, 100.0, 200.0)


def _echo(
    query: SearchQuery,
    place: dict[str, Any],
    radius: float | None,
    scope: str,
    state: str | None,
) -> dict[str, Any]:
    return {
        "need": list(query.needs),
        "near": place,
        "radius_miles": radius,
        "insurance": query.insurance,
        "population": query.population,
        "language": query.language,
        "prefer_language": query.prefer_language,
        "card_language": query.card_language,
        "open_now": query.open_now,
        "limit": query.limit,
        "offset": query.offset,
        "scope": scope,
        "state": state,
        "when": query.when,
        "online": query.online,
        "meeting_types": list(query.meeting_types),
        "fellowship": query.fellowship,
    }


def _place_of(query: SearchQuery) -> tuple[float, float, str | None, str | None]:
    """(lat, lon, label, state) of the search point."""
    if query.lat is not None and query.lon is not None:
        try:
            found = reverse_place(query.lat, query.lon)
            return query.lat, query.lon, found.label, found.state
        except Exception:  # a point far from any ZIP still searches; it just has no label
            return query.lat, query.lon, None, None
    place = query.place or resolve_near(query.near or "")
    query.place = place
    return place.lat, place.lon, place.label, place.state


def _clean_radius(radius: float) -> float | int:
    return int(radius) if float(radius).is_integer() else radius


def search(session: Session, query: SearchQuery, now: dt.datetime | None = None) -> dict[str, Any]:
    """Contract §3 body: {query, total, relaxed, resources}. Raises SearchError."""
    validate_query(query)
    now = now or dt.datetime.now(dt.UTC)
    if is_meeting_search(query):
        return meeting_search(session, query, now, _place_of, _echo)
    lat, lon, label, state = _place_of(query)
    near = {"label": label, "lat": lat, "lon": lon}
    filters = Filters.of(query)

    def body(ranked: Ranked, radius: float | None, scope: str, relaxed: bool) -> dict[str, Any]:
        echo_radius = _clean_radius(radius) if radius is not None else None
        found = {
            "query": _echo(query, near, echo_radius, scope, state if scope == "state" else None),
            "total": ranked.total,
            "relaxed": relaxed,
            "resources": ranked.cards,
        }
        if ranked.speaking is not None:
            found["speaking_total"] = ranked.speaking
        return found

    radius = query.radius_miles
    ranked = radius_search(session, filters, lat, lon, radius, query, now)
    if ranked.total:
        return body(ranked, radius, "radius", False)
    for wider in (r for r in RELAX_RADII if r > radius):
        ranked = radius_search(session, filters, lat, lon, wider, query, now)
        if ranked.total:
            return body(ranked, wider, "radius", True)
    if state:
        candidates = state_candidates(session, filters, state)
        ranked = rank(session, candidates, lat, lon, None, query, now, 0.0)
        if ranked.total:
            return body(ranked, None, "state", True)
    return body(national(session, query), None, "national", True)
