"""The directory's tables, named after Open Referral HSDS 3.x.

HSDS entities keep their HSDS names and string ids (UUIDs). Extras of ours:
- every HSDS record carries its primary provenance (`source`, `source_record_id`,
  `last_verified`) and a `version` used for optimistic locking by admin edits;
- `record_source` lists every source record merged into a service (several sources can
  describe the same facility), and is what re-imports match on;
- `attribute` links services to taxonomy terms (HSDS 3 style) for needs, accepted payment,
  populations and each source's own codes; `source` says which source asserted it;
- `search_entry` is a derived read model (one row per active service at a location, or per
  national service) with bit masks and a ready card, rebuilt by `search_index`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

ID = String(36)

STATUS_ACTIVE = "active"
STATUS_INACTIVE = "inactive"
STATUS_TEMPORARILY_CLOSED = "temporarily closed"
STATUSES = (STATUS_ACTIVE, STATUS_INACTIVE, STATUS_TEMPORARILY_CLOSED)



def owned_by(table: str, *, optional: bool = False) -> Any:
    """An indexed reference to the row this one belongs to, deleted with it (`optional`: may
    be empty, for rows that belong to a service, a location or both)."""
    reference = ForeignKey(f"{table}.id", ondelete="CASCADE")
    if optional:
        return mapped_column(ID, reference, index=True, default=None)
    return mapped_column(ID, reference, index=True)

class Base(DeclarativeBase):
    pass


class Provenance:
    """Columns every HSDS record carries: where it came from, as of when, which edit."""

    source: Mapped[str] = mapped_column(String(64), default="admin")
    source_record_id: Mapped[str | None] = mapped_column(String(128), default=None)
    last_verified: Mapped[dt.date | None] = mapped_column(Date, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """Optimistic locking: an UPDATE of a stale row raises StaleDataError."""
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Organization(Provenance, Base):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    alternate_name: Mapped[str | None] = mapped_column(String(300), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    website: Mapped[str | None] = mapped_column(String(500), default=None)
    email: Mapped[str | None] = mapped_column(String(300), default=None)
    name_key: Mapped[str] = mapped_column(String(300), index=True)


class Service(Provenance, Base):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organization_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("organization.id", ondelete="SET NULL"), index=True, default=None
    )
    name: Mapped[str] = mapped_column(String(300))
    alternate_name: Mapped[str | None] = mapped_column(String(300), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    url: Mapped[str | None] = mapped_column(String(500), default=None)
    email: Mapped[str | None] = mapped_column(String(300), default=None)
    status: Mapped[str] = mapped_column(String(32), default=STATUS_ACTIVE)
    #: "local" (at one or more locations) or "national" (a line or directory, no location)
    scope: Mapped[str] = mapped_column(String(16), default="local")
    #: free text for people (hours for national lines, how to reach it)
    hours_text: Mapped[str | None] = mapped_column(String(300), default=None)
    #: HSDS 3.1 service fields a person asks about: cost, who is served, how to apply
    fees_description: Mapped[str | None] = mapped_column(Text, default=None)
    eligibility_description: Mapped[str | None] = mapped_column(Text, default=None)
    minimum_age: Mapped[float | None] = mapped_column(Float, default=None)
    maximum_age: Mapped[float | None] = mapped_column(Float, default=None)
    application_process: Mapped[str | None] = mapped_column(Text, default=None)


class Location(Provenance, Base):
    __tablename__ = "location"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organization_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("organization.id", ondelete="SET NULL"), index=True, default=None
    )
    location_type: Mapped[str] = mapped_column(String(16), default="physical")
    name: Mapped[str | None] = mapped_column(String(300), default=None)
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    #: IANA time zone the schedules at this location are written in
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    #: normalized name + address, used to merge the same facility across sources
    match_key: Mapped[str | None] = mapped_column(String(600), index=True, default=None)


class ServiceAtLocation(Provenance, Base):
    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str] = owned_by("service")
    location_id: Mapped[str] = owned_by("location")
    description: Mapped[str | None] = mapped_column(Text, default=None)


class Address(Provenance, Base):
    __tablename__ = "address"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    location_id: Mapped[str] = owned_by("location")
    attention: Mapped[str | None] = mapped_column(String(300), default=None)
    address_1: Mapped[str] = mapped_column(String(300))
    address_2: Mapped[str | None] = mapped_column(String(300), default=None)
    city: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120), default=None)
    state_province: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(2), default="US")
    address_type: Mapped[str] = mapped_column(String(16), default="physical")


class Phone(Provenance, Base):
    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    location_id: Mapped[str | None] = owned_by("location", optional=True)
    service_id: Mapped[str | None] = owned_by("service", optional=True)
    organization_id: Mapped[str | None] = owned_by("organization", optional=True)
    number: Mapped[str] = mapped_column(String(40))
    extension: Mapped[str | None] = mapped_column(String(16), default=None)
    #: HSDS phone types: voice, fax, text, cell, video, pager, textphone
    type: Mapped[str] = mapped_column(String(16), default="voice")
    description: Mapped[str | None] = mapped_column(String(300), default=None)


class Schedule(Provenance, Base):
    """Regular opening hours: one row per weekday span (HSDS freq=WEEKLY, byday)."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str | None] = owned_by("service", optional=True)
    location_id: Mapped[str | None] = owned_by("location", optional=True)
    service_at_location_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("service_at_location.id", ondelete="CASCADE"), index=True, default=None
    )
    freq: Mapped[str] = mapped_column(String(8), default="WEEKLY")
    #: iCal weekday: MO TU WE TH FR SA SU
    byday: Mapped[str] = mapped_column(String(2))
    opens_at: Mapped[dt.time] = mapped_column(Time)
    #: a closing time at or before the opening time means the span ends the next day
    closes_at: Mapped[dt.time] = mapped_column(Time)
    description: Mapped[str | None] = mapped_column(String(300), default=None)
    #: HSDS 3.1 recurrence fields kept as given (an import's RRULE parts and validity)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    dtstart: Mapped[dt.date | None] = mapped_column(Date, default=None)
    until: Mapped[dt.date | None] = mapped_column(Date, default=None)
    count: Mapped[int | None] = mapped_column(Integer, default=None)
    interval: Mapped[int | None] = mapped_column(Integer, default=None)
    wkst: Mapped[str | None] = mapped_column(String(2), default=None)
    byweekno: Mapped[str | None] = mapped_column(String(120), default=None)
    bymonthday: Mapped[str | None] = mapped_column(String(120), default=None)
    byyearday: Mapped[str | None] = mapped_column(String(120), default=None)
    schedule_link: Mapped[str | None] = mapped_column(String(500), default=None)
    attending_type: Mapped[str | None] = mapped_column(String(120), default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class ServiceArea(Provenance, Base):
    """HSDS 3.1 `service_area`: where a service is offered (by name or extent)."""

    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str | None] = owned_by("service", optional=True)
    name: Mapped[str | None] = mapped_column(String(300), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    extent: Mapped[str | None] = mapped_column(Text, default=None)
    extent_type: Mapped[str | None] = mapped_column(String(40), default=None)
    uri: Mapped[str | None] = mapped_column(String(500), default=None)


class Language(Provenance, Base):
    __tablename__ = "language"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str | None] = owned_by("service", optional=True)
    location_id: Mapped[str | None] = owned_by("location", optional=True)
    name: Mapped[str | None] = mapped_column(String(80), default=None)
    code: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(String(300), default=None)


class ServiceCapacity(Provenance, Base):
    __tablename__ = "service_capacity"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str] = owned_by("service")
    unit: Mapped[str] = mapped_column(String(40))
    available: Mapped[int] = mapped_column(Integer)
    maximum: Mapped[int | None] = mapped_column(Integer, default=None)
    description: Mapped[str | None] = mapped_column(String(300), default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(120), default=None)


class TaxonomyTerm(Provenance, Base):
    """A term of one vocabulary: ours (needs, payment, population) or a source's codes."""

    __tablename__ = "taxonomy_term"
    __table_args__ = (UniqueConstraint("taxonomy", "code"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    taxonomy: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    parent_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("taxonomy_term.id", ondelete="SET NULL"), default=None
    )


class Attribute(Provenance, Base):
    """HSDS 3 attribute: links a service to a taxonomy term (need, payment, population, code).

    `source` names the source that asserted the link, so a re-import of one source replaces
    only that source's links on a merged service.
    """

    __tablename__ = "attribute"
    __table_args__ = (
        UniqueConstraint("link_id", "taxonomy_term_id", "source", "source_record_id"),
        Index("ix_attribute_term", "taxonomy_term_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    link_id: Mapped[str] = owned_by("service")
    link_entity: Mapped[str] = mapped_column(String(32), default="service")
    #: need | payment | population | source_code
    link_type: Mapped[str] = mapped_column(String(32))
    taxonomy_term_id: Mapped[str] = mapped_column(
        ID, ForeignKey("taxonomy_term.id", ondelete="CASCADE")
    )
    value: Mapped[str | None] = mapped_column(String(500), default=None)


class RecordSource(Base):
    """One source record merged into a service; re-imports match on (source, record id)."""

    __tablename__ = "record_source"
    __table_args__ = (UniqueConstraint("source", "source_record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = owned_by("service")
    location_id: Mapped[str | None] = owned_by("location", optional=True)
    source: Mapped[str] = mapped_column(String(64))
    source_record_id: Mapped[str] = mapped_column(String(128))
    last_verified: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: hash of the imported content; equal on re-import means "unchanged"
    checksum: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AdminField(Base):
    """A field of a service an admin changed: a re-import keeps the admin's value (and reports
    the source's as a conflict) until the admin chooses the source's value."""

    __tablename__ = "admin_field"

    service_id: Mapped[str] = mapped_column(
        ID, ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    #: a group of the edit form's fields: name, address, phones, hours, needs, …
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SearchEntry(Base):
    """Derived read model for search: filters as bit masks and a ready card (JSON)."""

    __tablename__ = "search_entry"
    __table_args__ = (
        Index("ix_search_entry_lat_lon", "lat", "lon"),
        Index("ix_search_entry_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    service_at_location_id: Mapped[str | None] = mapped_column(ID, unique=True, default=None)
    service_id: Mapped[str] = mapped_column(ID, index=True)
    national: Mapped[bool] = mapped_column(Boolean, default=False)
    lat: Mapped[float | None] = mapped_column(Float, default=None)
    lon: Mapped[float | None] = mapped_column(Float, default=None)
    state: Mapped[str | None] = mapped_column(String(2), default=None)
    need_mask: Mapped[int] = mapped_column(Integer, default=0)
    payment_mask: Mapped[int] = mapped_column(Integer, default=0)
    population_mask: Mapped[int] = mapped_column(Integer, default=0)
    #: comma-wrapped ISO codes, e.g. ",en,es,"
    languages: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    #: JSON list of [weekday 0-6, "HH:MM", "HH:MM"] or null when hours are unknown
    hours_spec: Mapped[str | None] = mapped_column(Text, default=None)
    #: JSON card of contract §2 without distance_miles and open_now
    card: Mapped[str] = mapped_column(Text)


SPATIAL_TABLE = "search_rtree"
