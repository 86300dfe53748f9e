"""Validating what an admin typed (form or JSON) into a `ServiceInput`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from resources_db import normalize
from resources_db.editing.details import ServiceDetails, parse_details, yes_no
from resources_db.editing.errors import CAPACITY_UNITS, MAX_CAPACITY, InvalidEdit
from resources_db.importers import fields
from resources_db.importers.records import PhoneRecord
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS

T = TypeVar("T")


@dataclass
class ServiceInput:
    """The editable fields of a service and its (primary) location."""

    name: str
    organization: str | None
    description: str | None
    website: str | None
    phone: str | None
    phone_extension: str | None
    address_1: str
    address_2: str | None
    city: str
    state: str
    postal_code: str
    #: (latitude, longitude) given by hand; both or neither, so one optional pair
    point: tuple[float, float] | None
    needs: list[str] = field(default_factory=list)
    insurance: list[str] = field(default_factory=list)
    populations: list[str] = field(default_factory=list)
    #: None: not sent (kept as they are); else the whole list / week
    phones: list[PhoneRecord] | None = None
    hours: dict[str, list[tuple[dt.time, dt.time]]] | None = None
    languages: list[str] | None = None
    #: no street address: the service comes to people or serves an area (`details.service_area`)
    no_fixed_address: bool = False
    details: ServiceDetails = field(default_factory=ServiceDetails)

def _text(values: Mapping[str, Any], key: str) -> str | None:
    value = values.get(key)
    return normalize.clean(value) if value is not None else None


def _choices(values: Mapping[str, Any], key: str) -> list[str]:
    raw = values.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _checked_choices(
    values: Mapping[str, Any], key: str, allowed: Sequence[str], errors: dict[str, str]
) -> list[str]:
    chosen = _choices(values, key)
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        errors[key] = f"Not a known choice: {', '.join(unknown)}."
    return [c for c in allowed if c in chosen]


def _coordinate(values: Mapping[str, Any], key: str, errors: dict[str, str]) -> float | None:
    try:
        return normalize.coordinate(values.get(key), key)
    except ValueError:
        limit = 90 if key == "latitude" else 180
        errors[key] = f"Enter a number between -{limit} and {limit}, or leave it empty."
        return None


def parse_service_input(values: Mapping[str, Any]) -> ServiceInput:
    """Validate form or JSON values; raises InvalidEdit with a message per bad field."""
    errors: dict[str, str] = {}
    name = _text(values, "name")
    if not name:
        errors["name"] = "Enter the service's name."
    elif len(name) > 300:
        errors["name"] = "Use 300 characters or fewer."
    website = None
    try:
        website = normalize.website(values.get("website"))
    except ValueError:
        errors["website"] = "Enter a web address like https://example.org, or leave it empty."
    phone: tuple[str, str | None] | None = None
    try:
        phone = fields.phone(values.get("phone"))
    except ValueError:
        errors["phone"] = "Enter a 10-digit US phone number like 410-555-0100."
    extension = _checked(errors, "phone_extension", lambda: fields.extension(
        values.get("phone_extension")))
    no_fixed_address = _flag(values, "no_fixed_address", errors)
    address_1 = "" if no_fixed_address else _text(values, "address_1")
    if not address_1 and not no_fixed_address:
        errors["address_1"] = ("Enter the street address, or tick \"No fixed address\" and "
                               "say which area it serves.")
    city = _text(values, "city")
    if not city:
        errors["city"] = "Enter the city."
    state = ""
    try:
        state = normalize.state(values.get("state"))
    except ValueError:
        errors["state"] = "Enter a two-letter state code like MD."
    postal = _checked(errors, "postal_code",
                      lambda: fields.zip_code(values.get("postal_code"), state or None))
    if not postal and "postal_code" not in errors:
        errors["postal_code"] = "Enter a 5-digit ZIP code."
    latitude = _coordinate(values, "latitude", errors)
    longitude = _coordinate(values, "longitude", errors)
    if (latitude is None) != (longitude is None) and "latitude" not in errors:
        errors["latitude"] = "Enter both latitude and longitude, or neither."
    needs = _checked_choices(values, "needs", NEEDS, errors)
    if not needs and "needs" not in errors:
        errors["needs"] = "Choose at least one kind of help this service offers."
    insurance = _checked_choices(values, "insurance", PAYMENT_VALUES, errors)
    populations = _checked_choices(values, "populations", POPULATIONS, errors)
    phones = _phones(values, errors)
    hours = _hours(values, errors)
    languages = _languages(values, errors)
    details = parse_details(values, errors)
    if no_fixed_address and not details.service_area and "service_area" not in errors:
        errors["service_area"] = "Say which area it serves, e.g. Baltimore City and County."
    if errors:
        raise InvalidEdit(errors)
    return ServiceInput(
        name=str(name),
        organization=_text(values, "organization"),
        description=_text(values, "description"),
        website=website,
        phone=phone[0] if phone else None,
        phone_extension=extension or (phone[1] if phone else None),
        address_1=str(address_1),
        address_2=None if no_fixed_address else _text(values, "address_2"),
        city=str(city),
        state=state,
        postal_code=str(postal),
        point=None if latitude is None or longitude is None else (latitude, longitude),
        needs=needs,
        insurance=insurance,
        populations=populations,
        phones=phones,
        hours=hours,
        languages=languages,
        no_fixed_address=no_fixed_address,
        details=details,
    )


def _flag(values: Mapping[str, Any], key: str, errors: dict[str, str]) -> bool:
    """A yes/no field; absent is no."""
    try:
        return yes_no(values.get(key))
    except ValueError:
        errors[key] = "Answer yes or no."
        return False


def _checked(errors: dict[str, str], key: str, convert: Callable[[], T]) -> T | None:
    """The converted value, or None with the import check's own message for the field."""
    try:
        return convert()
    except ValueError as error:
        text = str(error)
        errors[key] = text[:1].upper() + text[1:] + ("" if text.endswith(("?", ".")) else ".")
        return None


def _rows(values: Mapping[str, Any], key: str) -> list[str]:
    raw = values.get(key)
    if raw is None:
        return []
    return [str(v) for v in raw] if isinstance(raw, list | tuple) else [str(raw)]


def _phones(values: Mapping[str, Any], errors: dict[str, str]) -> list[PhoneRecord] | None:
    """Other phone lines: form rows (extra_phone / extra_extension / extra_description) or a
    JSON list of {number, extension, description}; None when neither was sent."""
    if "phones" in values and isinstance(values["phones"], list):
        rows = [(str(p.get("number") or ""), str(p.get("extension") or ""),
                 str(p.get("description") or "")) for p in values["phones"] if isinstance(p, dict)]
    elif "extra_phone" in values:
        numbers = _rows(values, "extra_phone")
        extensions = _rows(values, "extra_extension") + [""] * len(numbers)
        descriptions = _rows(values, "extra_description") + [""] * len(numbers)
        rows = list(zip(numbers, extensions, descriptions, strict=False))
    else:
        return None
    phones: list[PhoneRecord] = []
    for n, (number, extension, description) in enumerate(rows, start=1):
        if not number.strip():
            continue
        found = _checked(errors, "extra_phone", partial(fields.phone, number))
        ext = _checked(errors, "extra_phone", partial(fields.extension, extension))
        if "extra_phone" in errors:
            errors["extra_phone"] = f"Line {n}: enter a 10-digit number like 410-555-0100 " \
                                    "and an extension of digits only."
            return None
        if found:
            phones.append(PhoneRecord(found[0], ext or found[1], "voice",
                                      normalize.clean(description)))
    return phones


def _hours(values: Mapping[str, Any], errors: dict[str, str]
           ) -> dict[str, list[tuple[dt.time, dt.time]]] | None:
    """Hours per day: form fields hours_MO … hours_SU or JSON {"hours": {"MO": "9-17"}}."""
    given = values.get("hours")
    week = given if isinstance(given, dict) else {
        day: values[f"hours_{day}"] for day in fields.DAYS if f"hours_{day}" in values}
    if not week:
        return None
    hours: dict[str, list[tuple[dt.time, dt.time]]] = {}
    for day in fields.DAYS:
        try:
            hours[day] = fields.day_hours(week.get(day))
        except ValueError as error:
            errors[f"hours_{day}"] = (f"{fields.DAY_NAMES[day]}: {error}. Write hours like "
                                      "9:00-17:00 or 9am-12pm, 1pm-5pm; leave empty if closed.")
    return hours


def _languages(values: Mapping[str, Any], errors: dict[str, str]) -> list[str] | None:
    if "languages" not in values:
        return None
    codes: list[str] = []
    for item in _choices(values, "languages"):
        code = _checked(errors, "languages", partial(fields.language, item))
        if code and code not in codes:
            codes.append(code)
    if "languages" in errors:
        errors["languages"] = (f"{errors['languages'].rstrip('.')}. Use two-letter codes "
                               "separated by commas, like en, es.")
        return None
    return codes


def parse_capacity(values: Mapping[str, Any]) -> tuple[int, int | None, str]:
    """(available, total, unit) from form or JSON values; InvalidEdit when wrong."""
    errors: dict[str, str] = {}

    def count(key: str, required: bool) -> int | None:
        raw = values.get(key)
        if raw is None or str(raw).strip() == "":
            if required:
                errors[key] = "Enter a whole number, 0 or more."
            return None
        try:
            number = int(str(raw).strip())
        except ValueError:
            errors[key] = "Enter a whole number, 0 or more."
            return None
        if not 0 <= number <= MAX_CAPACITY:
            errors[key] = f"Enter a whole number from 0 to {MAX_CAPACITY}."
            return None
        return number

    available = count("available", True)
    total = count("total", False)
    unit = (_text(values, "unit") or "beds").lower()
    if unit not in CAPACITY_UNITS:
        errors["unit"] = f"Choose one of: {', '.join(CAPACITY_UNITS)}."
    if available is not None and total is not None and available > total:
        errors["available"] = "Open spots can't be more than the total."
    if errors or available is None:
        raise InvalidEdit(errors)
    return available, total, unit


def parse_version(raw: object) -> int:
    try:
        version = int(str(raw))
    except (TypeError, ValueError):
        raise InvalidEdit({"version": "Missing record version; reload the page."}) from None
    return version

