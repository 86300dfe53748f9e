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

import math
import re
from collections.abc import Iterable
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

# Capitalised words that follow an introduction ("this is", "call me", "I'm") without being a
# name: ordinary words, days and months, and how people describe themselves ("I'm Tired").
_NOT_NAMES = {
    "a", "an", "the", "it", "i", "my", "me", "not", "so", "too", "very", "just", "really",
    "back", "now", "later", "tomorrow", "today", "tonight", "asap", "please", "when", "if",
    "at", "on", "about", "hard", "ok", "okay", "what", "how", "where", "why", "crazy",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "god", "urgent", "serious", "scary", "embarrassing",
    "in", "is", "was", "and", "but", "unknown",
    # after "I'm" / "I am": states, feelings, what people are doing
    "tired", "sick", "dopesick", "fine", "good", "sorry", "scared", "afraid", "sad", "alone",
    "lost", "done", "ready", "here", "home", "homeless", "high", "sober", "clean", "pregnant",
    "new", "worried", "desperate", "suicidal", "dying", "overdosing", "bleeding", "hurt",
    "looking", "trying", "going", "calling", "asking", "having", "using", "still", "also",
    "out", "from", "with", "near", "by", "for", "to", "no", "yes", "hi", "hello", "hey",
    "someone", "somebody", "anyone", "anybody", "nobody", "everyone", "help", "detox", "any",
    # ending a name typed after "my name is" in lower case
    "im", "need", "want",
}
_NAME_WORD = r"[A-Z][a-zA-Z'-]+"
# "my name is jordan lee" / "name's Jordan" / "me llamo jordan": whatever follows is the
# name, up to 3 words, ending before an ordinary word ("my name is jordan and i need...").
_MY_NAME = re.compile(
    r"\b(?P<lead>(?:(?:my\s+)?name(?:\s+is|'s|\s*:)|me\s+llamo|mi\s+nombre\s+es)\s+)"
    r"(?P<name>[A-Za-z][a-zA-Z'-]*(?:\s+[A-Za-z][a-zA-Z'-]*){0,2})",
    re.IGNORECASE,
)
# "this is Jordan" / "call me Jordan" / "I'm Jordan Lee" / "I go by Jordan": only a
# capitalised word counts, so "I'm in Towson", "I'm tired" and "call me back" stay.
_INTRODUCTION = re.compile(
    rf"\b(?P<lead>(?:[Tt]his\s+is|[Cc]all\s+me|[Ii]\s*'?[Mm](?:\s+called)?|"
    rf"[Ii]\s+[Aa][Mm](?:\s+called)?|[Ii]\s+go\s+by|[Ss]oy)\s+)"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)
# "Jordan here" / "hi, Jordan Lee here": a name that opens the message, a sentence or what
# follows a symbol ("-- Jordan here"), after a greeting or not.
_NAME_HERE = re.compile(
    rf"(?:^|(?<=[^\w\s,']))(?P<lead>[\W\d_]*(?:[Hh](?:i|ey|ello|ola)\b[\W_]*)?)"
    rf"(?![Ii]'?[Mm]\b)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)(?=\s+[Hh]ere\b)"
)

_ZIP = re.compile(r"(?<![\d.-])(\d{3})\d{2}(?:-\d{4})?(?![\d.-])")
_NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
# "lat": 39.2873 (JSON), lat=39.2873, latitude: 39.2873
_COORDINATE = re.compile(
    rf"(?P<key>\b(?P<name>lat|lon|lng|latitude|longitude)[\"']?\s*[:=]\s*)(?P<value>{_NUMBER})",
    re.IGNORECASE,
)
# "39.287312, -76.604876" / "@39.2873,-76.6048": a point typed or pasted from a map (3 or more
# decimals: prices and doses have fewer).
_COORDINATE_PAIR = re.compile(
    r"(?<![\w.-])(?P<lat>-?\d{1,2}\.\d{3,})(?P<sep>\s*,\s*|\s+)(?P<lon>-?\d{1,3}\.\d{3,})(?![\w.])"
)
#: The largest value of each kind of coordinate; beyond it a number is no coordinate.
COORDINATE_LIMITS = {"lat": 90.0, "latitude": 90.0, "lon": 180.0, "lng": 180.0, "longitude": 180.0}
_ZIP_CODE = re.compile(r"(\d{3})\d{2}(?:-\d{4})?")
_ZIP_LABEL = re.compile(r"\s*\b\d{5}(?:-\d{4})?$")


def _phone(match: re.Match[str]) -> str:
    if match.group("area") in _TOLL_FREE:
        return match.group(0)
    return PHONE


def _name_words(name: str) -> int:
    """How many leading words of `name` are a name: 0 if the first is an ordinary word."""
    count = 0
    for word in name.split():
        if word.lower() in _NOT_NAMES:
            break
        count += 1
    return count


def _name(match: re.Match[str]) -> str:
    """The introduction with its name replaced, unless the "name" is an ordinary word."""
    words = match.group("name").split()
    count = _name_words(match.group("name"))
    if count == 0:
        return match.group(0)
    rest = " ".join(words[count:])
    return match.group("lead") + NAME + (f" {rest}" if rest else "")


def redact(text: str) -> str:
    """The person's message with phones, emails, street addresses and names replaced."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL, text)
    text = _PHONE.sub(_phone, text)
    text = _ADDRESS.sub(ADDRESS, text)
    text = _UNIT.sub(ADDRESS, text)
    text = _MY_NAME.sub(_name, text)
    text = _INTRODUCTION.sub(_name, text)
    return _NAME_HERE.sub(_name, text)


def coarse_coordinate(value: float) -> float:
    """One coordinate rounded to COORDINATE_STEP (about 11 km), the precision we keep.

    Raises ValueError for a number that is no coordinate (NaN, infinite, beyond +-180)."""
    number = float(value)
    if not math.isfinite(number) or abs(number) > 180:
        raise ValueError(f"not a coordinate: {number!r}")
    return round(round(number / COORDINATE_STEP) * COORDINATE_STEP, 1)


def coordinate_or_none(value: Any, limit: float = 180.0) -> float | None:
    """`value` as a coarse coordinate, or None if it is no number within +-`limit`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return coarse_coordinate(number)


def coarse_zip(zip_code: str) -> str:
    """A ZIP code kept to its first three digits: "21201" and "21201-1234" become "212xx"."""
    match = _ZIP_CODE.fullmatch(zip_code.strip())
    return f"{match.group(1)}xx" if match else zip_code


def _coarse_key_value(match: re.Match[str]) -> str:
    limit = COORDINATE_LIMITS[match.group("name").lower()]
    coarse = coordinate_or_none(match.group("value"), limit)
    return match.group("key") + ("null" if coarse is None else str(coarse))


def _coarse_pair(match: re.Match[str]) -> str:
    lat = coordinate_or_none(match.group("lat"), 90.0)
    lon = coordinate_or_none(match.group("lon"))
    if lat is None or lon is None:
        return match.group(0)
    return f"{lat}{match.group('sep')}{lon}"


def coarse_label(label: str) -> str:
    """A place label kept to a city or ZIP3: "Baltimore, MD 21201" becomes "Baltimore, MD"."""
    stripped = _ZIP_LABEL.sub("", label).strip()
    if stripped:
        return stripped
    return coarse_zip(label)


def coarsen(text: str) -> str:
    """Text with ZIP codes cut to ZIP3 and coordinates (in JSON payloads) rounded."""
    if not text:
        return text
    text = _COORDINATE.sub(_coarse_key_value, text)
    text = _COORDINATE_PAIR.sub(_coarse_pair, text)
    return _ZIP.sub(lambda m: coarse_zip(m.group(0)), text)


def for_storage(text: str) -> str:
    """What may be kept of a person's message: redacted, and places coarse."""
    return coarsen(redact(text))


#: Slots that hold coordinates, place labels, or text the person typed as a place.
COORDINATE_SLOTS = frozenset({"lat", "lon"})
PLACE_SLOTS = frozenset({"location", "location_checked", "location_attempt"})
#: Slots the assistant fills from the directory (cards with organisations' own phones and
#: addresses, result ids, the page): kept as they are. Every other slot's text is redacted.
ASSISTANT_SLOTS = frozenset({"current_need", "last_results", "shown_resources"})

#: Integers beyond this are no count or id of ours (and lose precision in JSON readers).
MAX_SAFE_INTEGER = 2**53


def identifying_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of what `redact` would replace in `text`, so that entity
    values the model tagged inside them (digits of a phone number tagged as a place) can be
    dropped too: their offsets point into the original text."""
    spans: list[tuple[int, int, str]] = []
    for pattern, placeholder in ((_EMAIL, EMAIL), (_ADDRESS, ADDRESS), (_UNIT, ADDRESS)):
        spans += [(m.start(), m.end(), placeholder) for m in pattern.finditer(text)]
    spans += [(m.start(), m.end(), PHONE) for m in _PHONE.finditer(text)
              if m.group("area") not in _TOLL_FREE]
    for pattern in (_MY_NAME, _INTRODUCTION, _NAME_HERE):
        for m in pattern.finditer(text):
            count = _name_words(m.group("name"))
            if count:
                words = re.match(rf"\S+(?:\s+\S+){{{count - 1}}}", m.group("name"))
                assert words is not None  # the name has at least `count` words
                spans.append((m.start("name"), m.start("name") + words.end(), NAME))
    return spans


def identifying_fragments(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(what was typed, placeholder) for each identifying detail in `texts`: slot and entity
    values that repeat a piece of one ("Example Lane" of "4812 Example Lane") are replaced
    by its placeholder."""
    fragments = []
    for text in texts:
        if isinstance(text, str):
            fragments += [(text[start:end].lower(), placeholder)
                          for start, end, placeholder in identifying_spans(text)]
    return fragments


def _scrub(value: str, fragments: list[tuple[str, str]]) -> str:
    """Text redacted, with any piece of an identifying detail typed elsewhere replaced."""
    folded = value.strip().lower()
    for fragment, placeholder in fragments:
        if folded and (folded in fragment or fragment in folded):
            return placeholder
    return for_storage(value)


def finite(value: Any) -> Any:
    """`value` (JSON-like) with every number that is not finite, or an integer beyond
    MAX_SAFE_INTEGER, replaced by None: such numbers are no coordinate, count or id of ours,
    and they broke the store ("lat": 1e308)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else None
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    return value


def _clean(value: Any, fragments: list[tuple[str, str]]) -> Any:
    """A value taken from what the person typed, as it may be stored: text redacted (every
    string in it), numbers finite and sane."""
    if isinstance(value, str):
        return _scrub(value, fragments)
    if isinstance(value, (list, tuple)):
        return [_clean(item, fragments) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item, fragments) for key, item in value.items()}
    return finite(value)


_DIGITS_ONLY = re.compile(r"[\d\s().+-]+")


def _coarse_place(value: Any, fragments: list[tuple[str, str]]) -> Any:
    if not isinstance(value, str):
        return _clean(value, fragments)
    if _DIGITS_ONLY.fullmatch(value.strip()) and not _ZIP.search(value):
        return None  # digits that are no ZIP code are no place (often part of a phone number)
    return _scrub(coarse_label(value), fragments)


def _entity(entity: dict[str, Any], spans: list[tuple[int, int, str]],
            fragments: list[tuple[str, str]]) -> dict[str, Any]:
    name, value = entity.get("entity"), entity.get("value")
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int):
        for span_start, span_end, placeholder in spans:
            if start < span_end and span_start < end:
                return {**entity, "value": placeholder}
    if name in COORDINATE_SLOTS:
        return {**entity, "value": coordinate_or_none(value, COORDINATE_LIMITS[name])}
    return {**entity, "value": _clean(value, fragments)}


def _slot_value(name: Any, value: Any, fragments: list[tuple[str, str]]) -> Any:
    if name in COORDINATE_SLOTS:
        return coordinate_or_none(value, COORDINATE_LIMITS[name])
    if name in PLACE_SLOTS:
        return _coarse_place(value, fragments)
    if name == "location_candidates" and isinstance(value, list):
        return [_coarse_place(item, fragments) for item in value]
    if name in ASSISTANT_SLOTS:
        return value
    return _clean(value, fragments)


def redact_event(data: dict[str, Any],
                 fragments: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """A Rasa event (as `Event.as_dict()`) as it may be stored.

    The person's text (`text`, `parse_data.text`, entity values) is redacted and coarsened;
    slots holding coordinates or places are kept to 0.1 degree and a city or ZIP3; other slots
    set from what the person typed are redacted like text. `fragments` (from
    `identifying_fragments` over the conversation's texts) catch values that repeat a piece
    of an identifying detail. Numbers that are no finite, sane value become None. The
    assistant's own messages are kept as they are: they carry real helplines and directory
    entries, and the places they name are already coarse (actions/forms.py).
    """
    known = list(fragments)
    kind = data.get("event")
    if kind == "user":
        event = dict(data)
        if isinstance(event.get("text"), str):
            known += identifying_fragments([event["text"]])
            event["text"] = for_storage(event["text"])
        parse = event.get("parse_data")
        if isinstance(parse, dict):
            parse = dict(parse)
            raw = parse.get("text")
            original = raw if isinstance(raw, str) else ""
            spans = identifying_spans(original)
            known += identifying_fragments([original])
            if original:
                parse["text"] = for_storage(original)
            if isinstance(parse.get("entities"), list):
                parse["entities"] = [_entity(e, spans, known) for e in parse["entities"]
                                     if isinstance(e, dict)]
            event["parse_data"] = parse
        return finite(event)
    if kind == "slot":
        value = _slot_value(data.get("name"), data.get("value"), known)
        return finite({**data, "value": value})
    return finite(data)
