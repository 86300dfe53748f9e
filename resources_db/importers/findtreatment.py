"""FindTreatment.gov locator responses (JSON: {"rows": [{frid, name1, …, services: [...]}]}).

Each service entry is {f1 label, f2 code, f3 values joined by "; "}. Values map to needs,
payment and populations through `vocabulary.FINDTREATMENT_*`; every value, mapped or not,
is kept as a term of the "findtreatment" vocabulary ("f2:value"). Errors name the row's
position in `rows` (1-based) as its line. Records are "as of 2021".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from resources_db import normalize
from resources_db.importers import base, fields
from resources_db.vocabulary import (
    FACILITY_TYPE_NEEDS,
    FINDTREATMENT_NEEDS,
    FINDTREATMENT_PAYMENTS,
    FINDTREATMENT_POPULATIONS,
    language_code,
)

SOURCE = "findtreatment"
AS_OF = dt.date(2021, 1, 1)
LANGUAGE_CATEGORIES = {"OL", "AIL"}


def _text(row: dict[str, Any], key: str) -> str | None:
    return normalize.clean(row.get(key))


def _phones(row: dict[str, Any]) -> list[base.PhoneRecord]:
    phones: list[base.PhoneRecord] = []
    for key, description in (("phone", None), ("intake1", "intake"), ("hotline1", "hotline")):
        found = base.field_value(key, partial(normalize.phone, row.get(key)))
        if found and not any(p.number == found[0] for p in phones):
            phones.append(base.PhoneRecord(found[0], found[1], "voice", description))
    return phones


def _apply_services(record: base.FacilityRecord, services: Any) -> None:
    if not isinstance(services, list):
        raise base.FieldError("services", "not a list")
    for entry in services:
        if not isinstance(entry, dict) or not entry.get("f2"):
            raise base.FieldError("services", "entry without f2 code")
        category = str(entry["f2"]).strip()
        label = normalize.clean(entry.get("f1")) or category
        for raw in str(entry.get("f3") or "").split(";"):
            value = normalize.clean(raw)
            if not value:
                continue
            record.codes.append(base.SourceCode(SOURCE, f"{category}:{value}", f"{label}: {value}"))
            if value in FINDTREATMENT_NEEDS.get(category, {}):
                record.needs.add(FINDTREATMENT_NEEDS[category][value])
            if value in FINDTREATMENT_PAYMENTS.get(category, {}):
                record.payments.add(FINDTREATMENT_PAYMENTS[category][value])
            if value in FINDTREATMENT_POPULATIONS.get(category, {}):
                record.populations.add(FINDTREATMENT_POPULATIONS[category][value])
            if category in LANGUAGE_CATEGORIES:
                code = language_code(value)
                if code:
                    record.languages.add(code)


def parse_row(line: int, row: Any, ids: base.RecordIds) -> base.FacilityRecord:
    if not isinstance(row, dict):
        raise base.FieldError("row", "not an object")
    name = _text(row, "name1")
    if not name:
        raise base.FieldError("name1", "missing")
    frid = _text(row, "frid")
    if not frid:
        raise base.FieldError("frid", "missing")
    facility_type = _text(row, "typeFacility")
    warnings: list[tuple[str, str]] = []
    state = base.field_value("state", lambda: normalize.state(row.get("state")))
    record = base.FacilityRecord(
        source=SOURCE,
        source_record_id=ids.unique(frid),
        line=line,
        name=name,
        alternate_name=_text(row, "name2"),
        organization=name,
        address_1=_text(row, "street1"),
        address_2=_text(row, "street2"),
        city=_text(row, "city"),
        state=state,
        postal_code=base.field_value("zip", lambda: fields.zip_code(row.get("zip"), state)),
        latitude=base.field_value(
            "latitude", lambda: normalize.coordinate(row.get("latitude"), "latitude")
        ),
        longitude=base.field_value(
            "longitude", lambda: normalize.coordinate(row.get("longitude"), "longitude")
        ),
        website=base.optional_value(
            warnings, "website", lambda: normalize.website(row.get("website"))
        ),
        phones=_phones(row),
        last_verified=AS_OF,
        warnings=warnings,
    )
    if facility_type:
        record.codes.append(
            base.SourceCode(
                SOURCE, f"typeFacility:{facility_type}", f"Facility type: {facility_type}"
            )
        )
        if facility_type in FACILITY_TYPE_NEEDS:
            record.needs.add(FACILITY_TYPE_NEEDS[facility_type])
    _apply_services(record, row.get("services") or [])
    return record


def parse(path: Path) -> Iterator[base.FacilityRecord | base.RowError]:
    ids = base.RecordIds()
    return base.parse_rows(base.json_rows(path, "rows", bare_list=True),
                           lambda line, row: parse_row(line, row, ids))
