"""Reading services for the editor: snapshots, listing, the stale report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from resources_db import models
from resources_db.cards import utc_timestamp
from resources_db.editing.details import read_details
from resources_db.editing.errors import LINK_TAXONOMIES, NotFound
from resources_db.freshness import VERIFICATION_MAX_AGE
from resources_db.importers import fields


def _service(session: Session, service_id: str) -> models.Service:
    service = session.get(models.Service, service_id)
    if service is None:
        raise NotFound(service_id)
    return service


def _primary_location(session: Session, service_id: str) -> models.Location | None:
    return session.scalar(
        select(models.Location)
        .join(models.ServiceAtLocation, models.ServiceAtLocation.location_id == models.Location.id)
        .where(models.ServiceAtLocation.service_id == service_id)
        .order_by(models.ServiceAtLocation.id)
        .limit(1)
    )


def _address_of(session: Session, location_id: str) -> models.Address | None:
    return session.scalar(
        select(models.Address).where(models.Address.location_id == location_id).limit(1)
    )


def _main_phone(session: Session, service_id: str) -> models.Phone | None:
    return session.scalar(
        select(models.Phone)
        .where(models.Phone.service_id == service_id, models.Phone.type.in_(("voice", "cell")))
        .order_by(models.Phone.description.is_not(None), models.Phone.id)
        .limit(1)
    )


def _codes(session: Session, service_id: str, link_type: str) -> list[str]:
    codes = session.scalars(
        select(models.TaxonomyTerm.code)
        .join(models.Attribute, models.Attribute.taxonomy_term_id == models.TaxonomyTerm.id)
        .where(models.Attribute.link_id == service_id, models.Attribute.link_type == link_type)
    )
    vocabulary = LINK_TAXONOMIES[link_type][1]
    present = set(codes)
    return [code for code in vocabulary if code in present]


def _extra_phones(
    session: Session, service_id: str, main: models.Phone | None
) -> list[dict[str, str | None]]:
    """Every phone line of the service but the main one, in a stable order."""
    rows = session.scalars(
        select(models.Phone)
        .where(models.Phone.service_id == service_id)
        .order_by(models.Phone.number, models.Phone.id)
    )
    return [{"number": p.number, "extension": p.extension, "description": p.description}
            for p in rows if main is None or p.id != main.id]


def week_hours(session: Session, service_id: str) -> dict[str, str]:
    """Each day's hours as the form writes them ("09:00-17:00, 18:00-20:00"; "" none)."""
    spans: dict[str, list[tuple[dt.time, dt.time]]] = {day: [] for day in fields.DAYS}
    for byday, opens, closes in session.execute(
        select(models.Schedule.byday, models.Schedule.opens_at, models.Schedule.closes_at)
        .where(models.Schedule.service_id == service_id)
        .order_by(models.Schedule.opens_at)
    ):
        if byday in spans and (opens, closes) not in spans[byday]:
            spans[byday].append((opens, closes))
    return {day: fields.hours_text(found) for day, found in spans.items()}


def languages(session: Session, service_id: str) -> list[str]:
    codes = session.scalars(
        select(models.Language.code).where(models.Language.service_id == service_id)
    )
    return sorted(set(codes))


def effective_last_verified(session: Session, service: models.Service) -> dt.date | None:
    """The newest verification date among the service and every source merged into it."""
    dates = [service.last_verified] + list(
        session.scalars(
            select(models.RecordSource.last_verified)
            .where(models.RecordSource.service_id == service.id)
        )
    )
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def capacities(session: Session, service_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(models.ServiceCapacity)
        .where(models.ServiceCapacity.service_id == service_id)
        .order_by(models.ServiceCapacity.unit)
    )
    return [_capacity_json(row) for row in rows]


def _capacity_json(row: models.ServiceCapacity) -> dict[str, Any]:
    return {
        "id": row.id,
        "unit": row.unit,
        "available": row.available,
        "total": row.maximum,
        "updated_at": utc_timestamp(row.updated_at),
        "updated_by": row.updated_by,
        "version": row.version,
    }


def snapshot(session: Session, service_id: str) -> dict[str, Any]:
    """Everything an editor sees of one service, JSON-ready (also the audit before/after)."""
    service = _service(session, service_id)
    organization = (
        session.get(models.Organization, service.organization_id)
        if service.organization_id
        else None
    )
    location = _primary_location(session, service_id)
    address = _address_of(session, location.id) if location is not None else None
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
        "no_fixed_address": address is not None and not address.address_1,
        "address_1": address.address_1 if address else None,
        "address_2": address.address_2 if address else None,
        "city": address.city if address else None,
        "state": address.state_province if address else None,
        "postal_code": address.postal_code if address else None,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "phones": _extra_phones(session, service_id, phone),
        "hours": week_hours(session, service_id),
        "languages": languages(session, service_id),
        "needs": _codes(session, service_id, "need"),
        "insurance": _codes(session, service_id, "payment"),
        "populations": _codes(session, service_id, "population"),
        **read_details(session, service),
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
                func.lower(models.Service.name).like(like),
                func.lower(models.Organization.name).like(like),
                func.lower(models.Address.city).like(like),
                models.Address.postal_code.like(like),
                models.Service.id == filters.q.strip(),
            )
        )
    if filters.status:
        stmt = stmt.where(models.Service.status == filters.status)
    if filters.state:
        stmt = stmt.where(models.Address.state_province == filters.state.upper())
    if filters.need:
        stmt = stmt.where(
            select(models.Attribute.id)
            .join(models.TaxonomyTerm, models.TaxonomyTerm.id == models.Attribute.taxonomy_term_id)
            .where(
                models.Attribute.link_id == models.Service.id,
                models.Attribute.link_type == "need",
                models.TaxonomyTerm.code == filters.need,
            )
            .exists()
        )
    return stmt


def _with_place(stmt: Any) -> Any:
    first_location = (
        select(func.min(models.ServiceAtLocation.id))
        .where(models.ServiceAtLocation.service_id == models.Service.id)
        .correlate(models.Service)
        .scalar_subquery()
    )
    return (
        stmt.outerjoin(models.Organization,
                       models.Organization.id == models.Service.organization_id)
        .outerjoin(models.ServiceAtLocation, models.ServiceAtLocation.id == first_location)
        .outerjoin(models.Address,
                   models.Address.location_id == models.ServiceAtLocation.location_id)
    )


def list_services(
    session: Session, filters: ServiceFilter, page: int = 1, per_page: int = 25
) -> Page:
    """One page of services (name order) with their organization, city and state."""
    page = max(1, page)
    per_page = min(max(1, per_page), 100)
    base = _filtered(_with_place(select(models.Service.id)), filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        _filtered(
            _with_place(
                select(
                    models.Service.id,
                    models.Service.name,
                    models.Service.status,
                    models.Service.version,
                    models.Organization.name,
                    models.Address.city,
                    models.Address.state_province,
                    models.Address.postal_code,
                )
            ),
            filters,
        )
        .order_by(models.Service.name, models.Service.id)
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
        select(
            models.RecordSource.service_id,
            func.max(models.RecordSource.last_verified).label("verified"),
        )
        .group_by(models.RecordSource.service_id)
        .subquery()
    )
    either = func.coalesce(newest_source.c.verified, models.Service.last_verified)
    # the newer of the two; SQLite's two-argument max() is NULL when one side is NULL
    larger = func.max if session.get_bind().dialect.name == "sqlite" else func.greatest
    newest = func.coalesce(larger(newest_source.c.verified, models.Service.last_verified), either)
    stmt = (
        select(models.Service.id, models.Service.name, newest.label("verified"))
        .outerjoin(newest_source, newest_source.c.service_id == models.Service.id)
        .where(models.Service.status == models.STATUS_ACTIVE)
        .where(or_(newest.is_(None), newest < cutoff))
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    rows = session.execute(
        stmt.order_by(newest.is_not(None), newest, models.Service.name)
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

