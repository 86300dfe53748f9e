"""How old directory facts may get before admins and people are told they may be out of date."""

from __future__ import annotations

import datetime as dt

#: beds and slots change daily: a count older than this is shown as possibly out of date
CAPACITY_MAX_AGE = dt.timedelta(hours=24)
#: a listing nobody has confirmed for this long goes on the stale-verification report
VERIFICATION_MAX_AGE = dt.timedelta(days=180)


def capacity_is_stale(updated_at: dt.datetime | str | None, now: dt.datetime) -> bool:
    """True when a capacity report is older than 24 hours (or has no usable time)."""
    if updated_at is None:
        return True
    if isinstance(updated_at, str):
        try:
            updated_at = dt.datetime.fromisoformat(updated_at.replace("Z", "+00:00"))
        except ValueError:
            return True
    if updated_at.tzinfo is None:
        updated_at = updated_at.replace(tzinfo=dt.UTC)
    return now - updated_at > CAPACITY_MAX_AGE
