"""Distances and boxes on the Earth: fast spherical miles, exact WGS-84 geodesic miles."""

from __future__ import annotations

import math

from geographiclib.geodesic import Geodesic  # type: ignore[import-untyped]

EARTH_MILES = 3958.7613
#: bound on |geodesic / spherical - 1| (the ellipsoid differs from the sphere by < 0.6 %)
EPS = 0.01
#: fewest miles in a degree of latitude (and, times cos(lat), of longitude) on WGS84
MILES_PER_DEGREE = 68.7


def spherical_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere (fast; within EPS of the geodesic)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_MILES * math.asin(min(1.0, math.sqrt(h)))


_WGS84 = Geodesic.WGS84
_METRES_PER_MILE = 1609.344


def geodesic_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Exact WGS-84 geodesic distance.

    This is the computation `geopy.distance.geodesic(a, b).miles` performs (geopy delegates
    to geographiclib); calling geographiclib's Inverse with only the DISTANCE output skips
    geopy's point parsing and halves the cost on the search hot path. A test checks that
    both agree.
    """
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]) / (
        _METRES_PER_MILE
    )


def bounding_boxes(lat: float, lon: float, miles: float) -> list[tuple[float, float, float, float]]:
    """(min_lat, max_lat, min_lon, max_lon) boxes that hold every point within `miles`."""
    dlat = miles * (1 + EPS) / MILES_PER_DEGREE
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.0:
        return [(min_lat, max_lat, -180.0, 180.0)]
    dlon = dlat / math.cos(math.radians(widest))
    if dlon >= 180.0:
        return [(min_lat, max_lat, -180.0, 180.0)]
    west, east = lon - dlon, lon + dlon
    if west < -180.0:
        return [(min_lat, max_lat, west + 360.0, 180.0), (min_lat, max_lat, -180.0, east)]
    if east > 180.0:
        return [(min_lat, max_lat, west, 180.0), (min_lat, max_lat, -180.0, east - 360.0)]
    return [(min_lat, max_lat, west, east)]


def inner_half_width(lat0: float, inner_miles: float, a: float, b: float) -> float | None:
    """Half-width in degrees of longitude of the band [a, b] that lies surely inside the
    circle (spherical radius `inner_miles`); None when no part of the band does.

    On a sphere the farthest point of a latitude/longitude box from a point is a corner, so
    the width comes from the two corners' latitudes.
    """
    hav_theta = math.sin(inner_miles / EARTH_MILES / 2) ** 2
    phi0 = math.radians(lat0)
    widths = []
    for corner in (a, b):
        phi = math.radians(corner)
        hav_dphi = math.sin((phi - phi0) / 2) ** 2
        if hav_dphi >= hav_theta:
            return None
        hav_dlon = (hav_theta - hav_dphi) / (math.cos(phi0) * math.cos(phi))
        if hav_dlon >= 1:
            return None
        widths.append(math.degrees(2 * math.asin(math.sqrt(hav_dlon))))
    return min(widths) * (1 - 1e-9)
