"""When a meeting is: time windows ("tonight", "saturday morning") and the next start.

A window is asked as a key, `<day>` or `<day>_<part>`: day `now`, `today`, `tonight`,
`tomorrow` or a weekday (`saturday`); part `morning`, `afternoon`, `evening` or `night`.
Windows are wall-clock times: each meeting's schedule is read in its own time zone, so
"tonight" means tonight where the meeting is held (an online meeting in Chicago and one in
Baltimore are both "tonight" from 5 PM their time).

Schedules travel as the search index's hours spec: `[weekday (0 Monday), "HH:MM", "HH:MM"]`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from resources_db import clock_words

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAYS = ("now", "today", "tonight", "tomorrow", *WEEKDAYS)
#: parts of a day as minutes after its midnight (night runs to 3 AM the next day)
PARTS = {
    "morning": (5 * 60, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "evening": (17 * 60, 24 * 60),
    "night": (17 * 60, 27 * 60),
}
WHOLE_DAY = (0, 24 * 60)
#: "now": meetings that started up to this long ago (one can still join) or start within
#: the next hour
NOW_GRACE = dt.timedelta(minutes=10)
NOW_AHEAD = dt.timedelta(hours=1)
#: before this hour, "tonight" is still the night that began yesterday evening
NIGHT_ENDS_HOUR = 3

Span = Sequence[object]


@dataclass(frozen=True)
class When:
    """A time window asked of a meeting search."""

    day: str
    part: str | None = None

    @property
    def key(self) -> str:
        return f"{self.day}_{self.part}" if self.part else self.day

    def window(self, local_now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) in the time zone of `local_now` (a meeting's zone)."""
        if self.day == "now":
            return local_now - NOW_GRACE, local_now + NOW_AHEAD
        today = local_now.date()
        if self.day == "tonight" and local_now.hour < NIGHT_ENDS_HOUR:
            today -= dt.timedelta(days=1)
        if self.day in ("today", "tonight"):
            offset = 0
        elif self.day == "tomorrow":
            offset = 1
        else:
            offset = (WEEKDAYS.index(self.day) - today.weekday()) % 7
        part = self.part or ("night" if self.day == "tonight" else None)
        first, last = PARTS[part] if part else WHOLE_DAY
        midnight = dt.datetime.combine(
            today + dt.timedelta(days=offset), dt.time(), tzinfo=local_now.tzinfo
        )
        start = _wall(midnight, first)
        end = _wall(midnight, last)
        if self.day in ("today", "tonight") or offset == 0:
            start = max(start, local_now - NOW_GRACE)
        return start, end


def _wall(midnight: dt.datetime, minutes: int) -> dt.datetime:
    """The wall-clock time `minutes` after `midnight` (same zone, across DST changes)."""
    days, rest = divmod(minutes, 24 * 60)
    date = midnight.date() + dt.timedelta(days=days)
    return dt.datetime.combine(date, dt.time(rest // 60, rest % 60), tzinfo=midnight.tzinfo)


def parse_when(key: str) -> When:
    """A window key ("tonight", "saturday_morning"); ValueError for anything else."""
    day, _, part = key.strip().lower().partition("_")
    if day not in DAYS or (part and part not in PARTS) or (part and day in ("now", "tonight")):
        raise ValueError(f"unknown time window {key!r}")
    return When(day, part or None)


def zone_of(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _starts(spec: Sequence[Span], first: dt.date, days: int, zone: ZoneInfo) -> list[dt.datetime]:
    starts = []
    for index in range(days):
        date = first + dt.timedelta(days=index)
        for weekday, opens, _closes in spec:
            if weekday == date.weekday():
                hour, minute = (int(p) for p in str(opens).split(":"))
                starts.append(dt.datetime.combine(date, dt.time(hour, minute), tzinfo=zone))
    return sorted(starts)


def first_start(
    spec: Sequence[Span] | None,
    timezone: str | None,
    now: dt.datetime,
    when: When | None = None,
) -> dt.datetime | None:
    """The meeting's first start inside `when` (in its own zone), or with no window its next
    start from now (one that began up to ten minutes ago counts); None if there is none or
    the schedule or zone is unknown. The result is in the meeting's zone."""
    zone = zone_of(timezone)
    if not spec or zone is None:
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    local_now = now.astimezone(zone)
    if when is None:
        start, end = local_now - NOW_GRACE, local_now + dt.timedelta(days=7)
    else:
        start, end = when.window(local_now)
    days = (end.date() - start.date()).days + 1
    for found in _starts(spec, start.date(), days, zone):
        if start <= found < end:
            return found
    return None


def clock(moment: dt.datetime, language: str = "en") -> str:
    """ "7:00 PM" ("7:00 p.m." in Spanish)"""
    return clock_words.clock(moment.hour, moment.minute, language)


def day_text(start: dt.datetime, language: str = "en") -> str:
    """ "Sat" ("sáb")"""
    return clock_words.day_abbreviations(language)[start.weekday()]


def next_text(start: dt.datetime, now: dt.datetime, language: str = "en") -> str:
    """How the next meeting reads on a card: "Tonight 7:00 PM", "Today 10:00 AM",
    "Tomorrow 7:00 AM", "Sat 10:00 AM" (in the meeting's zone); in Spanish "Esta noche
    7:00 p.m.", "sáb 10:00 a.m."."""
    local_now = now.astimezone(start.tzinfo) if now.tzinfo else now
    days = (start.date() - local_now.date()).days
    relative = clock_words.RELATIVE_DAYS.get(language, clock_words.RELATIVE_DAYS["en"])
    if days == 0:
        day = relative["tonight" if start.hour >= 17 or start.hour < NIGHT_ENDS_HOUR else "today"]
    elif days == 1:
        day = relative["tomorrow"]
    else:
        day = day_text(start, language)
    return f"{day} {clock(start, language)}"
