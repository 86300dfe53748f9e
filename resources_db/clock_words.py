"""Days and clock times as a person reads them, in English or Spanish.

Day abbreviations and clock formats come from CLDR through Babel (US English "7:00 PM",
US Spanish "7:00 p.m."), so no module spells out a language's day names or time marks.
Only the three relative day words of a meeting card ("Tonight", "Today", "Tomorrow") are
the product's own wording.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from babel.dates import format_time, get_day_names

#: the languages card words are written in, and the CLDR locale of each
LOCALES = {"en": "en_US", "es": "es_US"}
#: a whole day, and a week of whole days, in each language
ALL_DAY = {"en": "24 hours", "es": "24 horas"}
ALL_WEEK = {"en": "24/7", "es": "24/7"}
#: how a card names the day of the next meeting, relative to today
RELATIVE_DAYS = {
    "en": {"tonight": "Tonight", "today": "Today", "tomorrow": "Tomorrow"},
    "es": {"tonight": "Esta noche", "today": "Hoy", "tomorrow": "Mañana"},
}


def locale_of(language: str) -> str:
    """The CLDR locale for a card language (English for any other)."""
    return LOCALES.get(language, LOCALES["en"])


@cache
def day_abbreviations(language: str = "en") -> tuple[str, ...]:
    """Monday first: ("Mon", …, "Sun") or ("lun", …, "dom")."""
    names = get_day_names("abbreviated", locale=locale_of(language))
    return tuple(str(names[day]) for day in range(7))


@lru_cache(maxsize=4096)
def clock(hour: int, minute: int, language: str = "en", short: bool = False) -> str:
    """ "7:00 PM" / "7:00 p.m."; with `short`, "7 PM" on the hour (hours of a listing)."""
    pattern = "h a" if short and minute == 0 else "h:mm a"
    return str(format_time(dt.time(hour, minute), pattern, locale=locale_of(language)))


@cache
def weekday_name(day: int, language: str = "en") -> str:
    """The weekday's full name, Monday 0: "Saturday", "sábado"."""
    return str(get_day_names("wide", locale=locale_of(language))[day])
