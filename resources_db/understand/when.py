"""When a person wants a meeting: "tonight", "tomorrow morning", "now", "today", "on
saturday" (and the Spanish "esta noche", "mañana", "el sábado") as a time window key of
`resources_db.meeting_time` ("tonight", "tomorrow_morning", "saturday"...).

Reads normalized text (understand.text: ASCII, lower case, no apostrophes). Only meeting
searches use the window; other searches ignore it.
"""

from __future__ import annotations

import re

from resources_db.meeting_time import WEEKDAYS

#: day words -> window day (Spanish "manana" is "tomorrow" unless it follows "por la")
_DAY_WORDS = {
    **{day: day for day in WEEKDAYS},
    **{f"{day}s": day for day in WEEKDAYS},
    "tues": "tuesday",
    "weds": "wednesday",
    "thurs": "thursday",
    "lunes": "monday",
    "martes": "tuesday",
    "miercoles": "wednesday",
    "jueves": "thursday",
    "viernes": "friday",
    "sabado": "saturday",
    "domingo": "sunday",
    "today": "today",
    "hoy": "today",
    "tomorrow": "tomorrow",
    "tmrw": "tomorrow",
    "manana": "tomorrow",
}
_PART_WORDS = {
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "night": "night",
    "manana": "morning",
    "tarde": "afternoon",
    "noche": "night",
}
_DAY = re.compile(r"\b(?<!por la )(" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r")\b")
#: a part of the day right after the day ("saturday morning", "sabado por la noche")
_PART_AFTER = re.compile(
    r"^\s+(?:(?:in the|at|por la|en la|a la) )?"
    r"(morning|afternoon|evening|night|manana|tarde|noche)\b"
)
_TONIGHT = re.compile(r"\b(tonight|tonite|this evening|esta noche|later tonight)\b")
_THIS_PART = re.compile(r"\b(?:this|esta) (morning|afternoon|manana|tarde)\b")
_NOW = re.compile(
    r"\b(right now|now|right away|asap|currently|happening now|starting soon|ahora|ahorita)\b"
)


def find_when(text: str) -> str | None:
    """The window key the normalized `text` asks, or None."""
    found = _DAY.search(text)
    if found:
        day = _DAY_WORDS[found.group(1)]
        part = _PART_AFTER.match(text[found.end() :])
        if part:
            return f"{day}_{_PART_WORDS[part.group(1)]}"
        if day != "today" or not _TONIGHT.search(text):
            return day
    if _TONIGHT.search(text):
        return "tonight"
    this_part = _THIS_PART.search(text)
    if this_part:
        return f"today_{_PART_WORDS[this_part.group(1)]}"
    return "now" if _NOW.search(text) else None
