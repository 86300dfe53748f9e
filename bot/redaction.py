"""Take what identifies a person out of a chat message before it is stored.

`redact` replaces phone numbers, email addresses, street addresses and names people type about
themselves with placeholders (`[phone]`, `[email]`, `[address]`, `[name]`). `coarsen` keeps a
place to a ZIP3 or a city: a 5-digit ZIP becomes "212xx", shared coordinates are rounded to
0.1 degree. `for_storage` does both and is what every store calls (Rasa's tracker store in
bot/tracker_store.py, the web app's messages in web/store.py).

Crisis detection never sees the redacted copy: the message goes to Rasa (and its crisis
detector) as typed, and only the stored copy is redacted. The rules therefore lean towards
keeping words: places ("I'm in Towson"), needs ("I'm dopesick") and crisis words ("I'm going to
kill myself") must survive, so a name is only taken after an explicit introduction ("my name
is", "this is", "call me").

Only the person's text is redacted. Toll-free numbers (800, 888, ...) belong to
organisations, not people, and are kept: a person asking about "1-800-662-4357" is asking
about the SAMHSA line.

This module is pure standard library and runs on Python 3.10 (Rasa) and 3.11 (app).
"""

from __future__ import annotations

import re
from typing import Any

PHONE = "[phone]"
EMAIL = "[email]"
ADDRESS = "[address]"
NAME = "[name]"

#: Degrees that shared coordinates are rounded to: about 11 km north-south and 8-9 km
#: east-west across the US, coarser than a ZIP code in a town and finer than a county.
COORDINATE_STEP = 0.1

_TOLL_FREE = {"800", "833", "844", "855", "866", "877", "888"}

# Starts only where a run of address characters starts, so a long word costs linear time.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# 10 digits with optional +1/1 and separators, or 7 digits with a separator ("555-0123").
_PHONE = re.compile(
    r"(?<![\w/])"
    r"(?:(?:\+?1[\s.-]*)?\(?(?P<area>\d{3})\)?[\s.-]*\d{3}[\s.-]*\d{4}"
    r"|\d{3}[\s.-]\d{4})"
    r"(?![\w/])"
)

_STREET_SUFFIX = (
    r"st|street|ave|avenue|av|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place|"
    r"ter|terrace|pkwy|parkway|hwy|highway|cir|circle|sq|square|pike|trl|trail|aly|alley"
)
# Words that may sit between a number and a suffix in ordinary speech ("3 blocks down the
# road", "2 court dates"): never part of a street name here.
_NOT_STREET_WORDS = (
    r"the|a|an|my|his|her|our|their|down|up|to|of|on|in|at|and|or|from|by|for|this|that|"
    r"miles?|blocks?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times?|more|"
    r"other|people|kids?|beds?|mg|pills?|bags?"
)
_STREET_WORD = rf"(?!(?:{_NOT_STREET_WORDS})\b)[A-Za-z][A-Za-z'.-]*"
_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{_STREET_WORD}\s+){{1,3}}"
    rf"(?:{_STREET_SUFFIX})\b\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6}\b)?",
    re.IGNORECASE,
)
_UNIT = re.compile(
    r"\b(?:apt|apartment|unit|suite|ste)\.?\s*#?\s*\d[A-Za-z0-9-]{0,5}\b|"
    r"\bp\.?\s*o\.?\s*box\s+\d{1,6}\b",
    re.IGNORECASE,
)

# Capitalised words that follow "this is" / "call me" without being a name.
_NOT_NAMES = {
    "a", "an", "the", "it", "i", "my", "me", "not", "so", "too", "very", "just", "really",
    "back", "now", "later", "tomorrow", "today", "tonight", "asap", "please", "when", "if",
    "at", "on", "about", "hard", "ok", "okay", "what", "how", "where", "why", "crazy",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "god", "urgent", "serious", "scary", "embarrassing",
    "in", "is", "was", "and", "but", "unknown",
}
_NAME_WORD = r"[A-Z][a-zA-Z'-]+"
# "my name is jordan lee" / "name's Jordan": whatever follows is the name, up to 3 words.
_MY_NAME = re.compile(
    r"\b(?P<lead>(?:my\s+)?name(?:\s+is|'s|\s*:)\s+)"
    r"(?P<name>[A-Za-z][a-zA-Z'-]*(?:\s+(?!(?:and|but|i|im|i'm|my|from|in|at|near|"
    r"looking|need|want|so|please)\b)[A-Za-z][a-zA-Z'-]*){0,2})",
    re.IGNORECASE,
)
# "this is Jordan" / "call me Jordan" / "I'm called Jordan": only a capitalised word counts.
_INTRODUCTION = re.compile(
    rf"\b(?P<lead>(?:[Tt]his\s+is|[Cc]all\s+me|[Ii]\s*'?m\s+called|[Ii]\s+am\s+called)\s+)"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)

_ZIP = re.compile(r"(?<![\d.-])(\d{3})\d{2}(?:-\d{4})?(?![\d.-])")
_COORDINATE = re.compile(
    r'(?P<key>"(?:lat|lon|lng|latitude|longitude)"\s*:\s*)(?P<value>-?\d+(?:\.\d+)?)'
)
_ZIP_LABEL = re.compile(r"\s*\b\d{5}(?:-\d{4})?$")


def _phone(match: re.Match[str]) -> str:
    if match.group("area") in _TOLL_FREE:
        return match.group(0)
    return PHONE


def _name(match: re.Match[str]) -> str:
    """The introduction with its name replaced, unless the "name" is an ordinary word."""
    if match.group("name").split()[0].lower() in _NOT_NAMES:
        return match.group(0)
    return match.group("lead") + NAME


def redact(text: str) -> str:
    """The person's message with phones, emails, street addresses and names replaced."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL, text)
    text = _PHONE.sub(_phone, text)
    text = _ADDRESS.sub(ADDRESS, text)
    text = _UNIT.sub(ADDRESS, text)
    text = _MY_NAME.sub(_name, text)
    return _INTRODUCTION.sub(_name, text)


def coarse_coordinate(value: float) -> float:
    """One coordinate rounded to COORDINATE_STEP (about 11 km), the precision we keep."""
    return round(round(float(value) / COORDINATE_STEP) * COORDINATE_STEP, 1)


def coarse_zip(zip_code: str) -> str:
    """A ZIP code kept to its first three digits: "21201" becomes "212xx"."""
    digits = zip_code.strip()[:5]
    return f"{digits[:3]}xx" if len(digits) == 5 and digits.isdigit() else zip_code


def coarse_label(label: str) -> str:
    """A place label kept to a city or ZIP3: "Baltimore, MD 21201" becomes "Baltimore, MD"."""
    stripped = _ZIP_LABEL.sub("", label).strip()
    if stripped:
        return stripped
    return coarsen(label)


def coarsen(text: str) -> str:
    """Text with ZIP codes cut to ZIP3 and coordinates (in JSON payloads) rounded."""
    if not text:
        return text
    text = _COORDINATE.sub(
        lambda m: m.group("key") + str(coarse_coordinate(float(m.group("value")))), text
    )
    return _ZIP.sub(lambda m: f"{m.group(1)}xx", text)


def for_storage(text: str) -> str:
    """What may be kept of a person's message: redacted, and places coarse."""
    return coarsen(redact(text))


#: Slots that hold coordinates, place labels, or text the person typed as a place.
COORDINATE_SLOTS = frozenset({"lat", "lon"})
PLACE_SLOTS = frozenset({"location", "location_checked", "location_attempt"})


def identifying_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of what `redact` would replace in `text`, so that entity
    values the model tagged inside them (digits of a phone number tagged as a place) can be
    dropped too: their offsets point into the original text."""
    spans: list[tuple[int, int, str]] = []
    for pattern, placeholder in ((_EMAIL, EMAIL), (_ADDRESS, ADDRESS), (_UNIT, ADDRESS)):
        spans += [(m.start(), m.end(), placeholder) for m in pattern.finditer(text)]
    spans += [(m.start(), m.end(), PHONE) for m in _PHONE.finditer(text)
              if m.group("area") not in _TOLL_FREE]
    for pattern in (_MY_NAME, _INTRODUCTION):
        spans += [(m.start("name"), m.end("name"), NAME) for m in pattern.finditer(text)
                  if m.group("name").split()[0].lower() not in _NOT_NAMES]
    return spans


_DIGITS_ONLY = re.compile(r"[\d\s().+-]+")


def _coarse_place(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if _DIGITS_ONLY.fullmatch(value.strip()) and not _ZIP.search(value):
        return None  # digits that are no ZIP code are no place (often part of a phone number)
    return for_storage(coarse_label(value))


def _coarse_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return value
    try:
        return coarse_coordinate(float(value))
    except ValueError:
        return None


def _entity(entity: Any, spans: list[tuple[int, int, str]]) -> Any:
    if not isinstance(entity, dict):
        return entity
    name, value = entity.get("entity"), entity.get("value")
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int):
        for span_start, span_end, placeholder in spans:
            if start < span_end and span_start < end:
                return {**entity, "value": placeholder}
    if name in COORDINATE_SLOTS:
        return {**entity, "value": _coarse_number(value)}
    if isinstance(value, str):
        return {**entity, "value": for_storage(value)}
    return entity


def _slot_value(name: Any, value: Any) -> Any:
    if name in COORDINATE_SLOTS:
        return _coarse_number(value)
    if name in PLACE_SLOTS:
        return _coarse_place(value)
    if name == "location_candidates" and isinstance(value, list):
        return [_coarse_place(item) for item in value]
    return value


def redact_event(data: dict[str, Any]) -> dict[str, Any]:
    """A Rasa event (as `Event.as_dict()`) as it may be stored.

    The person's text (`text`, `parse_data.text`, entity values) is redacted and coarsened;
    slots holding coordinates or places are kept to 0.1 degree and a city or ZIP3. The
    assistant's own messages are kept as they are: they carry real helplines and directory
    entries, and the places they name are already coarse (actions/forms.py).
    """
    kind = data.get("event")
    if kind == "user":
        event = dict(data)
        if isinstance(event.get("text"), str):
            event["text"] = for_storage(event["text"])
        parse = event.get("parse_data")
        if isinstance(parse, dict):
            parse = dict(parse)
            raw = parse.get("text")
            original = raw if isinstance(raw, str) else ""
            spans = identifying_spans(original)
            if original:
                parse["text"] = for_storage(original)
            if isinstance(parse.get("entities"), list):
                parse["entities"] = [_entity(e, spans) for e in parse["entities"]]
            event["parse_data"] = parse
        return event
    if kind == "slot":
        return {**data, "value": _slot_value(data.get("name"), data.get("value"))}
    return data
