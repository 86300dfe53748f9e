"""Local recovery supports from the admins' own CSV file (`import local-csv FILE`).

No nationwide list of recovery community organizations, recovery residences, syringe
services or ride programs can be bundled, so each deployment keeps its own in a spreadsheet
(template: docs/templates/local-supports.csv; columns: docs/admin.md). Each row goes through
the admin edit form's own validation and write path (`resources_db.editing`), so a row and a
form entry are checked and stored the same way; the source is `local`, matched on the row's
`record_id`: importing the file again changes nothing, and a changed row updates its service.

A bad row is reported with its line, column and reason and the other rows still import; a row
whose `record_id` starts with `#` (the template's example) is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from resources_db import editing, normalize
from resources_db.geocode import resolve_place
from resources_db.importers import fields
from resources_db.importers.headers import Columns, HeaderMismatch
from resources_db.importers.readers import read_csv
from resources_db.importers.records import (
    ImportSummary,
    RowError,
    RowWarning,
    UnreadableFile,
)
from resources_db.models import RecordSource, Service
from resources_db.search_index import refresh_services

SOURCE = "local"
FORMAT = "local-csv"
COLUMNS = Columns(
    FORMAT,
    (
        "record_id",
        "name",
        "organization",
        "needs",
        "description",
        "address_1",
        "address_2",
        "city",
        "state",
        "postal_code",
        "service_area",
        "latitude",
        "longitude",
        "phone",
        "phone_extension",
        "website",
        "hours",
        "languages",
        "populations",
        "eligibility",
        "minimum_age",
        "maximum_age",
        "peer_run",
        "cost",
        "payment",
        "how_to_get_help",
        "last_verified",
    ),
    ("record_id", "name", "needs", "city", "state", "postal_code"),
)
#: CSV column -> the edit form's field, where they differ
FORM_FIELDS = {
    "eligibility": "eligibility_description",
    "cost": "fees_description",
    "payment": "insurance",
    "how_to_get_help": "application_process",
}
COLUMN_OF = {form: column for column, form in FORM_FIELDS.items()}
LIST_COLUMNS = ("needs", "populations", "payment", "languages")
_DAY_WORDS = {
    "mo": "MO",
    "mon": "MO",
    "monday": "MO",
    "tu": "TU",
    "tue": "TU",
    "tues": "TU",
    "tuesday": "TU",
    "we": "WE",
    "wed": "WE",
    "wednesday": "WE",
    "th": "TH",
    "thu": "TH",
    "thur": "TH",
    "thurs": "TH",
    "thursday": "TH",
    "fr": "FR",
    "fri": "FR",
    "friday": "FR",
    "sa": "SA",
    "sat": "SA",
    "saturday": "SA",
    "su": "SU",
    "sun": "SU",
    "sunday": "SU",
}
_DAYS_THEN_TIMES = re.compile(r"^([a-z]+(?:\s*[-,&]\s*[a-z]+)*)\s+(.+)$", re.IGNORECASE)


class RowProblems(Exception):
    """Everything wrong with one row: column -> reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def _day(word: str) -> str:
    day = _DAY_WORDS.get(word.strip().lower().rstrip("."))
    if day is None:
        raise ValueError(f"not a day of the week: {word.strip()!r}")
    return day


def _days(text: str) -> list[str]:
    """ "Mon-Fri" (a range, may wrap past Sunday), "Mon,Wed", "Sat & Sun" -> day codes."""
    days: list[str] = []
    for part in re.split(r"\s*[,&]\s*", text.strip()):
        ends = re.split(r"\s*-\s*", part)
        if len(ends) == 1:
            days.append(_day(ends[0]))
            continue
        if len(ends) != 2:
            raise ValueError(f"write a range of days like Mon-Fri: {part!r}")
        start, stop = fields.DAYS.index(_day(ends[0])), fields.DAYS.index(_day(ends[1]))
        days += [fields.DAYS[(start + n) % 7] for n in range((stop - start) % 7 + 1)]
    return days


def parse_hours(text: str) -> dict[str, str]:
    """ "Mon-Fri 9:00-17:00; Sat 10:00-14:00" -> the form's text per day ({"MO": "9:00-17:00",
    …}; days not named are closed or not known). ValueError says what is wrong."""
    week: dict[str, list[str]] = {day: [] for day in fields.DAYS}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        found = _DAYS_THEN_TIMES.match(part)
        if not found:
            raise ValueError(f"write hours like Mon-Fri 9:00-17:00; Sat 10:00-14:00: {part!r}")
        for day in _days(found.group(1)):
            fields.day_hours(found.group(2))  # checks the times; the form parses them again
            week[day].append(found.group(2).strip())
    return {day: ", ".join(spans) for day, spans in week.items()}


def _date(text: str, today: dt.date) -> dt.date:
    if not text:
        return today
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"write the date as YYYY-MM-DD, not {text!r}") from None
    if day > today:
        raise ValueError(f"{text} is in the future")
    return day


def form_values(row: dict[str, str]) -> dict[str, Any]:
    """A row in the edit form's terms: no street address but an area means no fixed address,
    lists may be separated by commas or semicolons; raises RowProblems for the hours."""
    values: dict[str, Any] = {
        FORM_FIELDS.get(k, k): v
        for k, v in row.items()
        if k in COLUMNS.expected and k not in LIST_COLUMNS
    }
    for column in LIST_COLUMNS:
        values[FORM_FIELDS.get(column, column)] = row.get(column, "").replace(";", ",")
    values["no_fixed_address"] = not row.get("address_1") and bool(row.get("service_area"))
    values["peer_run"] = row.get("peer_run", "")
    try:
        values["hours"] = parse_hours(row.get("hours", ""))
    except ValueError as error:
        raise RowProblems({"hours": str(error)}) from None
    return values


def _column_problems(errors: dict[str, str]) -> dict[str, str]:
    """The form's messages under the CSV's column names."""
    problems: dict[str, str] = {}
    for key, message in errors.items():
        column = "hours" if key.startswith("hours_") else COLUMN_OF.get(key, key)
        if column == "address_1":
            message = (
                "Give the street address, or leave it empty and fill service_area "
                "for a support with no fixed address."
            )
        elif column == "no_fixed_address":
            column = "service_area"
        problems.setdefault(column, message)
    return problems


def _placeable(parsed: editing.ServiceInput) -> None:
    """Without coordinates the ZIP's centre places a row (checked before anything is written,
    so a row is written whole or not at all)."""
    if parsed.point is not None:
        return
    if resolve_place(parsed.postal_code).status != "found":
        raise RowProblems(
            {
                "postal_code": f"unknown ZIP code {parsed.postal_code}: check it, or "
                "give latitude and longitude"
            }
        )


@dataclass(frozen=True)
class LocalRow:
    line: int
    record_id: str
    values: editing.ServiceInput
    verified: dt.date
    checksum: str


def parse_row(line: int, row: dict[str, str], today: dt.date) -> LocalRow:
    """One validated row; RowProblems lists every bad column."""
    row = {k: (normalize.clean(v) or "") for k, v in row.items() if k}
    problems: dict[str, str] = {}
    try:
        values = form_values(row)
    except RowProblems as error:
        problems.update(error.problems)
        values = form_values({**row, "hours": ""})
    if not row.get("record_id") or len(row["record_id"]) > 128:
        problems["record_id"] = (
            "give every row an id of its own (up to 128 characters), "
            "e.g. rcc-1: a re-import updates the row with the same id"
        )
    try:
        verified = _date(row.get("last_verified", ""), today)
    except ValueError as error:
        problems["last_verified"] = str(error)
    try:
        parsed = editing.parse_service_input(values)
    except editing.InvalidEdit as error:
        problems = {**_column_problems(error.errors), **problems}
    if problems:
        raise RowProblems(problems)
    _placeable(parsed)
    content = json.dumps({k: row.get(k, "") for k in COLUMNS.expected}, sort_keys=True)
    return LocalRow(
        line, row["record_id"], parsed, verified, hashlib.sha256(content.encode()).hexdigest()
    )


def _write(session: Session, item: LocalRow, summary: ImportSummary) -> None:
    """Create, update or leave alone the row's service (matched on its record id)."""
    known = session.scalar(
        select(RecordSource).where(
            RecordSource.source == SOURCE, RecordSource.source_record_id == item.record_id
        )
    )
    now = dt.datetime.now(dt.UTC)
    if known is None:
        change = editing.create_service(
            session, item.values, item.verified, source=SOURCE, record_id=item.record_id
        )
        location = change.after.get("location_id") if change.after else None
        session.add(
            RecordSource(
                service_id=change.record_id,
                location_id=location,
                source=SOURCE,
                source_record_id=item.record_id,
                last_verified=item.verified,
                checksum=item.checksum,
                imported_at=now,
            )
        )
        summary.created += 1
        return
    if known.checksum == item.checksum:
        summary.unchanged += 1
        return
    service = session.get(Service, known.service_id)
    assert service is not None  # record_source rows go with their service (cascade)
    editing.update_service(session, service.id, service.version, item.values, remember=False)
    known.checksum, known.last_verified, known.imported_at = item.checksum, item.verified, now
    session.flush()
    refresh_services(session, [service.id])  # the card's last_verified
    summary.updated += 1


def _rows(path: Path, summary: ImportSummary) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows; file-level problems and cut rows go to the summary."""
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for item in read_csv(path, COLUMNS):
            if isinstance(item, RowWarning):
                summary.warnings.append(item)
            elif isinstance(item, RowError):
                summary.errors.append(item)
            else:
                rows.append(item)
    except HeaderMismatch as error:
        summary.errors.append(RowError(1, "header", str(error)))
    except UnreadableFile as error:
        summary.errors.append(RowError(1, "file", str(error)))
    return rows


def _row_error(line: int, problems: dict[str, str]) -> RowError:
    """One error per row (the counts are of rows), naming every bad column."""
    if len(problems) == 1:
        [(column, reason)] = problems.items()
        return RowError(line, column, reason)
    return RowError(
        line,
        ", ".join(problems),
        "; ".join(f"{column}: {reason}" for column, reason in problems.items()),
    )


def import_local_csv(
    session: Session,
    path: Path,
    *,
    today: dt.date | None = None,
    take_source: Collection[tuple[str, str]] = (),
    **_options: object,
) -> ImportSummary:
    """Import the file in the caller's transaction (the caller commits or rolls back).
    `take_source` is accepted for the import page's sake: the admin's own file has no
    conflicts with the admin's edits."""
    summary = ImportSummary(SOURCE)
    today = today or dt.datetime.now(dt.UTC).date()
    seen: dict[str, int] = {}
    for line, row in _rows(path, summary):
        record_id = normalize.clean(row.get("record_id")) or ""
        if record_id.startswith("#"):
            summary.warnings.append(
                RowWarning(line, "record_id", "example row skipped (its record_id starts with #)")
            )
            continue
        if record_id in seen:
            summary.errors.append(
                RowError(
                    line, "record_id", f"{record_id!r} is already used on line {seen[record_id]}"
                )
            )
            continue
        if record_id:
            seen[record_id] = line
        try:
            item = parse_row(line, row, today)
        except RowProblems as error:
            summary.errors.append(_row_error(line, error.problems))
            continue
        _write(session, item, summary)
    return summary
