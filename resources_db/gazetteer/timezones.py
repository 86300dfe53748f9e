"""IANA time zones of a ZIP or of a point (the nearest delivery-area ZIP's)."""

from __future__ import annotations

import math

from resources_db.gazetteer.cache import load_gazetteer


def timezone_for_zip(zip_code: str) -> str | None:
    """IANA time zone of a ZIP ("21201" or "21201-1234"), None when unknown."""
    record = load_gazetteer().zips.get(zip_code.strip()[:5])
    return record.timezone if record else None


def timezone_for(lat: float, lon: float) -> str | None:
    """IANA time zone of the ZIP nearest to the point, None when it has none."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return load_gazetteer().nearest_zip(lat, lon).timezone
