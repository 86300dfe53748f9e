"""Cleaning and comparison of the text fields sources give us (names, addresses, phones)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import us

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")

_ADDRESS_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "suite": "ste",
    "building": "bldg",
    "floor": "fl",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "circle": "cir",
    "square": "sq",
    "terrace": "ter",
    "turnpike": "tpke",
    "room": "rm",
}
_NAME_NOISE = {"inc", "llc", "the", "of", "and", "corp", "co", "pc", "pllc", "ltd"}

_PHONE_DIGITS = re.compile(r"\D")
#: a North American number as written in the sources: (410)555-0100, 410-555-0100, ...
PHONE_PATTERN = re.compile(
    r"(?:\+?1[\s.-]?)?\(?([2-9]\d{2})\)?[\s.-]?([2-9]\d{2})[\s.-]?(\d{4})"
    r"(?:\s*(?:x|ext\.?|extension)\s*(\d{1,6}))?",
    re.IGNORECASE,
)

VALID_STATES = frozenset(s.abbr for s in us.states.STATES_AND_TERRITORIES + [us.states.DC])


def clean(value: object) -> str | None:
    """Strip a raw cell; empty strings and R's "NA" become None."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    if not text or text.upper() in {"NA", "N/A", "NULL", "NONE"}:
        return None
    return text


def _words(text: str) -> list[str]:
    return _PUNCT.sub(" ", text.lower().replace("&", " and ")).split()


def name_key(name: str) -> str:
    """Normalized name for matching: lower case, no punctuation or legal suffixes."""
    return " ".join(w for w in _words(name) if w not in _NAME_NOISE)


def address_key(address_1: str | None, postal_code: str | None) -> str:
    """Normalized first address line plus the 5-digit ZIP."""
    words = [_ADDRESS_WORDS.get(w, w) for w in _words(address_1 or "")]
    return " ".join(words) + "|" + (postal_code or "")[:5]


def match_key(name: str, address_1: str | None, postal_code: str | None) -> str | None:
    """Key under which the same facility from two sources meets, or None without address."""
    if not address_1 or not postal_code:
        return None
    return name_key(name) + "|" + address_key(address_1, postal_code)


def postal_code(value: object) -> str | None:
    """A 5-digit ZIP, restoring leading zeros lost by spreadsheets (6708 -> 06708)."""
    text = clean(value)
    if text is None:
        return None
    text = text.split("-", 1)[0].split(".", 1)[0]
    if not text.isdigit() or len(text) > 5:
        raise ValueError(f"not a ZIP code: {value!r}")
    return text.zfill(5)


def format_phone(area: str, exchange: str, line: str) -> str:
    return f"{area}-{exchange}-{line}"


def find_phones(text: str | None) -> list[tuple[str, str | None]]:
    """Every North American number really written in `text`, as (number, extension)."""
    if not text:
        return []
    found: list[tuple[str, str | None]] = []
    for match in PHONE_PATTERN.finditer(text):
        number = format_phone(match.group(1), match.group(2), match.group(3))
        entry = (number, match.group(4))
        if entry not in found:
            found.append(entry)
    return found


def phone(value: object) -> tuple[str, str | None] | None:
    """One phone cell -> (number, extension); None if empty; ValueError if not a number."""
    text = clean(value)
    if text is None:
        return None
    phones = find_phones(text)
    if not phones:
        raise ValueError(f"not a phone number: {text!r}")
    return phones[0]


def website(value: object) -> str | None:
    """An http(s) URL; bare host names get "http://"; anything else is an error."""
    text = clean(value)
    if text is None or text.lower().rstrip("/") in {"http:", "https:"}:
        return None
    if "://" not in text:
        text = "http://" + text
    parsed = urlparse(text)
    if parsed.scheme not in {"http", "https"} or "." not in (parsed.hostname or ""):
        raise ValueError(f"not a web address: {value!r}")
    return text


def state(value: object) -> str:
    text = (clean(value) or "").upper()
    if text not in VALID_STATES:
        raise ValueError(f"not a US state or territory code: {value!r}")
    return text


def coordinate(value: object, field: str) -> float | None:
    text = clean(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{field} is not a number: {value!r}") from None
    limit = 90.0 if field == "latitude" else 180.0
    if not -limit <= number <= limit:
        raise ValueError(f"{field} out of range: {number}")
    return number
