"""SAMHSA's 2017 National Directory, methadone providers (national_directory_2017_methadone.csv).

Columns: Name1–3, Address1–3, City, State, ZIP_Code, Contact (phones as free text), Note,
Keys (the directory's service codes joined by "/"), ID, Longitude, Latitude, Match Score.
Codes are mapped through `vocabulary` where the locator confirms their meaning; every code,
mapped or not, is kept as a term of the "samhsa-national-directory-2017" vocabulary.
Records are "as of 2017": last_verified is 2017-01-01 (the directory gives only the year).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from resources_db import normalize
from resources_db.importers import base, fields
from resources_db.importers.headers import SAMHSA_DIRECTORY
from resources_db.importers.locator_codes import code_labels
from resources_db.vocabulary import (
    LANGUAGE_CODES,
    NEED_CODES,
    PAYMENT_CODES,
    POPULATION_CODES,
)

SOURCE = "samhsa-national-directory-2017"
TAXONOMY = SOURCE
AS_OF = dt.date(2017, 1, 1)
_LABEL = re.compile(r"\b(Intakes?|Hotline|Fax|TTY|TDD)\s*:", re.IGNORECASE)


def contact_phones(contact: str) -> list[base.PhoneRecord]:
    """Phones really written in the Contact text; numbers after "Intake:" are intake lines."""
    phones: list[base.PhoneRecord] = []
    parts = _LABEL.split(contact)
    label: str | None = None
    for n, part in enumerate(parts):
        if n % 2 == 1:
            label = part.lower().rstrip("s")
            continue
        kind = "fax" if label == "fax" else "textphone" if label in {"tty", "tdd"} else "voice"
        for number, extension in normalize.find_phones(part):
            if any(p.number == number and p.extension == extension for p in phones):
                continue
            phones.append(base.PhoneRecord(number, extension, kind, label))
    return phones


def parse_row(line: int, row: dict[str, str], ids: base.RecordIds) -> base.FacilityRecord:
    name = normalize.clean(row.get("Name1"))
    if not name:
        raise base.FieldError("Name1", "missing")
    alternates = [v for v in (normalize.clean(row.get(k)) for k in ("Name2", "Name3")) if v]
    street = [
        v for v in (normalize.clean(row.get(k)) for k in ("Address1", "Address2", "Address3")) if v
    ]
    state = base.field_value("State", lambda: normalize.state(row.get("State")))
    zip_code = base.field_value("ZIP_Code", lambda: fields.zip_code(row.get("ZIP_Code"), state))
    record_id = normalize.clean(row.get("ID"))
    if not record_id:
        raise base.FieldError("ID", "missing")
    record = base.FacilityRecord(
        source=SOURCE,
        source_record_id=ids.unique(record_id),
        line=line,
        name=name,
        alternate_name=" – ".join(alternates) or None,
        organization=name,
        address_1=street[0] if street else None,
        address_2=", ".join(street[1:]) or None,
        city=normalize.clean(row.get("City")),
        state=state,
        postal_code=zip_code,
        latitude=base.field_value(
            "Latitude", lambda: normalize.coordinate(row.get("Latitude"), "latitude")
        ),
        longitude=base.field_value(
            "Longitude", lambda: normalize.coordinate(row.get("Longitude"), "longitude")
        ),
        phones=contact_phones(row.get("Contact") or ""),
        description=normalize.clean(row.get("Note")),
        last_verified=AS_OF,
    )
    labels = code_labels()
    for code in dict.fromkeys(c.strip() for c in (row.get("Keys") or "").split("/")):
        if not code:
            continue
        record.codes.append(base.SourceCode(TAXONOMY, code, labels.get(code, code)))
        if code in NEED_CODES:
            record.needs.add(NEED_CODES[code])
        if code in PAYMENT_CODES:
            record.payments.add(PAYMENT_CODES[code])
        if code in POPULATION_CODES:
            record.populations.add(POPULATION_CODES[code])
        if code in LANGUAGE_CODES:
            record.languages.add(LANGUAGE_CODES[code])
    return record


def parse(path: Path) -> Iterator[base.FacilityRecord | base.RowError]:
    ids = base.RecordIds()
    return base.parse_rows(base.read_csv(path, SAMHSA_DIRECTORY),
                           lambda line, row: parse_row(line, row, ids))
