"""The shape of an imported record, row errors, validation and the import summary."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import astuple, dataclass, field, fields, is_dataclass
from typing import Any

from resources_db.models import STATUSES
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS

ID_NAMESPACE = uuid.UUID("6f1c1d2e-5a0b-4b7e-9c55-1e0f3c2a7d10")
#: our own vocabularies, stored as taxonomy terms like any source's codes
NEED_TAXONOMY = "recovery-navigator-needs"
PAYMENT_TAXONOMY = "recovery-navigator-payment"
POPULATION_TAXONOMY = "recovery-navigator-populations"
#: sources whose records never merge with another record, nor another with theirs: each
#: mutual-aid meeting is its own service, even when it meets at a clinic's address
SEPARATE_SOURCES = frozenset({"meeting-guide"})


def stable_id(*parts: object) -> str:
    """Deterministic UUID for a record, so re-imports and re-seeds keep the same ids."""
    return str(uuid.uuid5(ID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


class FieldError(ValueError):
    """A field of one row is unusable."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (not text, broken CSV quoting, ...)."""


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class RowWarning(RowError):
    """Something about the file or a row worth saying that does not stop the row importing
    (the file was read with semicolons, an unexpected column was ignored)."""


@dataclass
class PhoneRecord:
    number: str
    extension: str | None = None
    type: str = "voice"
    description: str | None = None


@dataclass(frozen=True)
class SourceCode:
    """A source's own code or value, kept as a taxonomy term of the source's vocabulary."""

    taxonomy: str
    code: str
    name: str


@dataclass
class ScheduleRecord:
    byday: str
    opens_at: dt.time
    closes_at: dt.time
    description: str | None = None


@dataclass
class FacilityRecord:
    source: str
    source_record_id: str
    line: int
    name: str
    last_verified: dt.date | None
    organization: str | None = None
    alternate_name: str | None = None
    description: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    county: str | None = None
    state: str | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    timezone: str | None = None
    phones: list[PhoneRecord] = field(default_factory=list)
    website: str | None = None
    email: str | None = None
    needs: set[str] = field(default_factory=set)
    payments: set[str] = field(default_factory=set)
    populations: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    codes: list[SourceCode] = field(default_factory=list)
    schedules: list[ScheduleRecord] = field(default_factory=list)
    hours_text: str | None = None
    status: str = "active"
    #: "local" (has an address and a point), "national" (a line, no location) or "online"
    #: (a meeting held online only: a virtual location, reached by `website` or a phone)
    scope: str = "local"
    #: optional fields that were unusable and left out: (field, reason); not part of checksum
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def checksum(self) -> str:
        """Hash of everything imported from the row (not its line number)."""
        data = {
            name: _plain(getattr(self, name))
            for name in _RECORD_FIELDS
            if name not in {"line", "warnings"}
        }
        return hashlib.sha256(
            json.dumps(data, sort_keys=True, default=_json_default).encode()
        ).hexdigest()


_RECORD_FIELDS = tuple(f.name for f in fields(FacilityRecord))


def _plain(value: object) -> object:
    """A JSON-friendly copy: sets sorted, nested records as tuples (faster than asdict)."""
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, list):
        return [
            astuple(item) if is_dataclass(item) and not isinstance(item, type) else item
            for item in value
        ]
    return value


def _json_default(value: object) -> object:
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(type(value))


@dataclass
class ImportSummary:
    source: str
    created: int = 0
    updated: int = 0
    merged: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: rows imported without an unusable optional field (a malformed website, …)
    warnings: list[RowError] = field(default_factory=list)
    #: fields an admin changed, kept against a differing source value (admin_edits.Conflict)
    conflicts: list[Any] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.merged + self.unchanged

    def text(self, max_errors: int = 20) -> str:
        lines = [
            f"{self.source}: {self.created} created, {self.updated} updated, "
            f"{self.merged} merged, {self.unchanged} unchanged, {len(self.errors)} errors"
            + (f", {len(self.warnings)} warnings" if self.warnings else "")
        ]
        lines += [f"  {error}" for error in self.errors[:max_errors]]
        if len(self.errors) > max_errors:
            lines.append(f"  … and {len(self.errors) - max_errors} more errors")
        lines += [
            f"  warning: {warning} (row imported without it)"
            for warning in self.warnings[:max_errors]
        ]
        lines += [f"  conflict: {conflict}" for conflict in self.conflicts[:max_errors]]
        return "\n".join(lines)

    def add(self, other: ImportSummary) -> None:
        self.created += other.created
        self.updated += other.updated
        self.merged += other.merged
        self.unchanged += other.unchanged
        self.errors += other.errors
        self.warnings += other.warnings
        self.conflicts += other.conflicts


def validate(record: FacilityRecord) -> None:
    """Raise FieldError for the first thing wrong with a parsed record."""
    if not record.name or not record.name.strip():
        raise FieldError("name", "missing")
    if not record.source_record_id:
        raise FieldError("id", "missing")
    if record.status not in STATUSES:
        raise FieldError("status", f"unknown status {record.status!r}")
    for values, vocabulary, name in (
        (record.needs, NEEDS, "categories"),
        (record.payments, PAYMENT_VALUES, "payment"),
        (record.populations, POPULATIONS, "populations"),
    ):
        unknown = set(values) - set(vocabulary)
        if unknown:
            raise FieldError(name, f"unknown value(s) {sorted(unknown)}")
    if record.scope == "national":
        return
    if record.scope == "online":
        if not record.website and not record.phones:
            raise FieldError("website", "an online meeting needs a web address or a phone")
        return
    for name in ("address_1", "city", "state", "postal_code"):
        if not getattr(record, name):
            raise FieldError(name, "missing")
    if record.latitude is None or record.longitude is None:
        raise FieldError("latitude", "missing coordinates")
    if not (-90 <= record.latitude <= 90):
        raise FieldError("latitude", f"out of range: {record.latitude}")
    if not (-180 <= record.longitude <= 180):
        raise FieldError("longitude", f"out of range: {record.longitude}")
    if record.latitude == 0 and record.longitude == 0:
        raise FieldError("latitude", "0,0 is not a place in the United States")

