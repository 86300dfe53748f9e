"""Regular opening hours: human-readable text and "open now" in the location's time zone.

Hours travel as a compact spec: a list of `[weekday, "HH:MM", "HH:MM"]` with weekday 0 for
Monday. A closing time at or before the opening time means the span runs past midnight
(`["00:00", "00:00"]` is the whole day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import us

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Span = tuple[int, str, str]


def spec_from_rows(rows: Iterable[tuple[str, dt.time, dt.time]]) -> list[Span]:
    """(byday, opens_at, closes_at) rows -> sorted spec."""
    spec = {
        (BYDAY.index(byday), opens.strftime("%H:%M"), closes.strftime("%H:%M"))
        for byday, opens, closes in rows
        if byday in BYDAY
    }
    return sorted(spec)


def _clock(hhmm: str) -> str:
    hour, minute = (int(part) for part in hhmm.split(":"))
    suffix = "AM" if hour < 12 else "PM"
    hour12 = hour % 12 or 12
    return f"{hour12}:{minute:02d} {suffix}" if minute else f"{hour12} {suffix}"


def _span_text(opens: str, closes: str) -> str:
    if opens == closes == "00:00":
        return "24 hours"
    return f"{_clock(opens)}–{_clock(closes)}"


def format_hours(spec: Sequence[Span]) -> str | None:
    """ "Mon–Fri 8 AM–4 PM; Sat 9 AM–12 PM", "24/7", or None without hours."""
    if not spec:
        return None
    by_day: dict[int, list[str]] = {}
    for day, opens, closes in spec:
        by_day.setdefault(day, []).append(_span_text(opens, closes))
    texts = {day: ", ".join(spans) for day, spans in by_day.items()}
    if len(texts) == 7 and set(texts.values()) == {"24 hours"}:
        return "24/7"
    groups: list[tuple[int, int, str]] = []
    for day in sorted(texts):
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == texts[day]:
            groups[-1] = (groups[-1][0], day, texts[day])
        else:
            groups.append((day, day, texts[day]))
    parts = []
    for first, last, text in groups:
        days = DAY_NAMES[first] if first == last else f"{DAY_NAMES[first]}–{DAY_NAMES[last]}"
        parts.append(f"{days} {text}")
    return "; ".join(parts)


def _minutes(hhmm: str) -> int:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return hour * 60 + minute


def is_open(spec: Sequence[Span] | None, timezone: str | None, now: dt.datetime) -> bool | None:
    """Whether a place with these hours is open at `now`; None when hours or zone unknown."""
    if not spec or not timezone:
        return None
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    local = now.astimezone(zone)
    today, minute = local.weekday(), local.hour * 60 + local.minute
    yesterday = (today - 1) % 7
    for day, opens, closes in spec:
        start, end = _minutes(opens), _minutes(closes)
        if end > start:
            if day == today and start <= minute < end:
                return True
        else:  # runs past midnight
            if day == today and minute >= start:
                return True
            if day == yesterday and minute < end:
                return True
    return False


def state_timezone(state: str | None) -> str | None:
    """The time zone of a state that has only one (MD -> America/New_York), else None."""
    if not state:
        return None
    found = us.states.lookup(state)
    zones = list(found.time_zones) if found else []
    return zones[0] if len(zones) == 1 else None
