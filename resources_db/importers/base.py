"""What every importer shares: the record shape, row errors, and the writer.

An importer parses its file into `FacilityRecord`s (or `RowError`s for rows it cannot
read). `import_records` validates each record, then writes all good ones in the caller's
transaction:

- idempotent: a record is matched on (source, source record id) through `record_source`;
  same content (checksum) -> unchanged, different -> that source's part is replaced;
- cross-source merge: a new record joins an existing location when the normalized name and
  address match, or when it lies within MERGE_DISTANCE_M with a similar name; the facility
  keeps ONE service whose categories, payment, phones and provenance are the union of its
  sources (each link remembers its source);
- a summary counts created / updated / merged / unchanged / errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from geopy.distance import geodesic  # type: ignore[import-untyped]
from rapidfuzz import fuzz
from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session
from tqdm import tqdm

from resources_db import normalize
from resources_db.models import (
    STATUSES,
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    RecordSource,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")

ID_NAMESPACE = uuid.UUID("6f1c1d2e-5a0b-4b7e-9c55-1e0f3c2a7d10")
MERGE_DISTANCE_M = 50.0
MERGE_NAME_SCORE = 85.0
#: our own vocabularies, stored as taxonomy terms like any source's codes
NEED_TAXONOMY = "recovery-navigator-needs"
PAYMENT_TAXONOMY = "recovery-navigator-payment"
POPULATION_TAXONOMY = "recovery-navigator-populations"
#: bulk writes go in batches of this many rows
BATCH = 2000


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
    #: "local" (has an address and a point) or "national" (a line, no location)
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
        return "\n".join(lines)

    def add(self, other: ImportSummary) -> None:
        self.created += other.created
        self.updated += other.updated
        self.merged += other.merged
        self.unchanged += other.unchanged
        self.errors += other.errors
        self.warnings += other.warnings


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


# --------------------------------------------------------------------------------------
# the writer


@dataclass
class _KnownLocation:
    id: str
    lat: float
    lon: float
    name: str
    service_id: str | None


class _Writer:
    """Holds the in-memory indexes one import needs and buffers bulk inserts."""

    def __init__(self, session: Session, source: str) -> None:
        self.session = session
        self.source = source
        self.now = dt.datetime.now(dt.UTC)
        self.rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.touched_services: set[str] = set()
        self._load()

    # -- indexes ---------------------------------------------------------------------
    def _load(self) -> None:
        s = self.session
        self.existing = {
            rid: (service_id, location_id, checksum)
            for rid, service_id, location_id, checksum in s.execute(
                select(
                    RecordSource.source_record_id,
                    RecordSource.service_id,
                    RecordSource.location_id,
                    RecordSource.checksum,
                ).where(RecordSource.source == self.source)
            )
        }
        self.terms = {
            (taxonomy, code): term_id
            for term_id, taxonomy, code in s.execute(
                select(TaxonomyTerm.id, TaxonomyTerm.taxonomy, TaxonomyTerm.code)
            )
        }
        self.organizations = {
            key: org_id for org_id, key in s.execute(select(Organization.id, Organization.name_key))
        }
        service_at = dict(
            s.execute(
                select(RecordSource.location_id, RecordSource.service_id).order_by(
                    RecordSource.id.desc()
                )
            ).all()
        )
        self.by_key: dict[str, _KnownLocation] = {}
        self.grid: dict[tuple[int, int], list[_KnownLocation]] = defaultdict(list)
        for loc_id, lat, lon, key, name in s.execute(
            select(
                Location.id,
                Location.latitude,
                Location.longitude,
                Location.match_key,
                Location.name,
            ).where(Location.latitude.is_not(None))
        ):
            if lat is not None and lon is not None:
                known = _KnownLocation(loc_id, lat, lon, name or "", service_at.get(loc_id))
                self._remember(known, key)

    def _remember(self, known: _KnownLocation, key: str | None) -> None:
        if key:
            self.by_key.setdefault(key, known)
        self.grid[_cell(known.lat, known.lon)].append(known)

    def find_merge_target(self, record: FacilityRecord) -> _KnownLocation | None:
        key = normalize.match_key(record.name, record.address_1, record.postal_code)
        if key and key in self.by_key and self.by_key[key].service_id:
            return self.by_key[key]
        assert record.latitude is not None and record.longitude is not None
        name = normalize.name_key(record.name)
        row, col = _cell(record.latitude, record.longitude)
        best: tuple[float, _KnownLocation] | None = None
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for known in self.grid.get((row + dr, col + dc), ()):
                    if known.service_id is None:
                        continue
                    score = fuzz.token_set_ratio(name, normalize.name_key(known.name))
                    if score < MERGE_NAME_SCORE:
                        continue
                    metres = geodesic(
                        (record.latitude, record.longitude), (known.lat, known.lon)
                    ).meters
                    if metres <= MERGE_DISTANCE_M and (best is None or metres < best[0]):
                        best = (metres, known)
        return best[1] if best else None

    # -- buffered inserts ---------------------------------------------------------------
    def add(self, model: type, **values: Any) -> None:
        self.rows[model].append(values)

    def flush(self) -> None:
        order = (
            TaxonomyTerm,
            Organization,
            Service,
            Location,
            ServiceAtLocation,
            Address,
            Phone,
            Language,
            Schedule,
            Attribute,
            RecordSource,
        )
        for model in order:
            rows = self.rows.pop(model, [])
            table = cast(Table, model.__table__)
            for start in range(0, len(rows), BATCH):
                self.session.execute(table.insert(), rows[start : start + BATCH])
        self.rows.clear()

    # -- terms and organizations ---------------------------------------------------------
    def term(self, taxonomy: str, code: str, name: str) -> str:
        term_id = self.terms.get((taxonomy, code))
        if term_id is None:
            term_id = stable_id("taxonomy_term", taxonomy, code)
            self.terms[(taxonomy, code)] = term_id
            self.add(
                TaxonomyTerm,
                id=term_id,
                taxonomy=taxonomy,
                code=code,
                name=name,
                source=self.source,
                version=1,
            )
        return term_id

    def organization(self, record: FacilityRecord) -> str:
        name = record.organization or record.name
        key = normalize.name_key(name) or name.lower()
        org_id = self.organizations.get(key)
        if org_id is None:
            org_id = stable_id("organization", key)
            self.organizations[key] = org_id
            self.add(
                Organization,
                id=org_id,
                name=name,
                name_key=key,
                website=record.website,
                source=record.source,
                source_record_id=record.source_record_id,
                last_verified=record.last_verified,
                version=1,
            )
        return org_id

    # -- per record ---------------------------------------------------------------------
    def create(self, record: FacilityRecord, checksum: str) -> None:
        rid = record.source_record_id
        service_id = stable_id("service", record.source, rid)
        org_id = self.organization(record)
        provenance = {
            "source": record.source,
            "source_record_id": rid,
            "last_verified": record.last_verified,
            "version": 1,
        }
        self.add(
            Service,
            id=service_id,
            organization_id=org_id,
            name=record.name,
            alternate_name=record.alternate_name,
            description=record.description,
            url=record.website,
            email=record.email,
            status=record.status,
            scope=record.scope,
            hours_text=record.hours_text,
            **provenance,
        )
        location_id: str | None = None
        if record.scope != "national":
            assert record.latitude is not None and record.longitude is not None
            location_id = stable_id("location", record.source, rid)
            key = normalize.match_key(record.name, record.address_1, record.postal_code)
            self.add(
                Location,
                id=location_id,
                organization_id=org_id,
                name=record.name,
                latitude=record.latitude,
                longitude=record.longitude,
                timezone=record.timezone,
                match_key=key,
                location_type="physical",
                **provenance,
            )
            self.add(
                Address,
                id=stable_id("address", location_id),
                location_id=location_id,
                address_1=record.address_1,
                address_2=record.address_2,
                city=record.city,
                region=record.county,
                state_province=record.state,
                postal_code=record.postal_code,
                country="US",
                address_type="physical",
                **provenance,
            )
            self.add(
                ServiceAtLocation,
                id=stable_id("service_at_location", service_id, location_id),
                service_id=service_id,
                location_id=location_id,
                **provenance,
            )
            self._remember(
                _KnownLocation(
                    location_id, record.latitude, record.longitude, record.name, service_id
                ),
                key,
            )
        self.add_contribution(record, service_id, location_id, checksum)

    def merge(self, record: FacilityRecord, target: _KnownLocation, checksum: str) -> None:
        assert target.service_id is not None
        self.add_contribution(record, target.service_id, target.id, checksum)

    def update(self, record: FacilityRecord, checksum: str) -> None:
        service_id, location_id, _ = self.existing[record.source_record_id]
        s = self.session
        self.remove_contribution(service_id, record.source_record_id)
        primary = s.execute(
            select(Service.source, Service.source_record_id).where(Service.id == service_id)
        ).one()
        if tuple(primary) == (record.source, record.source_record_id):
            s.execute(
                update(Service)
                .where(Service.id == service_id)
                .values(
                    name=record.name,
                    alternate_name=record.alternate_name,
                    description=record.description,
                    url=record.website,
                    status=record.status,
                    hours_text=record.hours_text,
                    last_verified=record.last_verified,
                    version=Service.version + 1,
                )
            )
            if location_id is not None:
                s.execute(
                    update(Location)
                    .where(Location.id == location_id, Location.source == record.source)
                    .values(
                        name=record.name,
                        latitude=record.latitude,
                        longitude=record.longitude,
                        match_key=normalize.match_key(
                            record.name, record.address_1, record.postal_code
                        ),
                        last_verified=record.last_verified,
                        version=Location.version + 1,
                    )
                )
                s.execute(
                    update(Address)
                    .where(Address.location_id == location_id, Address.source == record.source)
                    .values(
                        address_1=record.address_1,
                        address_2=record.address_2,
                        city=record.city,
                        region=record.county,
                        state_province=record.state,
                        postal_code=record.postal_code,
                        last_verified=record.last_verified,
                        version=Address.version + 1,
                    )
                )
        s.execute(
            delete(RecordSource).where(
                RecordSource.source == record.source,
                RecordSource.source_record_id == record.source_record_id,
            )
        )
        self.add_contribution(record, service_id, location_id, checksum)

    def remove_contribution(self, service_id: str, rid: str) -> None:
        """Delete what one source record said about a service (before saying it again)."""
        s = self.session
        for model, column in (
            (Attribute, Attribute.link_id),
            (Phone, Phone.service_id),
            (Language, Language.service_id),
            (Schedule, Schedule.service_id),
        ):
            s.execute(
                delete(model).where(
                    column == service_id,
                    model.source == self.source,
                    model.source_record_id == rid,
                )
            )

    def add_contribution(
        self,
        record: FacilityRecord,
        service_id: str,
        location_id: str | None,
        checksum: str,
    ) -> None:
        """Links, phones, languages and hours this source record gives a service."""
        self.touched_services.add(service_id)
        rid = record.source_record_id
        provenance = {
            "source": record.source,
            "source_record_id": rid,
            "last_verified": record.last_verified,
            "version": 1,
        }
        links: dict[str, tuple[str, str | None]] = {}
        for key in sorted(record.needs):
            links[self.term(NEED_TAXONOMY, key, key)] = ("need", None)
        for key in sorted(record.payments):
            links[self.term(PAYMENT_TAXONOMY, key, key)] = ("payment", None)
        for key in sorted(record.populations):
            links[self.term(POPULATION_TAXONOMY, key, key)] = ("population", None)
        for code in record.codes:
            links.setdefault(
                self.term(code.taxonomy, code.code, code.name), ("source_code", code.code)
            )
        for term_id, (link_type, value) in links.items():
            self.add(
                Attribute,
                id=stable_id("attribute", service_id, term_id, record.source, rid),
                link_id=service_id,
                link_entity="service",
                link_type=link_type,
                taxonomy_term_id=term_id,
                value=value,
                **provenance,
            )
        for n, phone in enumerate(record.phones):
            self.add(
                Phone,
                id=stable_id("phone", service_id, record.source, rid, n),
                service_id=service_id,
                location_id=location_id,
                number=phone.number,
                extension=phone.extension,
                type=phone.type,
                description=phone.description,
                **provenance,
            )
        for language in sorted(record.languages):
            self.add(
                Language,
                id=stable_id("language", service_id, record.source, rid, language),
                service_id=service_id,
                location_id=location_id,
                code=language,
                **provenance,
            )
        for n, sched in enumerate(record.schedules):
            self.add(
                Schedule,
                id=stable_id("schedule", service_id, record.source, rid, n),
                service_id=service_id,
                location_id=location_id,
                freq="WEEKLY",
                byday=sched.byday,
                opens_at=sched.opens_at,
                closes_at=sched.closes_at,
                description=sched.description,
                **provenance,
            )
        self.add(
            RecordSource,
            service_id=service_id,
            location_id=location_id,
            source=record.source,
            source_record_id=rid,
            last_verified=record.last_verified,
            checksum=checksum,
            imported_at=self.now,
        )


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """Grid cell of about 110 m, larger than the merge distance."""
    return int((lat + 90) * 1000), int((lon + 180) * 1000)


def import_records(
    session: Session,
    source: str,
    items: Iterable[FacilityRecord | RowError],
    *,
    progress: bool = False,
    total: int | None = None,
    refresh_index: bool = True,
) -> ImportSummary:
    """Validate and write records of one source in the session's transaction."""
    summary = ImportSummary(source)
    writer = _Writer(session, source)
    seen: set[str] = set()
    iterator: Iterator[FacilityRecord | RowError] = iter(items)
    if progress:
        # disable=None: a bar on a terminal, nothing in logs and CI output
        iterator = iter(
            tqdm(iterator, total=total, desc=source, unit="rows", leave=False, disable=None)
        )
    for item in _guarded(iterator):
        if isinstance(item, RowError):
            summary.errors.append(item)
            continue
        try:
            validate(item)
        except FieldError as error:
            summary.errors.append(RowError(item.line, error.field, error.reason))
            continue
        summary.warnings += [RowError(item.line, f, reason) for f, reason in item.warnings]
        rid = item.source_record_id
        if rid in seen:
            summary.errors.append(
                RowError(item.line, "id", f"duplicate record id {rid!r} in this file")
            )
            continue
        seen.add(rid)
        checksum = item.checksum()
        if rid in writer.existing:
            if writer.existing[rid][2] == checksum:
                summary.unchanged += 1
            else:
                writer.flush()
                writer.update(item, checksum)
                summary.updated += 1
            continue
        target = writer.find_merge_target(item) if item.scope != "national" else None
        if target is not None:
            writer.merge(item, target, checksum)
            summary.merged += 1
        else:
            writer.create(item, checksum)
            summary.created += 1
    writer.flush()
    session.flush()
    if refresh_index and writer.touched_services:
        from resources_db.search_index import refresh_services

        refresh_services(session, writer.touched_services)
    return summary


# --------------------------------------------------------------------------------------
# helpers for parsers


def _guarded(
    items: Iterator[FacilityRecord | RowError],
) -> Iterator[FacilityRecord | RowError]:
    """The parser's items; a file that breaks the parser part-way ends as one file error
    (the rows before it are still reported, and nothing is written unless the caller commits)."""
    line = 1
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except (UnreadableFile, csv.Error) as error:
            yield RowError(line, "file", str(error))
            return
        line = item.line
        yield item


def read_text(path: Path) -> str:
    """A data file's text: UTF-8, or Windows-1252 for files saved by older tools."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"not a text file (neither UTF-8 nor Windows-1252: byte {error.start + 1})"
        ) from None


def read_json_list(path: Path, key: str, *, bare_list: bool = False) -> list[Any] | RowError:
    """The list under `key` of a JSON file (or the file itself when `bare_list` allows a
    top-level list), else a RowError saying what is wrong with the file."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        return RowError(error.lineno, "file", f"not valid JSON: {error.msg}")
    items = data.get(key) if isinstance(data, dict) else (data if bare_list else None)
    if not isinstance(items, list):
        return RowError(1, key, f"no list of {key} in the file")
    return items


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; the header is line 1."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    line = 1
    for row in reader:
        line += 1
        yield reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items()}


class RecordIds:
    """Record ids for sources without their own: a hash of the identifying fields.

    A row repeated in the same file gets "-2", "-3", … so it stays traceable (and merges
    into the first one's location) instead of colliding.
    """

    def __init__(self) -> None:
        self.seen: dict[str, int] = defaultdict(int)

    def make(self, *parts: object) -> str:
        text = "|".join((str(p) if p is not None else "").strip().lower() for p in parts)
        base = hashlib.sha1(text.encode()).hexdigest()[:16]
        return self.unique(base)

    def unique(self, base: str) -> str:
        self.seen[base] += 1
        count = self.seen[base]
        return base if count == 1 else f"{base}-{count}"


def row_error(line: int, error: Exception) -> RowError:
    if isinstance(error, FieldError):
        return RowError(line, error.field, error.reason)
    return RowError(line, "row", str(error))


def optional_value(
    warnings: list[tuple[str, str]], field_name: str, convert: Callable[[], T | None]
) -> T | None:
    """Like field_value, but an unusable optional value is left out with a warning."""
    try:
        return convert()
    except ValueError as error:
        warnings.append((field_name, str(error)))
        return None


def field_value(field_name: str, convert: Callable[[], T]) -> T:
    """Run a conversion, turning ValueError into FieldError for `field_name`."""
    try:
        return convert()
    except FieldError:
        raise
    except ValueError as error:
        raise FieldError(field_name, str(error)) from None
