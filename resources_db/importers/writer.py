"""Writing validated records in the caller's transaction.

- idempotent: a record is matched on (source, source record id) through `record_source`;
  same content (checksum) -> unchanged, different -> that source's part is replaced;
- cross-source merge: a new record joins an existing location when the normalized name and
  address match, or when it lies within MERGE_DISTANCE_M with a similar name; the facility
  keeps ONE service whose categories, payment, phones and provenance are the union of its
  sources (each link remembers its source);
- a summary counts created / updated / merged / unchanged / errors.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, select, update
from sqlalchemy.orm import Session
from tqdm import tqdm

from resources_db import models, normalize
from resources_db.importers.admin_edits import LINK_TYPES, AdminEdits, Conflict
from resources_db.importers.locations import location_rows
from resources_db.importers.matching import KnownLocation, LocationIndex
from resources_db.importers.readers import guarded
from resources_db.importers.records import (
    NEED_TAXONOMY,
    PAYMENT_TAXONOMY,
    POPULATION_TAXONOMY,
    SEPARATE_SOURCES,
    FacilityRecord,
    FieldError,
    ImportSummary,
    RowError,
    RowWarning,
    stable_id,
    validate,
)

#: admin-kept field group -> the service column a re-import then leaves alone
KEPT_SERVICE_COLUMNS = {"name": "name", "description": "description", "website": "url",
                        "status": "status", "hours": "hours_text"}
#: bulk writes go in batches of this many rows
BATCH = 2000


def _provenance(record: FacilityRecord) -> dict[str, Any]:
    """The columns of a new row that say where it came from: the record's source and id, the
    date the source verified it, and the first edit version."""
    return {
        "source": record.source,
        "source_record_id": record.source_record_id,
        "last_verified": record.last_verified,
        "version": 1,
    }


class _Writer:
    """Holds the in-memory indexes one import needs and buffers bulk inserts."""

    def __init__(
        self, session: Session, source: str, take_source: Collection[tuple[str, str]] = ()
    ) -> None:
        self.session = session
        self.admin = AdminEdits(session, take_source)
        self.conflicts: list[Conflict] = []
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
                    models.RecordSource.source_record_id,
                    models.RecordSource.service_id,
                    models.RecordSource.location_id,
                    models.RecordSource.checksum,
                ).where(models.RecordSource.source == self.source)
            )
        }
        self.terms = {
            (taxonomy, code): term_id
            for term_id, taxonomy, code in s.execute(
                select(
                    models.TaxonomyTerm.id, models.TaxonomyTerm.taxonomy, models.TaxonomyTerm.code
                )
            )
        }
        self.organizations = {
            key: org_id
            for org_id, key in s.execute(
                select(models.Organization.id, models.Organization.name_key)
            )
        }
        self.places = LocationIndex(s)

    # -- buffered inserts ---------------------------------------------------------------
    def add(self, model: type, **values: Any) -> None:
        self.rows[model].append(values)

    def flush(self) -> None:
        order = (
            models.TaxonomyTerm,
            models.Organization,
            models.Service,
            models.Location,
            models.ServiceAtLocation,
            models.Address,
            models.Phone,
            models.Language,
            models.Schedule,
            models.Attribute,
            models.RecordSource,
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
                models.TaxonomyTerm,
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
                models.Organization,
                id=org_id,
                name=name,
                name_key=key,
                website=record.website,
                **_provenance(record),
            )
        return org_id

    # -- per record ---------------------------------------------------------------------
    def create(self, record: FacilityRecord, checksum: str) -> None:
        rid = record.source_record_id
        service_id = stable_id("service", record.source, rid)
        org_id = self.organization(record)
        provenance = _provenance(record)
        self.add(
            models.Service,
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
            location_id = stable_id("location", record.source, rid)
            for model, values in location_rows(record, service_id, org_id, location_id):
                self.add(model, **values, **provenance)
        if record.scope == "local" and record.source not in SEPARATE_SOURCES:
            assert location_id and record.latitude is not None and record.longitude is not None
            self.places.remember(
                KnownLocation(
                    location_id, record.latitude, record.longitude, record.name, service_id
                ),
                normalize.match_key(record.name, record.address_1, record.postal_code),
            )
        self.add_contribution(record, service_id, location_id, checksum)

    def merge(self, record: FacilityRecord, target: KnownLocation, checksum: str) -> None:
        assert target.service_id is not None
        kept = self._kept(record, target.service_id)
        self.add_contribution(record, target.service_id, target.id, checksum, kept)

    def _kept(self, record: FacilityRecord, service_id: str) -> frozenset[str]:
        """The service's admin-kept field groups; their differing source values are noted."""
        kept = self.admin.fields_for(service_id)
        self.conflicts += self.admin.conflicts(record, service_id, kept)
        return kept

    def update(self, record: FacilityRecord, checksum: str) -> None:
        service_id, location_id, _ = self.existing[record.source_record_id]
        kept = self._kept(record, service_id)
        self.remove_contribution(service_id, record.source_record_id, kept)
        primary = self.session.execute(
            select(models.Service.source, models.Service.source_record_id)
            .where(models.Service.id == service_id)
        ).one()
        if tuple(primary) == (record.source, record.source_record_id):
            self._update_service(record, service_id, kept)
            if location_id is not None and "address" not in kept and "name" not in kept:
                self._update_place(record, location_id)
        self.session.execute(
            delete(models.RecordSource).where(
                models.RecordSource.source == record.source,
                models.RecordSource.source_record_id == record.source_record_id,
            )
        )
        self.add_contribution(record, service_id, location_id, checksum, kept)

    def _update_service(
        self, record: FacilityRecord, service_id: str, kept: frozenset[str]
    ) -> None:
        """The service's own columns from its primary source, but those an admin keeps."""
        values = {
            "name": record.name,
            "alternate_name": record.alternate_name,
            "description": record.description,
            "url": record.website,
            "status": record.status,
            "hours_text": record.hours_text,
        }
        for group, column in KEPT_SERVICE_COLUMNS.items():
            if group in kept:
                values.pop(column)
        self._rewrite(models.Service, models.Service.id == service_id, record, **values)

    def _update_place(self, record: FacilityRecord, location_id: str) -> None:
        """The location and its address, where this source made them."""
        self._rewrite(
            models.Location,
            and_(models.Location.id == location_id, models.Location.source == record.source),
            record,
            name=record.name,
            latitude=record.latitude,
            longitude=record.longitude,
            timezone=record.timezone,
            match_key=normalize.match_key(record.name, record.address_1, record.postal_code),
        )
        self._rewrite(
            models.Address,
            and_(models.Address.location_id == location_id,
                 models.Address.source == record.source),
            record,
            address_1=record.address_1,
            address_2=record.address_2,
            city=record.city,
            region=record.county,
            state_province=record.state,
            postal_code=record.postal_code,
        )

    def _rewrite(
        self, model: Any, where: ColumnElement[bool], record: FacilityRecord, **values: Any
    ) -> None:
        """Overwrite the matching rows' columns with what the record says: stamped verified as
        of the record, their edit version moved on (an editor's stale copy then conflicts)."""
        self.session.execute(
            update(model)
            .where(where)
            .values(**values, last_verified=record.last_verified, version=model.version + 1)
        )

    def remove_contribution(
        self, service_id: str, rid: str, kept: frozenset[str] = frozenset()
    ) -> None:
        """Delete what one source record said about a service (before saying it again),
        except in the field groups an admin keeps."""
        s = self.session
        kept_links = [LINK_TYPES[g] for g in kept if g in LINK_TYPES]
        s.execute(
            delete(models.Attribute).where(
                models.Attribute.link_id == service_id,
                models.Attribute.source == self.source,
                models.Attribute.source_record_id == rid,
                models.Attribute.link_type.not_in(kept_links),
            )
        )
        for group, model in (
            ("phones", models.Phone), ("languages", models.Language), ("hours", models.Schedule)
        ):
            if group in kept:
                continue
            s.execute(
                delete(model).where(
                    model.service_id == service_id,
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
        kept: frozenset[str] = frozenset(),
    ) -> None:
        """Links, phones, languages and hours this source record gives a service (but not
        in the field groups an admin keeps)."""
        self.touched_services.add(service_id)
        rid = record.source_record_id
        provenance = _provenance(record)
        links: dict[str, tuple[str, str | None]] = {}
        for group, keys, taxonomy, link_type in (
            ("needs", record.needs, NEED_TAXONOMY, "need"),
            ("insurance", record.payments, PAYMENT_TAXONOMY, "payment"),
            ("populations", record.populations, POPULATION_TAXONOMY, "population"),
        ):
            if group not in kept:
                for key in sorted(keys):
                    links[self.term(taxonomy, key, key)] = (link_type, None)
        for code in record.codes:
            links.setdefault(
                self.term(code.taxonomy, code.code, code.name), ("source_code", code.code)
            )
        for term_id, (link_type, value) in links.items():
            self.add(
                models.Attribute,
                id=stable_id("attribute", service_id, term_id, record.source, rid),
                link_id=service_id,
                link_entity="service",
                link_type=link_type,
                taxonomy_term_id=term_id,
                value=value,
                **provenance,
            )

        def owned(model: type, kind: str, key: object, **values: Any) -> None:
            """A row of the service (at this location) from this record, with its provenance."""
            self.add(model, id=stable_id(kind, service_id, record.source, rid, key),
                     service_id=service_id, location_id=location_id, **values, **provenance)

        for n, phone in enumerate(record.phones if "phones" not in kept else ()):
            owned(models.Phone, "phone", n, number=phone.number, extension=phone.extension,
                  type=phone.type, description=phone.description)
        for language in sorted(record.languages if "languages" not in kept else ()):
            owned(models.Language, "language", language, code=language)
        for n, sched in enumerate(record.schedules if "hours" not in kept else ()):
            owned(models.Schedule, "schedule", n, freq="WEEKLY", byday=sched.byday,
                  opens_at=sched.opens_at, closes_at=sched.closes_at,
                  description=sched.description)
        self.add(
            models.RecordSource,
            service_id=service_id,
            location_id=location_id,
            source=record.source,
            source_record_id=rid,
            last_verified=record.last_verified,
            checksum=checksum,
            imported_at=self.now,
        )


def import_records(
    session: Session,
    source: str,
    items: Iterable[FacilityRecord | RowError],
    *,
    progress: bool = False,
    total: int | None = None,
    refresh_index: bool = True,
    take_source: Collection[tuple[str, str]] = (),
) -> ImportSummary:
    """Validate and write records of one source in the session's transaction.

    Field groups an admin changed keep the admin's value (a differing source value becomes
    a `Conflict` in the summary) except the (service id, group) pairs in `take_source`."""
    summary = ImportSummary(source)
    writer = _Writer(session, source, take_source)
    seen: set[str] = set()
    iterator: Iterator[FacilityRecord | RowError] = iter(items)
    if progress:
        # disable=None: a bar on a terminal, nothing in logs and CI output
        iterator = iter(
            tqdm(iterator, total=total, desc=source, unit="rows", leave=False, disable=None)
        )
    for item in guarded(iterator):
        if isinstance(item, RowWarning):
            summary.warnings.append(item)
            continue
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
        target = (
            writer.places.find_merge_target(item)
            if item.scope == "local" and item.source not in SEPARATE_SOURCES
            else None
        )
        if target is not None:
            writer.merge(item, target, checksum)
            summary.merged += 1
        else:
            writer.create(item, checksum)
            summary.created += 1
    writer.flush()
    session.flush()
    summary.conflicts = writer.conflicts
    if refresh_index and writer.touched_services:
        from resources_db.search_index import refresh_services

        refresh_services(session, writer.touched_services)
    return summary
