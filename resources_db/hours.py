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

from resources_db.clock_words import ALL_DAY, ALL_WEEK, clock, day_abbreviations

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

Span = tuple[int, str, str]


def spec_from_rows(rows: Iterable[tuple[str, dt.time, dt.time]]) -> list[Span]:
    """(byday, opens_at, closes_at) rows -> sorted spec."""
    spec = {
        (BYDAY.index(byday), opens.strftime("%H:%M"), closes.strftime("%H:%M"))
        for byday, opens, closes in rows
        if byday in BYDAY
    }
    return sorted(spec)


def _clock(hhmm: str, language: str) -> str:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return clock(hour, minute, language, short=True)


def _span_text(opens: str, closes: str, language: str) -> str:
    if opens == closes == "00:00":
        return ALL_DAY[language]
    return f"{_clock(opens, language)}–{_clock(closes, language)}"


def format_hours(spec: Sequence[Span], language: str = "en") -> str | None:
    """ "Mon–Fri 8 AM–4 PM; Sat 9 AM–12 PM", "24/7", or None without hours; in Spanish
    (`language` "es") "lun–vie 8 a.m.–4 p.m.; sáb 9 a.m.–12 p.m."."""
    if not spec:
        return None
    names = day_abbreviations(language)
    by_day: dict[int, list[str]] = {}
    for day, opens, closes in spec:
        by_day.setdefault(day, []).append(_span_text(opens, closes, language))
    texts = {day: ", ".join(spans) for day, spans in by_day.items()}
    if len(texts) == 7 and set(texts.values()) == {ALL_DAY[language]}:
        return ALL_WEEK[language]
    groups: list[tuple[int, int, str]] = []
    for day in sorted(texts):
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == texts[day]:
            groups[-1] = (groups[-1][0], day, texts[day])
        else:
            groups.append((day, day, texts[day]))
    parts = []
    for first, last, text in groups:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
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
