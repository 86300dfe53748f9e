"""The page within a radius, reading a box that grows only as far as the page needs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from resources_db.search.backends import backend_of
from resources_db.search.candidates import box_candidates
from resources_db.search.counting import count_within
from resources_db.search.filters import Filters
from resources_db.search.geometry import EPS, bounding_boxes, spherical_miles
from resources_db.search.query import SearchQuery
from resources_db.search.ranking import Ranked, rank

#: the first box searched is this share of the radius (at least FIRST_BOX_MIN_MILES)
FIRST_BOX_SHARE = 0.25
FIRST_BOX_MIN_MILES = 2.0
#: when the first box suggests at most this many matches in the radius, read them all
FULL_READ_MAX = 5000
#: when the first box already holds the page, the total still needs the whole radius:
#: read it too if the first box suggests at most this many matches, else count them
COUNT_READ_MAX = 2000


def radius_search(
    session: Session,
    filters: Filters,
    lat: float,
    lon: float,
    radius: float,
    query: SearchQuery,
    now: dt.datetime,
) -> Ranked:
    """The page within `radius`, reading a box that grows until it surely holds the page.

    A box around the radius r holds every entry closer than r; once at least offset+limit
    entries are surely closer than r, no entry outside the box can be on the page, and the
    total comes from `count_within`. When the first box shows the radius holds few matches
    (or `open_now` needs every entry's hours), the whole radius is read at once.
    """
    wanted = query.offset + query.limit
    slack = backend_of(session).slack
    box = min(radius, max(radius * FIRST_BOX_SHARE, FIRST_BOX_MIN_MILES))
    if query.open_now:
        box = radius
    while True:
        candidates = box_candidates(session, filters, bounding_boxes(lat, lon, box))
        if box >= radius:
            return rank(session, candidates, lat, lon, radius, query, now, slack)
        sure = box * (1 - EPS) - slack
        near = sum(
            1 for _, clat, clon in candidates if spherical_miles(lat, lon, clat, clon) <= sure
        )
        estimate = len(candidates) * (radius / box) ** 2
        if near >= wanted:
            if estimate > COUNT_READ_MAX:
                break
            box = radius  # reading the few matches costs less than counting them
            continue
        box = radius if estimate <= FULL_READ_MAX else min(radius, box * 2)
    total = count_within(session, filters, lat, lon, radius)
    if total is None:
        candidates = box_candidates(session, filters, bounding_boxes(lat, lon, radius))
        return rank(session, candidates, lat, lon, radius, query, now, slack)
    ranked = rank(session, candidates, lat, lon, radius, query, now, slack)
    return Ranked(total, ranked.cards)
