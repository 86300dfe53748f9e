"""Admin edits of the directory: one place for the pages, the JSON API and integrations.

Every operation runs in the caller's session (one transaction), checks the version the editor
saw (a stale one raises `EditConflict` instead of overwriting someone else's change), refreshes
the search index so search shows the change at once, and returns a `Change` (what record, the
before and after snapshots) for the audit log. Nothing is ever hard-deleted: services are
deactivated and reactivated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from resources_db import normalize
from resources_db.freshness import VERIFICATION_MAX_AGE
from resources_db.gazetteer import timezone_for
from resources_db.geocode import resolve_place
from resources_db.geocode_online import geocode_address
from resources_db.importers.base import (
    NEED_TAXONOMY,
    PAYMENT_TAXONOMY,
    POPULATION_TAXONOMY,
    stable_id,
)
from resources_db.models import (
    STATUS_ACTIVE,
    STATUS_INACTIVE,
    STATUSES,
    Address,
    Attribute,
    Location,
    Organization,
    Phone,
    RecordSource,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
)
from resources_db.search_index import refresh_services
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS

ADMIN_SOURCE = "admin"
LINK_TAXONOMIES = {
    "need": (NEED_TAXONOMY, NEEDS),
    "payment": (PAYMENT_TAXONOMY, PAYMENT_VALUES),
    "population": (POPULATION_TAXONOMY, POPULATIONS),
}
CAPACITY_UNITS = ("beds", "slots", "spots")
MAX_CAPACITY = 100_000


class EditError(Exception):
    """Base of the errors an edit reports to the admin."""


class NotFound(EditError, LookupError):
    """No such record."""


class EditConflict(EditError):
    """Someone changed the record since the editor loaded it (optimistic locking)."""

    def __init__(self, record_id: str, current_version: int | None) -> None:
        super().__init__(
            "Someone else changed this record since you opened it. "
            "Reload it to see their change, then make yours again."
        )
        self.record_id = record_id
        self.current_version = current_version


class InvalidEdit(EditError, ValueError):
    """Field-level validation messages: field name -> what is wrong, in plain words."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Change:
    """One audited change: before/after are JSON-ready snapshots (None when absent)."""

    action: str
    record_type: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


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
    latitude: float | None
    longitude: float | None
    needs: list[str] = field(default_factory=list)
    insurance: list[str] = field(default_factory=list)
    populations: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# input


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
        phone = normalize.phone(values.get("phone"))
    except ValueError:
        errors["phone"] = "Enter a 10-digit US phone number like 410-555-0100."
    address_1 = _text(values, "address_1")
    if not address_1:
        errors["address_1"] = "Enter the street address."
    city = _text(values, "city")
    if not city:
        errors["city"] = "Enter the city."
    state = ""
    try:
        state = normalize.state(values.get("state"))
    except ValueError:
        errors["state"] = "Enter a two-letter state code like MD."
    postal = None
    with contextlib.suppress(ValueError):
        postal = normalize.postal_code(values.get("postal_code"))
    if not postal:
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
    if errors:
        raise InvalidEdit(errors)
    return ServiceInput(
        name=str(name),
        organization=_text(values, "organization"),
        description=_text(values, "description"),
        website=website,
        phone=phone[0] if phone else None,
        phone_extension=_text(values, "phone_extension") or (phone[1] if phone else None),
        address_1=str(address_1),
        address_2=_text(values, "address_2"),
        city=str(city),
        state=state,
        postal_code=str(postal),
        latitude=latitude,
        longitude=longitude,
        needs=needs,
        insurance=insurance,
        populations=populations,
    )


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


# --------------------------------------------------------------------------------------
# reading


def _service(session: Session, service_id: str) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound(service_id)
    return service


def _primary_location(session: Session, service_id: str) -> Location | None:
    return session.scalar(
        select(Location)
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
        .where(ServiceAtLocation.service_id == service_id)
        .order_by(ServiceAtLocation.id)
        .limit(1)
    )


def _main_phone(session: Session, service_id: str) -> Phone | None:
    return session.scalar(
        select(Phone)
        .where(Phone.service_id == service_id, Phone.type.in_(("voice", "cell")))
        .order_by(Phone.description.is_not(None), Phone.id)
        .limit(1)
    )


def _codes(session: Session, service_id: str, link_type: str) -> list[str]:
    codes = session.scalars(
        select(TaxonomyTerm.code)
        .join(Attribute, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(Attribute.link_id == service_id, Attribute.link_type == link_type)
    )
    vocabulary = LINK_TAXONOMIES[link_type][1]
    present = set(codes)
    return [code for code in vocabulary if code in present]


def effective_last_verified(session: Session, service: Service) -> dt.date | None:
    """The newest verification date among the service and every source merged into it."""
    dates = [service.last_verified] + list(
        session.scalars(
            select(RecordSource.last_verified).where(RecordSource.service_id == service.id)
        )
    )
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def capacities(session: Session, service_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(ServiceCapacity)
        .where(ServiceCapacity.service_id == service_id)
        .order_by(ServiceCapacity.unit)
    )
    return [_capacity_json(row) for row in rows]


def _capacity_json(row: ServiceCapacity) -> dict[str, Any]:
    updated = row.updated_at
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=dt.UTC)
    return {
        "id": row.id,
        "unit": row.unit,
        "available": row.available,
        "total": row.maximum,
        "updated_at": updated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated_by": row.updated_by,
        "version": row.version,
    }


def snapshot(session: Session, service_id: str) -> dict[str, Any]:
    """Everything an editor sees of one service, JSON-ready (also the audit before/after)."""
    service = _service(session, service_id)
    organization = (
        session.get(Organization, service.organization_id) if service.organization_id else None
    )
    location = _primary_location(session, service_id)
    address = (
        session.scalar(select(Address).where(Address.location_id == location.id).limit(1))
        if location is not None
        else None
    )
    phone = _main_phone(session, service_id)
    verified = effective_last_verified(session, service)
    return {
        "id": service.id,
        "version": service.version,
        "status": service.status,
        "scope": service.scope,
        "name": service.name,
        "organization": organization.name if organization else None,
        "description": service.description,
        "website": service.url,
        "phone": phone.number if phone else None,
        "phone_extension": phone.extension if phone else None,
        "location_id": location.id if location else None,
        "address_1": address.address_1 if address else None,
        "address_2": address.address_2 if address else None,
        "city": address.city if address else None,
        "state": address.state_province if address else None,
        "postal_code": address.postal_code if address else None,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "needs": _codes(session, service_id, "need"),
        "insurance": _codes(session, service_id, "payment"),
        "populations": _codes(session, service_id, "population"),
        "source": service.source,
        "last_verified": verified.isoformat() if verified else None,
        "capacity": capacities(session, service_id),
    }


@dataclass(frozen=True)
class ServiceFilter:
    q: str | None = None
    need: str | None = None
    status: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(stmt: Any, filters: ServiceFilter) -> Any:
    if filters.q:
        like = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Service.name).like(like),
                func.lower(Organization.name).like(like),
                func.lower(Address.city).like(like),
                Address.postal_code.like(like),
                Service.id == filters.q.strip(),
            )
        )
    if filters.status:
        stmt = stmt.where(Service.status == filters.status)
    if filters.state:
        stmt = stmt.where(Address.state_province == filters.state.upper())
    if filters.need:
        stmt = stmt.where(
            select(Attribute.id)
            .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .where(
                Attribute.link_id == Service.id,
                Attribute.link_type == "need",
                TaxonomyTerm.code == filters.need,
            )
            .exists()
        )
    return stmt


def _with_place(stmt: Any) -> Any:
    first_location = (
        select(func.min(ServiceAtLocation.id))
        .where(ServiceAtLocation.service_id == Service.id)
        .correlate(Service)
        .scalar_subquery()
    )
    return (
        stmt.outerjoin(Organization, Organization.id == Service.organization_id)
        .outerjoin(ServiceAtLocation, ServiceAtLocation.id == first_location)
        .outerjoin(Address, Address.location_id == ServiceAtLocation.location_id)
    )


def list_services(
    session: Session, filters: ServiceFilter, page: int = 1, per_page: int = 25
) -> Page:
    """One page of services (name order) with their organization, city and state."""
    page = max(1, page)
    per_page = min(max(1, per_page), 100)
    base = _filtered(_with_place(select(Service.id)), filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        _filtered(
            _with_place(
                select(
                    Service.id,
                    Service.name,
                    Service.status,
                    Service.version,
                    Organization.name,
                    Address.city,
                    Address.state_province,
                    Address.postal_code,
                )
            ),
            filters,
        )
        .order_by(Service.name, Service.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [
        {
            "id": r[0],
            "name": r[1],
            "status": r[2],
            "version": r[3],
            "organization": r[4],
            "city": r[5],
            "state": r[6],
            "postal_code": r[7],
        }
        for r in rows
    ]
    return Page(items, total, page, per_page)


def stale_verifications(
    session: Session, today: dt.date, page: int = 1, per_page: int = 50
) -> Page:
    """Active services whose newest verification is older than 180 days (or unknown)."""
    cutoff = today - VERIFICATION_MAX_AGE
    newest_source = (
        select(RecordSource.service_id, func.max(RecordSource.last_verified).label("verified"))
        .group_by(RecordSource.service_id)
        .subquery()
    )
    either = func.coalesce(newest_source.c.verified, Service.last_verified)
    # the newer of the two; SQLite's two-argument max() is NULL when one side is NULL
    larger = func.max if session.get_bind().dialect.name == "sqlite" else func.greatest
    newest = func.coalesce(larger(newest_source.c.verified, Service.last_verified), either)
    stmt = (
        select(Service.id, Service.name, newest.label("verified"))
        .outerjoin(newest_source, newest_source.c.service_id == Service.id)
        .where(Service.status == STATUS_ACTIVE)
        .where(or_(newest.is_(None), newest < cutoff))
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    rows = session.execute(
        stmt.order_by(newest.is_not(None), newest, Service.name)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [
        {"id": r[0], "name": r[1], "last_verified": _date_text(r[2])} for r in rows
    ]
    return Page(items, total, page, per_page)


def _date_text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


# --------------------------------------------------------------------------------------
# writing


def _checked(session: Session, service_id: str, version: int) -> Service:
    service = _service(session, service_id)
    if service.version != version:
        raise EditConflict(service_id, service.version)
    return service


def _flush(session: Session, service_id: str) -> None:
    """Flush, turning a lost race (version moved between read and write) into a conflict."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise EditConflict(service_id, None) from None


def _same_address(values: ServiceInput, address: Address | None) -> bool:
    if address is None:
        return False
    return (address.address_1, address.city, address.state_province, address.postal_code) == (
        values.address_1, values.city, values.state, values.postal_code)


def _locate(
    values: ServiceInput, location: Location | None, address: Address | None
) -> tuple[float, float]:
    """Manual coordinates when given; the current point while the address is unchanged (so a
    precise source point is not replaced by a coarser geocode); else the configured geocoder,
    else the ZIP's centre."""
    if values.latitude is not None and values.longitude is not None:
        return values.latitude, values.longitude
    if (location is not None and location.latitude is not None
            and location.longitude is not None and _same_address(values, address)):
        return location.latitude, location.longitude
    text = f"{values.address_1}, {values.city}, {values.state} {values.postal_code}"
    place = geocode_address(text)
    if place is None:
        lookup = resolve_place(values.postal_code)
        place = lookup.place if lookup.status == "found" else None
    if place is None:
        raise InvalidEdit(
            {"latitude": "We couldn't place this address on the map. Check the ZIP code, "
                         "or enter latitude and longitude."}
        )
    return place.lat, place.lon


def _organization(session: Session, name: str | None) -> str | None:
    if not name:
        return None
    key = normalize.name_key(name) or name.lower()
    found = session.scalar(select(Organization).where(Organization.name_key == key).limit(1))
    if found is not None:
        return found.id
    org = Organization(
        id=str(uuid.uuid4()), name=name, name_key=key, source=ADMIN_SOURCE, version=1
    )
    session.add(org)
    session.flush()
    return org.id


def _term_id(session: Session, taxonomy: str, code: str) -> str:
    term_id = session.scalar(
        select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy == taxonomy, TaxonomyTerm.code == code)
    )
    if term_id is None:
        term_id = stable_id("taxonomy_term", taxonomy, code)
        session.add(
            TaxonomyTerm(id=term_id, taxonomy=taxonomy, code=code, name=code,
                         source=ADMIN_SOURCE, version=1)
        )
    return term_id


def _set_links(session: Session, service_id: str, link_type: str, codes: Iterable[str]) -> None:
    """The admin's list is authoritative: links of any source outside it go, new ones come."""
    taxonomy, _vocabulary = LINK_TAXONOMIES[link_type]
    wanted = set(codes)
    current = session.execute(
        select(Attribute.id, TaxonomyTerm.code)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(Attribute.link_id == service_id, Attribute.link_type == link_type)
    ).all()
    gone = [attribute_id for attribute_id, code in current if code not in wanted]
    if gone:
        session.execute(delete(Attribute).where(Attribute.id.in_(gone)))
    have = {code for _, code in current}
    for code in sorted(wanted - have):
        term_id = _term_id(session, taxonomy, code)
        session.add(
            Attribute(
                id=stable_id("attribute", service_id, term_id, ADMIN_SOURCE, service_id),
                link_id=service_id,
                link_entity="service",
                link_type=link_type,
                taxonomy_term_id=term_id,
                source=ADMIN_SOURCE,
                source_record_id=service_id,
                version=1,
            )
        )


def _set_phone(session: Session, service_id: str, values: ServiceInput) -> None:
    """Replace the service's main line (voice numbers without a description)."""
    current = _main_phone(session, service_id)
    if current is not None and (current.number, current.extension) == (
        values.phone, values.phone_extension
    ):
        return
    session.execute(
        delete(Phone).where(
            Phone.service_id == service_id,
            Phone.type.in_(("voice", "cell")),
            Phone.description.is_(None),
        )
    )
    if values.phone:
        session.add(
            Phone(id=str(uuid.uuid4()), service_id=service_id, number=values.phone,
                  extension=values.phone_extension, type="voice", source=ADMIN_SOURCE,
                  source_record_id=service_id, version=1)
        )


def _write_location(
    session: Session, service: Service, organization_id: str | None, values: ServiceInput
) -> None:
    location = _primary_location(session, service.id)
    current = (
        session.scalar(select(Address).where(Address.location_id == location.id).limit(1))
        if location is not None else None
    )
    lat, lon = _locate(values, location, current)
    if location is None:
        location = Location(id=str(uuid.uuid4()), source=ADMIN_SOURCE,
                            source_record_id=service.id, version=1)
        session.add(location)
        session.flush()
        session.add(
            ServiceAtLocation(id=str(uuid.uuid4()), service_id=service.id,
                              location_id=location.id, source=ADMIN_SOURCE, version=1)
        )
    location.organization_id = organization_id
    location.name = values.name
    location.latitude, location.longitude = lat, lon
    location.timezone = timezone_for(lat, lon)
    location.match_key = normalize.match_key(values.name, values.address_1, values.postal_code)
    address = session.scalar(select(Address).where(Address.location_id == location.id).limit(1))
    if address is None:
        address = Address(id=str(uuid.uuid4()), location_id=location.id, source=ADMIN_SOURCE,
                          version=1)
        session.add(address)
    address.address_1 = values.address_1
    address.address_2 = values.address_2
    address.city = values.city
    address.state_province = values.state
    address.postal_code = values.postal_code
    address.country = "US"


def _apply(session: Session, service: Service, values: ServiceInput) -> None:
    """Write every field; one flush at the end so the version moves by exactly one."""
    with session.no_autoflush:
        _apply_fields(session, service, values)


def _apply_fields(session: Session, service: Service, values: ServiceInput) -> None:
    # Tables have no ORM relationships, so parents are flushed before children by hand,
    # and the service row is changed last: its version then moves once, at the caller's flush.
    organization_id = _organization(session, values.organization)
    for link_type, codes in (("need", values.needs), ("payment", values.insurance),
                             ("population", values.populations)):
        for code in codes:
            _term_id(session, LINK_TAXONOMIES[link_type][0], code)
    session.flush()
    _write_location(session, service, organization_id, values)
    _set_phone(session, service.id, values)
    _set_links(session, service.id, "need", values.needs)
    _set_links(session, service.id, "payment", values.insurance)
    _set_links(session, service.id, "population", values.populations)
    session.flush()
    service.name = values.name
    service.organization_id = organization_id
    service.description = values.description
    service.url = values.website


def create_service(session: Session, values: ServiceInput, today: dt.date) -> Change:
    """A new service at a new location, entered (and so verified) by an admin today."""
    service_id = str(uuid.uuid4())
    service = Service(id=service_id, name=values.name, status=STATUS_ACTIVE, scope="local",
                      organization_id=_organization(session, values.organization),
                      description=values.description, url=values.website,
                      source=ADMIN_SOURCE, source_record_id=service_id, last_verified=today,
                      version=1)
    session.add(service)
    session.flush()
    _apply(session, service, values)
    _flush(session, service_id)
    refresh_services(session, [service_id])
    return Change("create", "service", service_id, None, snapshot(session, service_id))


def update_service(
    session: Session, service_id: str, version: int, values: ServiceInput
) -> Change:
    service = _checked(session, service_id, version)
    before = snapshot(session, service_id)
    _apply(session, service, values)
    flag_modified(service, "name")  # the service row always takes the new version
    _flush(session, service_id)
    refresh_services(session, [service_id])
    return Change("update", "service", service_id, before, snapshot(session, service_id))


def set_status(session: Session, service_id: str, version: int, status: str) -> Change:
    """Deactivate (hidden from search, kept for the record) or reactivate a service."""
    if status not in STATUSES:
        raise InvalidEdit({"status": f"Choose one of: {', '.join(STATUSES)}."})
    service = _checked(session, service_id, version)
    before = snapshot(session, service_id)
    service.status = status
    flag_modified(service, "status")
    _flush(session, service_id)
    refresh_services(session, [service_id])
    action = "deactivate" if status == STATUS_INACTIVE else (
        "reactivate" if status == STATUS_ACTIVE else "status")
    return Change(action, "service", service_id, before, snapshot(session, service_id))


def mark_verified(session: Session, service_id: str, version: int, today: dt.date) -> Change:
    """Record that an admin confirmed the listing today; the card then shows this date."""
    service = _checked(session, service_id, version)
    before = snapshot(session, service_id)
    service.last_verified = today
    flag_modified(service, "last_verified")
    location = _primary_location(session, service_id)
    row = session.scalar(
        select(RecordSource).where(
            RecordSource.source == ADMIN_SOURCE, RecordSource.source_record_id == service_id
        )
    )
    if row is None:
        session.add(
            RecordSource(service_id=service_id, location_id=location.id if location else None,
                         source=ADMIN_SOURCE, source_record_id=service_id, last_verified=today,
                         checksum="verified-by-admin",
                         imported_at=dt.datetime.now(dt.UTC))
        )
    else:
        row.last_verified = today
    _flush(session, service_id)
    refresh_services(session, [service_id])
    return Change("verify", "service", service_id, before, snapshot(session, service_id))


def update_capacity(
    session: Session,
    service_id: str,
    available: int,
    total: int | None,
    unit: str,
    *,
    actor: str,
    now: dt.datetime,
    version: int | None = None,
) -> Change:
    """Set the open beds/slots of one unit, stamped with who and when.

    `version` is the capacity row's version when the editor saw one; a provider pushing
    fresh numbers may leave it out (the newest report wins).
    """
    _service(session, service_id)
    row = session.scalar(
        select(ServiceCapacity).where(
            ServiceCapacity.service_id == service_id, ServiceCapacity.unit == unit
        )
    )
    before = _capacity_json(row) if row is not None else None
    if row is None:
        if version not in (None, 0):
            raise EditConflict(service_id, None)
        row = ServiceCapacity(id=str(uuid.uuid4()), service_id=service_id, unit=unit,
                              source=ADMIN_SOURCE, version=1)
        session.add(row)
    elif version is not None and row.version != version:
        raise EditConflict(service_id, row.version)
    row.available = available
    row.maximum = total
    row.updated_at = now
    row.updated_by = actor[:120]
    _flush(session, service_id)
    refresh_services(session, [service_id])
    return Change("capacity", "service_capacity", service_id, before, _capacity_json(row))
