"""Meeting Guide API feeds (code4recovery/spec): a JSON array of weekly mutual-aid meetings.

Each meeting becomes one service with the need `mutual_aid`, never merged with another
record (`records.SEPARATE_SOURCES`): at a physical location when it has a street address and
coordinates, else, when it has a `conference_url` or `conference_phone`, at an HSDS virtual
location (scope "online"). Its `day`/`time`/`end_time` become weekly schedule rows in the
meeting's `timezone`; its `types` codes are kept as terms of the "meeting-guide-types"
vocabulary (names from the shipped `types.json`, English and Spanish via `type_name`).

Anonymity (the spec asks that meeting data never break it): the contact fields
(`contact_N_name/email/phone`) are never read, so they are stored and shown nowhere.

A meeting the spec rejects is a RowError naming its position in the array (as the line) and
its slug; the other meetings still import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from resources_db import normalize
from resources_db.importers import fields
from resources_db.importers.base import (
    FacilityRecord,
    FieldError,
    PhoneRecord,
    RowError,
    ScheduleRecord,
    SourceCode,
    json_rows,
    optional_value,
    validate,
)
from resources_db.importers.meeting_guide_place import Place, place

SOURCE = "meeting-guide"
TYPES_TAXONOMY = "meeting-guide-types"
TYPES_PATH = Path(__file__).resolve().parent.parent / "seed" / "meeting_guide" / "types.json"
#: the spec's day numbers, Sunday (0) to Saturday (6), as iCal weekdays
BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
#: HH:MM, 24-hour (the draft schema also accepts a one-digit hour)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_SLUG = 64
MAX_NAME = 255
#: meeting types whose meaning is one of our populations
TYPE_POPULATIONS = {
    "M": "men", "W": "women", "LGBTQ": "lgbtq", "G": "lgbtq", "L": "lgbtq", "BI": "lgbtq",
    "T": "lgbtq", "ASL": "deaf_hard_of_hearing",
}
#: meeting types that name the meeting's language (checked against types.json's English)
TYPE_LANGUAGES = {
    "EN": "en", "S": "es", "FR": "fr", "DE": "de", "ITA": "it", "POL": "pl", "POR": "pt",
    "RUS": "ru", "JA": "ja", "KOR": "ko",
}


@cache
def meeting_types() -> dict[str, dict[str, str]]:
    """Type code -> {language: name} from the shipped types.json."""
    data: dict[str, dict[str, str]] = json.loads(TYPES_PATH.read_text(encoding="utf-8"))
    return data


def type_name(code: str, language: str = "en") -> str | None:
    """A meeting type's name in `language` (English when that language has none)."""
    names = meeting_types().get(code)
    if names is None:
        return None
    return names.get(language) or names.get("en")


def _text(row: dict[str, Any], key: str) -> str | None:
    return normalize.clean(row.get(key))


def _slug(row: dict[str, Any]) -> str:
    value = row.get("slug")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldError("slug", "missing (required; a string or an integer)")
    slug = str(value).strip()
    if not slug:
        raise FieldError("slug", "missing (required)")
    if len(slug) > MAX_SLUG or re.search(r"\s", slug):
        raise FieldError("slug", f"not URL-safe or over {MAX_SLUG} characters")
    return slug


def _days(value: object) -> list[int]:
    raw = value if isinstance(value, list) else [value]
    days = [d for d in raw if isinstance(d, int) and not isinstance(d, bool)]
    if not days or len(days) != len(raw):
        raise FieldError("day", f"not an integer 0-6 or a list of them: {value!r}")
    if any(not 0 <= d <= 6 for d in days):
        raise FieldError("day", f"out of range (0 Sunday to 6 Saturday): {value!r}")
    return sorted(set(days))


def _clock(row: dict[str, Any], key: str) -> dt.time | None:
    value = row.get(key)
    if value is None or value == "":
        return None
    found = _TIME.match(value) if isinstance(value, str) else None
    if not found:
        raise FieldError(key, f"not a 24-hour HH:MM time: {value!r}")
    return dt.time(int(found.group(1)), int(found.group(2)))


def schedules(row: dict[str, Any]) -> list[ScheduleRecord]:
    """Weekly rows from day, time and end_time (an hour after the start when omitted); none
    for a meeting by appointment (neither day nor time)."""
    start = _clock(row, "time")
    end = _clock(row, "end_time")
    has_day = row.get("day") not in (None, "", [])
    if not has_day and start is None:
        if end is not None:
            raise FieldError("end_time", "given without day and time")
        return []
    if not has_day:
        raise FieldError("day", "missing (a meeting with a time needs a day)")
    days = _days(row.get("day"))
    if start is None:
        raise FieldError("time", "missing (a meeting with a day needs a time)")
    if end is None:
        end = (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(hours=1)).time()
    return [ScheduleRecord(BYDAY[day], start, end) for day in days]


def _timezone(row: dict[str, Any]) -> str | None:
    name = _text(row, "timezone")
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise FieldError("timezone", f"not a tz database time zone: {name!r}") from None
    return name


def _types(row: dict[str, Any], record: FacilityRecord) -> None:
    """Known type codes become source codes (and populations, languages); an unknown one is
    left out with a warning, as the spec lets feeds add their own types."""
    value = row.get("types")
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise FieldError("types", "not a list of type codes")
    known = meeting_types()
    for code in dict.fromkeys(t.strip() for t in value if t.strip()):
        if code not in known:
            record.warnings.append(("types", f"unknown meeting type {code!r} left out"))
            continue
        record.codes.append(SourceCode(TYPES_TAXONOMY, code, known[code]["en"]))
        if code in TYPE_POPULATIONS:
            record.populations.add(TYPE_POPULATIONS[code])
        if code in TYPE_LANGUAGES:
            record.languages.add(TYPE_LANGUAGES[code])


def _conference_phone(row: dict[str, Any], warnings: list[tuple[str, str]]) -> PhoneRecord | None:
    found = optional_value(
        warnings, "conference_phone", lambda: fields.phone(row.get("conference_phone"))
    )
    if found is None:
        return None
    notes = _text(row, "conference_phone_notes")
    description = "dial-in to the meeting" + (f": {notes}" if notes else "")
    return PhoneRecord(found[0], found[1], "voice", description[:300])


def _updated(row: dict[str, Any], warnings: list[tuple[str, str]]) -> dt.date | None:
    text = _text(row, "updated")
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").date()
    except ValueError:
        warnings.append(("updated", f"not YYYY-MM-DD HH:MM:SS: {text!r}"))
        return None


def _description(row: dict[str, Any]) -> str | None:
    """The meeting's notes, then the notes shared by meetings at its location."""
    parts = [_text(row, key) for key in ("notes", "location_notes")]
    return "\n\n".join(p for p in parts if p) or None


def record_scope(row: dict[str, Any]) -> str:
    """The feed a meeting belongs to, for its record id: slugs are unique only within one
    feed, so ids are "entity-or-site/slug" (the entity name, else the host of the meeting's
    listing URL)."""
    entity = normalize.name_key(_text(row, "entity") or "")
    if entity:
        return entity[:60]
    for key in ("url", "edit_url", "feedback_url"):
        host = re.sub(r"^[a-z]+://", "", (_text(row, key) or "").lower()).split("/")[0]
        if "." in host:
            return host[:60]
    return ""


def record_id(row: Any) -> str | None:
    """The record id a meeting row gets ("scope/slug"), or None when it has no usable slug;
    a feed refresh compares these to find the meetings that left the feed."""
    if not isinstance(row, dict):
        return None
    try:
        slug = _slug(row)
    except FieldError:
        return None
    scope = record_scope(row)
    return f"{scope}/{slug}" if scope else slug


def parse_meeting(line: int, row: Any) -> FacilityRecord:
    """One meeting as a record, or FieldError for the first thing the spec rejects."""
    if not isinstance(row, dict):
        raise FieldError("meeting", "not a JSON object")
    slug = _slug(row)
    name = _text(row, "name")
    if not name or len(name) > MAX_NAME:
        raise FieldError("name", f"missing or over {MAX_NAME} characters (required)")
    weekly = schedules(row)
    warnings: list[tuple[str, str]] = []
    phone = _conference_phone(row, warnings)
    conference_url = optional_value(
        warnings, "conference_url", lambda: normalize.website(row.get("conference_url"))
    )
    listing = optional_value(warnings, "url", lambda: normalize.website(row.get("url")))
    where: Place | None = place(row, online=bool(phone or conference_url), warnings=warnings)
    record = FacilityRecord(
        source=SOURCE,
        source_record_id=record_id(row) or slug,
        line=line,
        name=name,
        organization=_text(row, "group") or _text(row, "entity"),
        description=_description(row),
        timezone=_timezone(row),
        website=(listing or conference_url) if where else (conference_url or listing),
        phones=[phone] if phone else [],
        needs={"mutual_aid"},
        schedules=weekly,
        last_verified=_updated(row, warnings),
        scope="local" if where else "online",
        warnings=warnings,
    )
    if where:
        record.address_1, record.address_2 = where.street, where.building
        record.city, record.state = where.city, where.state
        record.postal_code, record.latitude, record.longitude = where.zip, where.lat, where.lon
    _types(row, record)
    validate(record)
    return record


def _error(line: int, row: Any, error: ValueError) -> RowError:
    slug = row.get("slug") if isinstance(row, dict) else None
    field, reason = (error.field, error.reason) if isinstance(error, FieldError) else (
        "meeting", str(error))
    label = f"meeting {slug!r}" if slug not in (None, "") else f"meeting #{line}"
    return RowError(line, field, f"{label}: {reason}")


def parse(path: Path) -> Iterator[FacilityRecord | RowError]:
    """Records of a Meeting Guide JSON feed; errors count meetings from 1 as lines."""
    seen: set[str] = set()
    for item in json_rows(path, "meetings", bare_list=True):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        try:
            record = parse_meeting(line, row)
        except ValueError as error:
            yield _error(line, row, error)
            continue
        if record.source_record_id in seen:
            slug = record.source_record_id.rsplit("/", 1)[-1]
            yield RowError(line, "slug", f"meeting {slug!r}: slug repeated in this feed")
            continue
        seen.add(record.source_record_id)
        yield record
