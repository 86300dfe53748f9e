"""National lines and directories (resources_db/seed/national_resources.json).

Each entry becomes a national, location-less service (source "national", record id = the
entry's key) with its categories, so search relaxation can offer them when nothing local
matches. Only numbers present in the file are stored; nothing is added.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from resources_db import normalize
from resources_db.importers.base import (
    FacilityRecord,
    FieldError,
    PhoneRecord,
    RowError,
    field_value,
    json_rows,
    parse_rows,
)
from resources_db.national import NATIONAL_RESOURCES_PATH

SOURCE = "national"
DEFAULT_PATH = NATIONAL_RESOURCES_PATH


def _phones(entry: dict[str, Any]) -> list[PhoneRecord]:
    phones = []
    if entry.get("phone"):
        phones.append(PhoneRecord(str(entry["phone"]).strip(), None, "voice", None))
    if entry.get("tty"):
        phones.append(PhoneRecord(str(entry["tty"]).strip(), None, "textphone", "TTY"))
    return phones


def parse_entry(line: int, entry: Any) -> FacilityRecord:
    if not isinstance(entry, dict):
        raise FieldError("entry", "not an object")
    key = normalize.clean(entry.get("key"))
    name = normalize.clean(entry.get("name"))
    if not key:
        raise FieldError("key", "missing")
    if not name:
        raise FieldError("name", "missing")
    if not entry.get("source"):
        raise FieldError("source", "every national line must name where it was confirmed")
    notes = [normalize.clean(entry.get("note")), normalize.clean(entry.get("text"))]
    return FacilityRecord(
        source=SOURCE,
        source_record_id=key,
        line=line,
        name=name,
        scope="national",
        description=" ".join(n for n in notes if n) or None,
        website=field_value("website", lambda: normalize.website(entry.get("website"))),
        phones=_phones(entry),
        needs=set(entry.get("categories") or []),
        languages=set(entry.get("languages") or []),
        hours_text=normalize.clean(entry.get("hours")),
        last_verified=None,
    )


def parse(path: Path = DEFAULT_PATH) -> Iterator[FacilityRecord | RowError]:
    return parse_rows(json_rows(path, "resources"), parse_entry)
