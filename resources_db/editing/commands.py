"""Writing admin edits: create, update, status, verification, capacity.

Every operation runs in the caller's session (one transaction), checks the version the editor
saw (a stale one raises `EditConflict` instead of overwriting someone else's change), refreshes
the search index so search shows the change at once, and returns a `Change` for the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from resources_db import models, normalize
from resources_db.editing import details, links
from resources_db.editing.errors import (
    ADMIN_SOURCE,
    LINK_TAXONOMIES,
    Change,
    EditConflict,
    InvalidEdit,
)
from resources_db.editing.input import ServiceInput
from resources_db.editing.queries import (
    _address_of,
    _capacity_json,
    _main_phone,
    _primary_location,
    _service,
    snapshot,
    week_hours,
)
from resources_db.gazetteer import timezone_for
from resources_db.geocode import resolve_place
from resources_db.geocode_online import geocode_address
from resources_db.importers import admin_edits, fields
from resources_db.importers.records import stable_id
from resources_db.search_index import refresh_services


def _checked(session: Session, service_id: str, version: int) -> models.Service:
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


def _same_address(values: ServiceInput, address: models.Address | None) -> bool:
    if address is None:
        return False
    return (address.address_1, address.city, address.state_province, address.postal_code) == (
        values.address_1, values.city, values.state, values.postal_code)


def _locate(
    values: ServiceInput, location: models.Location | None, address: models.Address | None
) -> tuple[float, float]:
    """Manual coordinates when given; the current point while the address is unchanged (so a
    precise source point is not replaced by a coarser geocode); else the configured geocoder,
    else the ZIP's centre."""
    if values.point is not None:
        return values.point
    if (location is not None and location.latitude is not None
            and location.longitude is not None and _same_address(values, address)):
        return location.latitude, location.longitude
    text = f"{values.address_1}, {values.city}, {values.state} {values.postal_code}"
    # no street address (an area served): the ZIP's centre stands for the area
    place = geocode_address(text) if values.address_1 else None
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
    found = session.scalar(
        select(models.Organization).where(models.Organization.name_key == key).limit(1)
    )
    if found is not None:
        return found.id
    org = models.Organization(
        id=str(uuid.uuid4()), name=name, name_key=key, source=ADMIN_SOURCE, version=1
    )
    session.add(org)
    session.flush()
    return org.id


def _set_links(session: Session, service_id: str, link_type: str, codes: Iterable[str]) -> None:
    """The admin's list is authoritative: links of any source outside it go, new ones come."""
    taxonomy, _vocabulary = LINK_TAXONOMIES[link_type]
    wanted = set(codes)
    current = session.execute(
        select(models.Attribute.id, models.TaxonomyTerm.code)
        .join(models.TaxonomyTerm, models.TaxonomyTerm.id == models.Attribute.taxonomy_term_id)
        .where(models.Attribute.link_id == service_id, models.Attribute.link_type == link_type)
    ).all()
    gone = [attribute_id for attribute_id, code in current if code not in wanted]
    if gone:
        session.execute(delete(models.Attribute).where(models.Attribute.id.in_(gone)))
    have = {code for _, code in current}
    for code in sorted(wanted - have):
        links.add_link(session, service_id, link_type, links.term_id(session, taxonomy, code))


def _set_phone(session: Session, service_id: str, values: ServiceInput) -> None:
    """Replace the service's main line (voice numbers without a description)."""
    current = _main_phone(session, service_id)
    if current is not None and (current.number, current.extension) == (
        values.phone, values.phone_extension
    ):
        return
    session.execute(
        delete(models.Phone).where(
            models.Phone.service_id == service_id,
            models.Phone.type.in_(("voice", "cell")),
            models.Phone.description.is_(None),
        )
    )
    if values.phone:
        session.add(
            models.Phone(id=str(uuid.uuid4()), service_id=service_id, number=values.phone,
                         extension=values.phone_extension, type="voice", source=ADMIN_SOURCE,
                         source_record_id=service_id, version=1)
        )


def _set_extra_phones(session: Session, service_id: str, values: ServiceInput) -> None:
    """The admin's other phone lines replace every source's (the main line stays)."""
    if values.phones is None:
        return
    main = _main_phone(session, service_id)
    wanted = {(p.number, p.extension, p.description): p for p in values.phones}
    for row in session.scalars(select(models.Phone).where(models.Phone.service_id == service_id)):
        if main is not None and row.id == main.id:
            continue
        if wanted.pop((row.number, row.extension, row.description), None) is None:
            session.delete(row)
    location = _primary_location(session, service_id)
    for phone in wanted.values():
        session.add(models.Phone(id=str(uuid.uuid4()), service_id=service_id,
                                 location_id=location.id if location else None, number=phone.number,
                                 extension=phone.extension, type=phone.type,
                                 description=phone.description, source=ADMIN_SOURCE,
                                 source_record_id=service_id, version=1))


def _set_hours(session: Session, service_id: str, values: ServiceInput) -> None:
    """The admin's week replaces every source's hours (when it differs)."""
    if values.hours is None:
        return
    current = week_hours(session, service_id)
    if current == {day: fields.hours_text(spans) for day, spans in values.hours.items()}:
        return
    session.execute(delete(models.Schedule).where(models.Schedule.service_id == service_id))
    location = _primary_location(session, service_id)
    for day, spans in values.hours.items():
        for n, (opens, closes) in enumerate(spans):
            session.add(models.Schedule(
                id=stable_id("schedule", service_id, ADMIN_SOURCE, day, n),
                service_id=service_id,
                location_id=location.id if location else None, freq="WEEKLY",
                byday=day, opens_at=opens, closes_at=closes,
                source=ADMIN_SOURCE, source_record_id=service_id, version=1))


def _set_languages(session: Session, service_id: str, values: ServiceInput) -> None:
    if values.languages is None:
        return
    wanted = set(values.languages)
    have: set[str] = set()
    rows = session.scalars(
        select(models.Language).where(models.Language.service_id == service_id))
    for row in rows:
        if row.code in wanted and row.code not in have:
            have.add(row.code)
        else:
            session.delete(row)
    location = _primary_location(session, service_id)
    for code in sorted(wanted - have):
        session.add(models.Language(id=str(uuid.uuid4()), service_id=service_id,
                                    location_id=location.id if location else None, code=code,
                                    source=ADMIN_SOURCE, source_record_id=service_id, version=1))


def _write_location(
    session: Session, service: models.Service, organization_id: str | None, values: ServiceInput
) -> None:
    location = _primary_location(session, service.id)
    current = _address_of(session, location.id) if location is not None else None
    lat, lon = _locate(values, location, current)
    if location is None:
        location = models.Location(id=str(uuid.uuid4()), source=ADMIN_SOURCE,
                                   source_record_id=service.id, version=1)
        session.add(location)
        session.flush()
        session.add(
            models.ServiceAtLocation(id=str(uuid.uuid4()), service_id=service.id,
                                     location_id=location.id, source=ADMIN_SOURCE, version=1)
        )
    location.organization_id = organization_id
    location.name = values.name
    location.latitude, location.longitude = lat, lon
    location.timezone = timezone_for(lat, lon)
    location.match_key = normalize.match_key(values.name, values.address_1, values.postal_code)
    address = _address_of(session, location.id)
    if address is None:
        address = models.Address(id=str(uuid.uuid4()), location_id=location.id, source=ADMIN_SOURCE,
                                 version=1)
        session.add(address)
    address.address_1 = values.address_1
    address.address_2 = values.address_2
    address.city = values.city
    address.state_province = values.state
    address.postal_code = values.postal_code
    address.country = "US"


def _apply(session: Session, service: models.Service, values: ServiceInput) -> None:
    """Write every field; one flush at the end so the version moves by exactly one."""
    with session.no_autoflush:
        _apply_fields(session, service, values)


def _apply_fields(session: Session, service: models.Service, values: ServiceInput) -> None:
    # Tables have no ORM relationships, so parents are flushed before children by hand,
    # and the service row is changed last: its version then moves once, at the caller's flush.
    organization_id = _organization(session, values.organization)
    for link_type, codes in (("need", values.needs), ("payment", values.insurance),
                             ("population", values.populations)):
        for code in codes:
            links.term_id(session, LINK_TAXONOMIES[link_type][0], code)
    session.flush()
    _write_location(session, service, organization_id, values)
    _set_phone(session, service.id, values)
    session.flush()
    _set_extra_phones(session, service.id, values)
    _set_hours(session, service.id, values)
    _set_languages(session, service.id, values)
    _set_links(session, service.id, "need", values.needs)
    _set_links(session, service.id, "payment", values.insurance)
    _set_links(session, service.id, "population", values.populations)
    details.write_links(session, service.id, values.details)
    session.flush()
    details.write_columns(service, values.details)
    service.name = values.name
    service.organization_id = organization_id
    service.description = values.description
    service.url = values.website


def create_service(
    session: Session, values: ServiceInput, today: dt.date, *,
    source: str = ADMIN_SOURCE, record_id: str | None = None,
) -> Change:
    """A new service at a new location, entered (and so verified) by an admin today.

    A file of the admin's own (`source` "local") gives its `record_id`: the service id is
    derived from it, so importing the same file into another directory gives the same ids."""
    service_id = stable_id("service", source, record_id) if record_id else str(uuid.uuid4())
    service = models.Service(id=service_id, name=values.name, status=models.STATUS_ACTIVE,
                             scope="local",
                             organization_id=_organization(session, values.organization),
                             description=values.description, url=values.website,
                             source=source, source_record_id=record_id or service_id,
                             last_verified=today, version=1)
    session.add(service)
    session.flush()
    _apply(session, service, values)
    _flush(session, service_id)
    refresh_services(session, [service_id])
    return Change("create", "service", service_id, None, snapshot(session, service_id))


def update_service(
    session: Session, service_id: str, version: int, values: ServiceInput, *,
    remember: bool = True,
) -> Change:
    """`remember`: mark the changed fields as the admin's against later imports of other
    sources (the admin's own files pass False: they are the admin's already)."""
    service = _checked(session, service_id, version)
    before = snapshot(session, service_id)
    _apply(session, service, values)
    flag_modified(service, "name")  # the service row always takes the new version
    _flush(session, service_id)
    refresh_services(session, [service_id])
    after = snapshot(session, service_id)
    if remember:
        admin_edits.remember(session, service_id, admin_edits.changed_groups(before, after))
    return Change("update", "service", service_id, before, after)


def set_status(session: Session, service_id: str, version: int, status: str) -> Change:
    """Deactivate (hidden from search, kept for the record) or reactivate a service."""
    if status not in models.STATUSES:
        raise InvalidEdit({"status": f"Choose one of: {', '.join(models.STATUSES)}."})
    service = _checked(session, service_id, version)
    before = snapshot(session, service_id)
    service.status = status
    flag_modified(service, "status")
    _flush(session, service_id)
    admin_edits.remember(session, service_id, {"status"})
    refresh_services(session, [service_id])
    action = "deactivate" if status == models.STATUS_INACTIVE else (
        "reactivate" if status == models.STATUS_ACTIVE else "status")
    return Change(action, "service", service_id, before, snapshot(session, service_id))


def mark_verified(session: Session, service_id: str, version: int, today: dt.date) -> Change:
    """Record that an admin confirmed the listing today; the card then shows this date."""
    service = _checked(session, service_id, version)
    before = snapshot(session, service_id)
    service.last_verified = today
    flag_modified(service, "last_verified")
    location = _primary_location(session, service_id)
    row = session.scalar(
        select(models.RecordSource).where(
            models.RecordSource.source == ADMIN_SOURCE,
            models.RecordSource.source_record_id == service_id,
        )
    )
    if row is None:
        session.add(
            models.RecordSource(
                service_id=service_id, location_id=location.id if location else None,
                source=ADMIN_SOURCE, source_record_id=service_id, last_verified=today,
                checksum="verified-by-admin", imported_at=dt.datetime.now(dt.UTC))
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
        select(models.ServiceCapacity).where(
            models.ServiceCapacity.service_id == service_id, models.ServiceCapacity.unit == unit
        )
    )
    before = _capacity_json(row) if row is not None else None
    if row is None:
        if version not in (None, 0):
            raise EditConflict(service_id, None)
        row = models.ServiceCapacity(id=str(uuid.uuid4()), service_id=service_id, unit=unit,
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
