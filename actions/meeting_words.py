"""The pieces a meeting answer is filled with, in English and Spanish.

The sentences are responses in bot/domain/responses.yml (`utter_meetings_*`, a Spanish
variation each); this module writes what fills them: what was looked for ("online NA
meetings" / "reuniones de NA en línea"), when ("on Saturday morning" / "el sábado por la
mañana") and one line per meeting. `words(...)` gives each piece as `name` and `name_es`,
the way the other responses take their Spanish twins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from actions.formatting import need_label
from resources_db.clock_words import LOCALES, weekday_name
from resources_db.meeting_time import WEEKDAYS

MUTUAL_AID = "mutual_aid"
LANGUAGES = tuple(LOCALES)
WHEN = {
    "en": {"now": "starting soon", "today": "later today", "tonight": "tonight",
           "tomorrow": "tomorrow"},
    "es": {"now": "que empiecen pronto", "today": "más tarde hoy", "tonight": "esta noche",
           "tomorrow": "mañana"},
}
PARTS = {
    "en": {"morning": "morning", "afternoon": "afternoon", "evening": "evening",
           "night": "night"},
    "es": {"morning": "por la mañana", "afternoon": "por la tarde", "evening": "por la noche",
           "night": "por la noche"},
}
#: meeting type filters as words before (English) or after (Spanish) "meetings"
TYPE_WORDS = {
    "en": {"O": "open", "C": "closed", "S": "Spanish-speaking", "W": "women's", "M": "men's",
           "LGBTQ": "LGBTQ"},
    "es": {"O": "abiertas", "C": "cerradas", "S": "en español", "W": "de mujeres",
           "M": "de hombres", "LGBTQ": "LGBTQ"},
}
LINE_WORDS = {
    "en": {"meeting": "A meeting", "online": "online", "dial_in": "dial-in", "miles": "miles"},
    "es": {"meeting": "Una reunión", "online": "en línea", "dial_in": "por teléfono",
           "miles": "millas"},
}


def when_text(key: str | None, language: str = "en") -> str:
    """ "tonight", "tomorrow morning", "on Saturday" / "esta noche", "el sábado"."""
    if not key:
        return ""
    day, _, part = key.partition("_")
    return _when_es(day, part) if language == "es" else _when_en(day, part)


def _when_en(day: str, part: str) -> str:
    when, parts = WHEN["en"], PARTS["en"]
    if day in when and not part:
        return when[day]
    if day == "today":
        return f"this {parts[part]}"
    day_text = day.capitalize() if day not in when else when[day]
    prefix = "" if day == "tomorrow" else "on "
    return f"{prefix}{day_text} {parts[part]}".strip() if part else f"on {day_text}"


def _when_es(day: str, part: str) -> str:
    when, parts = WHEN["es"], PARTS["es"]
    if day in when and not part:
        return when[day]
    if day in ("today", "tonight"):
        return f"hoy {parts[part]}"
    day_text = when[day] if day in when else f"el {weekday_name(WEEKDAYS.index(day), 'es')}"
    return f"{day_text} {parts[part]}" if part else day_text


def what_text(query: Mapping[str, Any], language: str = "en") -> str:
    """What was looked for: "online NA meetings" / "reuniones de NA en línea"."""
    types = TYPE_WORDS[language]
    words = [types[t] for t in query.get("meeting_types") or [] if t in types]
    fellowship = query.get("fellowship")
    if language == "es":
        before = [w for w in words if w in ("abiertas", "cerradas")]
        after = [w for w in words if w not in before]
        label = need_label(MUTUAL_AID, "es").removeprefix("reuniones ")
        base = f"de {fellowship}" if fellowship else label
        online = ["en línea"] if query.get("online") else []
        return " ".join(["reuniones", *before, base, *after, *online])
    if query.get("online"):
        words.append("online")
    what = f"{fellowship} meetings" if fellowship else need_label(MUTUAL_AID)
    return " ".join([*words, what])


def card_line(position: int, card: Mapping[str, Any], language: str = "en") -> str:
    """ "1. Example Sunday Serenity, Tonight 6:00 PM, 0.8 miles" (online: the link)."""
    say = LINE_WORDS[language]
    meeting = card.get("meeting") or {}
    parts = [f"{position}. {card.get('name') or say['meeting']}"]
    if meeting.get("next"):
        parts.append(str(meeting["next"]))
    distance = card.get("distance_miles")
    if meeting.get("online"):
        parts.append(say["online"] + (f": {card['website']}" if card.get("website") else ""))
        if card.get("phone"):
            parts.append(f"{say['dial_in']} {card['phone']}")
    elif isinstance(distance, int | float):
        parts.append(f"{distance:.1f} {say['miles']}")
    return ", ".join(parts)


def words(name: str, make: Callable[[str], str]) -> dict[str, str]:
    """One piece in both languages: {name: English, name_es: Spanish}."""
    return {name: make("en"), f"{name}_es": make("es")}
