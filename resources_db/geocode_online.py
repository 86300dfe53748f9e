"""Street-address geocoding for admins ("geocode on save"); never called in a chat turn.

``RN_GEOCODER`` chooses the service:

- ``offline`` (default): the bundled gazetteer only (ZIP, city or state centroid).
- ``nominatim:https://host[/path]``: a Nominatim server, with user agent "recovery-navigator".
- ``<service>`` or ``<service>:https://host[/path]``: any geopy geocoder that needs no API key,
  by the name ``geopy.geocoders.get_geocoder_for_service`` knows (for example ``photon``).

Online look-ups are rate limited (one a second, geopy's ``RateLimiter``), remembered in a
small SQLite file under ``var/`` (keyed by the normalized query, including "not found"), and
fall back to the offline gazetteer when the service fails or finds nothing in the US.
"""

from __future__ import annotations

import inspect
import logging
import os
import sqlite3
from collections.abc import Callable, Mapping
from contextlib import closing
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geopy.distance import geodesic  # type: ignore[import-untyped,unused-ignore]
from geopy.exc import GeopyError  # type: ignore[import-untyped,unused-ignore]
from geopy.extra.rate_limiter import RateLimiter  # type: ignore[import-untyped,unused-ignore]
from geopy.geocoders import get_geocoder_for_service  # type: ignore[import-untyped,unused-ignore]

from resources_db.gazetteer import load_gazetteer
from resources_db.geocode import Place, resolve_place, reverse_place

logger = logging.getLogger(__name__)

ENV_VAR = "RN_GEOCODER"
USER_AGENT = "recovery-navigator"
DEFAULT_CACHE_PATH = Path(__file__).resolve().parent.parent / "var" / "geocode-cache.sqlite3"
# An online answer farther than this from every US ZIP centroid is not in our service area.
MAX_MILES_FROM_US_ZIP = 60.0

GeocodeFunction = Callable[..., Any]


class GeocodeCache:
    """Persistent memo of online answers, including "not found", keyed by normalized query."""

    def __init__(self, path: Path | str = DEFAULT_CACHE_PATH) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS geocode_cache ("
                " query TEXT PRIMARY KEY, lat REAL, lon REAL, address TEXT,"
                " created_at TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5.0)

    def get(self, key: str) -> tuple[bool, tuple[float, float, str] | None]:
        """(hit, answer): answer is None for a remembered "not found"."""
        with closing(self._connect()) as connection:
            row = connection.execute(
                "SELECT lat, lon, address FROM geocode_cache WHERE query = ?", (key,)
            ).fetchone()
        if row is None:
            return False, None
        lat, lon, address = row
        return True, (None if lat is None else (float(lat), float(lon), str(address)))

    def put(self, key: str, answer: tuple[float, float, str] | None) -> None:
        lat, lon, address = answer if answer is not None else (None, None, None)
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT OR REPLACE INTO geocode_cache (query, lat, lon, address, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (key, lat, lon, address, datetime.now(UTC).isoformat()),
            )


def normalize_query(text: str) -> str:
    """Cache key text: lower case, single spaces, no surrounding punctuation."""
    return " ".join(text.lower().split()).strip(" ,.;")


class AddressGeocoder:
    """Geocodes addresses with an optional online service, a cache and an offline fallback."""

    def __init__(
        self,
        online: Any | None = None,
        *,
        name: str = "offline",
        cache: GeocodeCache | None = None,
        min_delay_seconds: float = 1.0,
        max_retries: int = 1,
        error_wait_seconds: float = 2.0,
    ) -> None:
        self.name = name
        self.online = online
        self.cache = cache
        self._lookup: GeocodeFunction | None = None
        self._us_only: dict[str, Any] = {}
        if online is not None:
            if "country_codes" in inspect.signature(online.geocode).parameters:
                self._us_only = {"country_codes": "us"}  # Nominatim: search the US only
            self._lookup = RateLimiter(
                online.geocode,
                min_delay_seconds=min_delay_seconds,
                max_retries=max_retries,
                error_wait_seconds=error_wait_seconds,
                swallow_exceptions=False,
            )

    def geocode(self, text: str) -> Place | None:
        """A point for the address, else the offline ZIP/city/state place, else None."""
        if not isinstance(text, str) or not text.strip():
            return None
        online = self._online_place(text)
        return online if online is not None else _offline_place(text)

    def _online_place(self, text: str) -> Place | None:
        if self._lookup is None:
            return None
        key = f"{self.name}|{normalize_query(text)}"
        if self.cache is not None:
            hit, answer = self.cache.get(key)
            if hit:
                return _point_place(answer) if answer else None
        try:
            location = self._lookup(text, exactly_one=True, **self._us_only)
        except (GeopyError, OSError) as error:
            logger.warning(
                "online geocoder %s failed, using the offline gazetteer: %s", self.name, error
            )
            return None  # not cached: the next save tries the service again
        answer = _answer_in_us(location)
        if self.cache is not None:
            self.cache.put(key, answer)
        return _point_place(answer) if answer else None


def _answer_in_us(location: Any) -> tuple[float, float, str] | None:
    if location is None:
        return None
    lat, lon = float(location.latitude), float(location.longitude)
    nearest = load_gazetteer().nearest_zip(lat, lon)
    if geodesic((lat, lon), (nearest.lat, nearest.lon)).miles > MAX_MILES_FROM_US_ZIP:
        return None
    return lat, lon, str(location.address)


def _point_place(answer: tuple[float, float, str]) -> Place:
    """The geocoded point, labelled like every other place ("Towson, MD 21204")."""
    lat, lon, _address = answer
    return reverse_place(lat, lon)


def _offline_place(text: str) -> Place | None:
    lookup = resolve_place(text)
    return lookup.place if lookup.status == "found" else None


def make_geocoder(
    spec: str | None = None,
    *,
    cache_path: Path | str | None = None,
    options: Mapping[str, Any] | None = None,
) -> AddressGeocoder:
    """Build the geocoder named by ``spec`` (default: ``RN_GEOCODER``, else "offline").

    Raises ValueError for a service geopy does not know or a malformed URL.
    """
    spec = (spec if spec is not None else os.environ.get(ENV_VAR, "")).strip() or "offline"
    service, _, url = spec.partition(":")
    service = service.strip().lower()
    if service == "offline":
        return AddressGeocoder(name="offline")
    try:
        geocoder_class = get_geocoder_for_service(service)
    except GeopyError as error:
        raise ValueError(f"{ENV_VAR}: unknown geocoding service {service!r}") from error
    kwargs: dict[str, Any] = {"user_agent": USER_AGENT, **(options or {})}
    if url:
        kwargs.update(_domain_and_scheme(url))
    accepted = inspect.signature(geocoder_class.__init__).parameters
    online = geocoder_class(**{k: v for k, v in kwargs.items() if k in accepted})
    cache = GeocodeCache(cache_path if cache_path is not None else DEFAULT_CACHE_PATH)
    return AddressGeocoder(online, name=spec, cache=cache)


def _domain_and_scheme(url: str) -> dict[str, str]:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{ENV_VAR}: expected http(s)://host[/path], got {url!r}")
    return {"domain": parts.netloc + parts.path.rstrip("/"), "scheme": parts.scheme}


@lru_cache(maxsize=4)
def _geocoder_for(spec: str) -> AddressGeocoder:
    return make_geocoder(spec)


def geocode_address(text: str, geocoder: AddressGeocoder | None = None) -> Place | None:
    """Geocode one address with ``geocoder`` or the one ``RN_GEOCODER`` names."""
    chosen = geocoder or _geocoder_for(os.environ.get(ENV_VAR, "").strip() or "offline")
    return chosen.geocode(text)
