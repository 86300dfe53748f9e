"""Field checks shared by every importer and the admin edit form (one validation, not two).

Each function takes a raw value and returns the clean one, or raises ValueError with a
message an admin can act on.
"""

from __future__ import annotations

import datetime as dt
import re

from resources_db import normalize

#: states and territories whose ZIP codes begin with 0: a 4-digit ZIP there is a ZIP whose
#: leading zero a spreadsheet dropped (06708 -> 6708), and it is restored
ZERO_ZIP_STATES = frozenset({"CT", "MA", "ME", "NH", "NJ", "PR", "RI", "VT", "VI", "AE"})
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = {
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
    "SA": "Saturday", "SU": "Sunday",
}
_ZIP = re.compile(r"^(\d{1,5})(?:-\d{4})?(?:\.0+)?$")
_TIME = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[a-z]{2}$")


def zip_code(value: object, state: str | None) -> str | None:
    """A 5-digit ZIP (ZIP+4 keeps its first five). Fewer digits are an error with the hint
    that a spreadsheet may have dropped a leading zero, except in a state whose ZIPs all
    begin with 0, where the zero is restored."""
    text = normalize.clean(value)
    if text is None:
        return None
    found = _ZIP.match(text)
    if not found:
        raise ValueError(f"not a ZIP code: {text!r} (ZIP must be 5 digits)")
    digits = found.group(1)
    if len(digits) == 5:
        return digits
    if state in ZERO_ZIP_STATES and len(digits) >= 3:
        return digits.zfill(5)
    raise ValueError(
        f"ZIP must be 5 digits; a spreadsheet may have dropped a leading zero: {digits.zfill(5)}?"
    )


def phone(value: object) -> tuple[str, str | None] | None:
    """(NNN-NNN-NNNN, extension) or None when empty."""
    found = normalize.phone(value)
    if found is None:
        return None
    return found


def extension(value: object) -> str | None:
    text = normalize.clean(value)
    if text is None:
        return None
    text = re.sub(r"^(ext\.?|x)\s*", "", text, flags=re.IGNORECASE)
    if not text.isdigit() or len(text) > 8:
        raise ValueError(f"not a phone extension: {value!r} (digits only, up to 8)")
    return text


def language(value: object) -> str:
    """An ISO 639-1 code (two letters, e.g. es)."""
    text = (normalize.clean(value) or "").lower()
    if not _LANGUAGE.match(text):
        raise ValueError(f"not a two-letter language code: {value!r}")
    return text


def clock(value: object) -> dt.time:
    """09:00, 9, 9am, 5:30 pm, 17:30 -> a time of day."""
    text = normalize.clean(value) or ""
    found = _TIME.match(text)
    if not found:
        raise ValueError(f"not a time of day: {text!r}")
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    meridiem = (found.group(3) or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a time of day: {text!r}")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour == 24 and minute == 0:
        return dt.time(0, 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"not a time of day: {text!r}")
    return dt.time(hour, minute)


def day_hours(value: object) -> list[tuple[dt.time, dt.time]]:
    """One day's hours: "9:00-17:00", "9am-12pm, 1pm-5pm", "24 hours", or empty (closed or
    not known). Closing at or before opening means past midnight (00:00-00:00: all day)."""
    text = (normalize.clean(value) or "").lower()
    if not text or text in {"closed", "-"}:
        return []
    if text in {"24 hours", "24h", "open 24 hours", "00:00-24:00", "0:00-24:00"}:
        return [(dt.time(0, 0), dt.time(0, 0))]
    spans: list[tuple[dt.time, dt.time]] = []
    for part in re.split(r"[,;]", text):
        pieces = re.split(r"\s*(?:-|–|to)\s*", part.strip())
        if len(pieces) != 2:
            raise ValueError(f"write hours like 9:00-17:00: {part.strip()!r}")
        spans.append((clock(pieces[0]), clock(pieces[1])))
    return spans


def hours_text(spans: list[tuple[dt.time, dt.time]]) -> str:
    """The form's text for one day's spans (the inverse of `day_hours`)."""
    if spans == [(dt.time(0, 0), dt.time(0, 0))]:
        return "24 hours"
    return ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in spans)
