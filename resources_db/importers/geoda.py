"""The GeoDa Center's geocoded pulls of SAMHSA's locator (2020–2021), "as of 2021".

Three files, three sources:
- `samhsa-locator-sud`: substance_use_treatment_geocoded.csv (no phones or services);
- `samhsa-locator-mh`: mental_health_providers_geocoded.csv (phones, websites,
  type_facility "MH" -> mental_health);
- `samhsa-otp-directory`: opioid_treatment_programs_geocoded.csv (opioid treatment programs
  -> moud; the ID column is the program's name).
The files carry no stable record id, so one is derived from the identifying fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from resources_db import normalize
from resources_db.importers import base, fields
from resources_db.importers.headers import GEODA_MH, GEODA_OTP, GEODA_SUD, Columns
from resources_db.vocabulary import FACILITY_TYPE_NEEDS, NEED_CODES

AS_OF = dt.date(2021, 1, 1)
SUD_SOURCE = "samhsa-locator-sud"
MH_SOURCE = "samhsa-locator-mh"
OTP_SOURCE = "samhsa-otp-directory"


def _required(row: dict[str, str], column: str) -> str:
    value = normalize.clean(row.get(column))
    if not value:
        raise base.FieldError(column, "missing")
    return value


def _place(row: dict[str, str], columns: dict[str, str]) -> dict[str, object]:
    """Address and point fields shared by the three files (`columns` names their headers)."""
    c = columns
    return {
        "address_1": normalize.clean(row.get(c["street1"])),
        "address_2": normalize.clean(row.get(c["street2"])) if "street2" in c else None,
        "city": normalize.clean(row.get(c["city"])),
        "county": normalize.clean(row.get(c["county"])) if "county" in c else None,
        "state": (
            state := base.field_value(c["state"], lambda: normalize.state(row.get(c["state"])))
        ),
        "postal_code": base.field_value(
            c["zip"], lambda: fields.zip_code(row.get(c["zip"]), state)
        ),
        "latitude": base.field_value(
            c["latitude"], lambda: normalize.coordinate(row.get(c["latitude"]), "latitude")
        ),
        "longitude": base.field_value(
            c["longitude"], lambda: normalize.coordinate(row.get(c["longitude"]), "longitude")
        ),
    }


LOCATOR_COLUMNS = {
    "street1": "street1",
    "street2": "street2",
    "city": "city",
    "county": "county",
    "state": "state",
    "zip": "zip",
    "latitude": "latitude",
    "longitude": "longitude",
}
OTP_COLUMNS = {
    "street1": "ADDRESS",
    "city": "CITY",
    "state": "STATE",
    "zip": "POSTAL",
    "latitude": "Latitude",
    "longitude": "Longitude",
}


def parse_sud_row(line: int, row: dict[str, str], ids: base.RecordIds) -> base.FacilityRecord:
    name = _required(row, "name1")
    place = _place(row, LOCATOR_COLUMNS)
    record = base.FacilityRecord(
        source=SUD_SOURCE,
        source_record_id=ids.make(name, row.get("name2"), place["address_1"], place["postal_code"]),
        line=line,
        name=name,
        alternate_name=normalize.clean(row.get("name2")),
        organization=name,
        last_verified=AS_OF,
        **place,  # type: ignore[arg-type]
    )
    record.codes.append(base.SourceCode(SUD_SOURCE, "SA", "Substance use treatment facility"))
    return record


def _phone(row: dict[str, str], column: str, description: str | None) -> base.PhoneRecord | None:
    found = base.field_value(column, lambda: normalize.phone(row.get(column)))
    return base.PhoneRecord(found[0], found[1], "voice", description) if found else None


def parse_mh_row(line: int, row: dict[str, str], ids: base.RecordIds) -> base.FacilityRecord:
    name = _required(row, "name1")
    place = _place(row, LOCATOR_COLUMNS)
    phones = [
        p
        for p in (
            _phone(row, "phone", None),
            _phone(row, "intake1", "intake"),
            _phone(row, "intake2", "intake"),
        )
        if p is not None
    ]
    unique: list[base.PhoneRecord] = []
    for p in phones:
        if not any(u.number == p.number and u.extension == p.extension for u in unique):
            unique.append(p)
    facility_type = normalize.clean(row.get("type_facility"))
    warnings: list[tuple[str, str]] = []
    record = base.FacilityRecord(
        source=MH_SOURCE,
        source_record_id=ids.make(
            name, row.get("name2"), place["address_1"], place["address_2"], place["postal_code"]
        ),
        line=line,
        name=name,
        alternate_name=normalize.clean(row.get("name2")),
        organization=name,
        website=base.optional_value(
            warnings, "website", lambda: normalize.website(row.get("website"))
        ),
        phones=unique,
        last_verified=AS_OF,
        warnings=warnings,
        **place,  # type: ignore[arg-type]
    )
    if facility_type:
        record.codes.append(
            base.SourceCode(MH_SOURCE, facility_type, f"type_facility {facility_type}")
        )
        if facility_type in FACILITY_TYPE_NEEDS:
            record.needs.add(FACILITY_TYPE_NEEDS[facility_type])
    return record


def parse_otp_row(line: int, row: dict[str, str], ids: base.RecordIds) -> base.FacilityRecord:
    name = _required(row, "ID")
    place = _place(row, OTP_COLUMNS)
    record = base.FacilityRecord(
        source=OTP_SOURCE,
        source_record_id=ids.make(name, place["address_1"], place["postal_code"]),
        line=line,
        name=name,
        organization=name,
        last_verified=AS_OF,
        needs={NEED_CODES["OTP"]},
        **place,  # type: ignore[arg-type]
    )
    record.codes.append(base.SourceCode(OTP_SOURCE, "OTP", "Opioid treatment program"))
    return record


def _parse(
    path: Path,
    columns: Columns,
    parse_row: Callable[[int, dict[str, str], base.RecordIds], base.FacilityRecord],
) -> Iterator[base.FacilityRecord | base.RowError]:
    ids = base.RecordIds()
    return base.parse_rows(
        base.read_csv(path, columns), lambda line, row: parse_row(line, row, ids)
    )


def parse_sud(path: Path) -> Iterator[base.FacilityRecord | base.RowError]:
    return _parse(path, GEODA_SUD, parse_sud_row)


def parse_mh(path: Path) -> Iterator[base.FacilityRecord | base.RowError]:
    return _parse(path, GEODA_MH, parse_mh_row)


def parse_otp(path: Path) -> Iterator[base.FacilityRecord | base.RowError]:
    return _parse(path, GEODA_OTP, parse_otp_row)
