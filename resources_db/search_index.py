"""Keeps `search_entry` (and on SQLite the `search_rtree` and `search_rtree_need` spatial
indexes) in step with the directory tables.

Every write path (importers, seed, admin edits, capacity updates) calls
`refresh_services(session, service_ids)` after changing services; `rebuild(session)` redoes
the whole index. One entry per active service at a location or active national service.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.orm import Session

from resources_db import models
from resources_db.cards import PEER_RUN_TERM, Capacity, build_card, phone_text
from resources_db.hours import Span, format_hours, spec_from_rows, state_timezone
from resources_db.meeting_cards import with_meetings
from resources_db.offers import load_offers
from resources_db.search_rtree import (
    NEED_SPATIAL_TABLE,
    insert_spatial,
    need_rtree_ids,
    rtree_id,
)
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS, mask_of

#: which source's name, date and label a merged card shows first, best first
SOURCE_PRIORITY = (
    "findtreatment",
    "samhsa-locator-mh",
    "samhsa-locator-sud",
    "samhsa-otp-directory",
    "samhsa-national-directory-2017",
)
CHUNK = 500


def _priority(source: str) -> int:
    """Higher is preferred; sources not in SOURCE_PRIORITY (fixtures, HSDS, admin) rank 0."""
    if source not in SOURCE_PRIORITY:
        return 0
    return len(SOURCE_PRIORITY) - SOURCE_PRIORITY.index(source)


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@dataclass
class _ServiceData:
    name: str
    alternate_name: str | None
    organization_id: str | None
    url: str | None
    scope: str
    hours_text: str | None
    source: str
    last_verified: dt.date | None
    fees_description: str | None = None
    peer_run: bool = False
    needs: set[str] = field(default_factory=set)
    payments: set[str] = field(default_factory=set)
    populations: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    phones: list[tuple[int, int, int, str]] = field(default_factory=list)
    schedules: list[tuple[str | None, str | None, str, dt.time, dt.time]] = field(
        default_factory=list
    )
    sources: list[tuple[str, dt.date | None]] = field(default_factory=list)
    capacity: Capacity | None = None


def _rows(session: Session, stmt: Any, column: Any, ids: Sequence[str] | None) -> Iterator[Any]:
    if ids is None:
        yield from session.execute(stmt)
        return
    for chunk in _chunks(ids):
        yield from session.execute(stmt.where(column.in_(chunk)))


def _load_services(session: Session, ids: Sequence[str] | None) -> dict[str, _ServiceData]:
    services: dict[str, _ServiceData] = {}
    stmt: Any = select(
        models.Service.id,
        models.Service.name,
        models.Service.alternate_name,
        models.Service.organization_id,
        models.Service.url,
        models.Service.scope,
        models.Service.hours_text,
        models.Service.source,
        models.Service.last_verified,
        models.Service.fees_description,
    ).where(models.Service.status == models.STATUS_ACTIVE)
    for row in _rows(session, stmt, models.Service.id, ids):
        services[row[0]] = _ServiceData(*row[1:])
    keys = list(services) if ids is not None else None
    vocab = {"need": "needs", "payment": "payments", "population": "populations"}
    stmt = (
        select(models.Attribute.link_id, models.Attribute.link_type, models.TaxonomyTerm.code)
        .join(models.TaxonomyTerm, models.TaxonomyTerm.id == models.Attribute.taxonomy_term_id)
        .where(models.Attribute.link_type.in_(tuple(vocab)))
    )
    for service_id, link_type, code in _rows(session, stmt, models.Attribute.link_id, keys):
        if service_id in services:
            getattr(services[service_id], vocab[link_type]).add(code)
    stmt = (
        select(models.Attribute.link_id)
        .join(models.TaxonomyTerm, models.TaxonomyTerm.id == models.Attribute.taxonomy_term_id)
        .where(models.TaxonomyTerm.taxonomy == PEER_RUN_TERM[0],
               models.TaxonomyTerm.code == PEER_RUN_TERM[1])
    )
    for (service_id,) in _rows(session, stmt, models.Attribute.link_id, keys):
        if service_id in services:
            services[service_id].peer_run = True
    stmt = select(models.Language.service_id, models.Language.code)
    for service_id, code in _rows(session, stmt, models.Language.service_id, keys):
        if service_id in services:
            services[service_id].languages.add(code)
    stmt = select(
        models.Phone.service_id,
        models.Phone.number,
        models.Phone.extension,
        models.Phone.type,
        models.Phone.description,
        models.Phone.source,
    )
    for service_id, number, ext, kind, description, source in _rows(
        session, stmt, models.Phone.service_id, keys
    ):
        if service_id in services and kind in {"voice", "cell"}:
            rank = (
                int(description is not None),
                -_priority(source),
                len(services[service_id].phones),
            )
            services[service_id].phones.append((*rank, phone_text(number, ext)))
    stmt = select(
        models.Schedule.service_id,
        models.Schedule.location_id,
        models.Schedule.service_at_location_id,
        models.Schedule.byday,
        models.Schedule.opens_at,
        models.Schedule.closes_at,
    )
    for service_id, *rest in _rows(session, stmt, models.Schedule.service_id, keys):
        if service_id in services:
            services[service_id].schedules.append(tuple(rest))
    stmt = select(
        models.RecordSource.service_id,
        models.RecordSource.source,
        models.RecordSource.last_verified,
    )
    for service_id, source, verified in _rows(session, stmt, models.RecordSource.service_id, keys):
        if service_id in services:
            services[service_id].sources.append((source, verified))
    stmt = select(
        models.ServiceCapacity.service_id,
        models.ServiceCapacity.available,
        models.ServiceCapacity.maximum,
        models.ServiceCapacity.unit,
        models.ServiceCapacity.updated_at,
    ).order_by(models.ServiceCapacity.updated_at)
    for service_id, available, maximum, unit, updated in _rows(
        session, stmt, models.ServiceCapacity.service_id, keys
    ):
        if service_id in services:
            services[service_id].capacity = Capacity(available, maximum, unit, updated)
    return services


def _best_source(data: _ServiceData) -> tuple[str, dt.date | None]:
    """The most recently verified source of a merged service (ties: SOURCE_PRIORITY)."""
    if not data.sources:
        return data.source, data.last_verified
    return max(data.sources, key=lambda s: (s[1] or dt.date.min, _priority(s[0])))


#: (address_1, address_2, city, state, postal code) of a location
_Address = tuple[str, str | None, str, str, str]
_NO_ADDRESS = (None, None, None, None, None)


@dataclass
class _Places:
    """Where the services are: their locations, each location's point and address."""

    links: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    points: dict[str, tuple[float | None, float | None, str | None]] = field(default_factory=dict)
    addresses: dict[str, _Address] = field(default_factory=dict)


def _load_places(session: Session, keys: Sequence[str]) -> _Places:
    places = _Places()
    for sal_id, service_id, location_id in _rows(
        session,
        select(
            models.ServiceAtLocation.id,
            models.ServiceAtLocation.service_id,
            models.ServiceAtLocation.location_id,
        ),
        models.ServiceAtLocation.service_id,
        keys,
    ):
        places.links[service_id].append((sal_id, location_id))
    location_ids = sorted({loc for pairs in places.links.values() for _, loc in pairs})
    for loc_id, lat, lon, tz in _rows(
        session,
        select(
            models.Location.id,
            models.Location.latitude,
            models.Location.longitude,
            models.Location.timezone,
        ),
        models.Location.id,
        location_ids,
    ):
        places.points[loc_id] = (lat, lon, tz)
    for loc_id, *address in _rows(
        session,
        select(
            models.Address.location_id,
            models.Address.address_1,
            models.Address.address_2,
            models.Address.city,
            models.Address.state_province,
            models.Address.postal_code,
        ).order_by(models.Address.address_type.desc()),
        models.Address.location_id,
        location_ids,
    ):
        places.addresses.setdefault(loc_id, cast(_Address, tuple(address)))
    return places


def _card_fields(
    data: _ServiceData, organization: str | None, offers: list[str]
) -> dict[str, Any]:
    """What a service's cards say wherever it is."""
    source, verified = _best_source(data)
    return {
        "name": data.name,
        "organization": organization,
        "categories": data.needs,
        "phone": min(data.phones)[3] if data.phones else None,
        "website": data.url,
        "payments": data.payments,
        "populations": data.populations,
        "languages": data.languages,
        "offers": offers,
        "capacity": data.capacity,
        "last_verified": verified,
        "source": source,
        "peer_run": data.peer_run,
        "cost": data.fees_description,
    }


def _masks(data: _ServiceData) -> dict[str, Any]:
    """The filter columns of a service's entries."""
    return {
        "need_mask": mask_of(data.needs, NEEDS),
        "payment_mask": mask_of(data.payments, PAYMENT_VALUES),
        "population_mask": mask_of(data.populations, POPULATIONS),
        "languages": "," + ",".join(sorted(data.languages)) + "," if data.languages else "",
    }


def _entry(
    service_id: str,
    sal_id: str | None,
    fields: dict[str, Any],
    hours_text: str | None,
    *,
    spec: Sequence[Span] = (),
    point: tuple[float | None, float | None, str | None] = (None, None, None),
    address: _Address | None = None,
) -> dict[str, Any]:
    """One search_entry row without its masks: the service at a location (`sal_id`), or
    without one a national line (no weekly hours, point, address or timezone). The card
    shows the location's weekly hours, else the service's own hours text."""
    lat, lon, tz = point
    street = address or _NO_ADDRESS
    card = build_card(
        id=sal_id or service_id,
        address_1=street[0],
        address_2=street[1],
        city=street[2],
        state=street[3],
        zip=street[4],
        lat=lat,
        lon=lon,
        hours=format_hours(spec) or hours_text,
        **fields,
    )
    return {
        "service_at_location_id": sal_id,
        "service_id": service_id,
        "national": sal_id is None,
        "lat": lat,
        "lon": lon,
        "state": street[3],
        "timezone": None if sal_id is None else tz or state_timezone(street[3]),
        "hours_spec": json.dumps(spec) if spec else None,
        "card": json.dumps(card),
    }


def _local_entries(
    service_id: str, data: _ServiceData, fields: dict[str, Any], places: _Places
) -> Iterator[dict[str, Any]]:
    """The service's entries at each of its locations that has a point (or is online)."""
    for sal_id, location_id in places.links[service_id]:
        lat, lon, tz = places.points.get(location_id, (None, None, None))
        if (lat is None or lon is None) and data.scope != "online":
            continue  # an online service is kept at its virtual location (no point)
        rows = [
            (byday, opens, closes)
            for loc, sal, byday, opens, closes in data.schedules
            if (sal is None or sal == sal_id) and (loc is None or loc == location_id)
        ]
        yield _entry(service_id, sal_id, fields, data.hours_text, spec=spec_from_rows(rows),
                     point=(lat, lon, tz), address=places.addresses.get(location_id))


def _entries(session: Session, services: dict[str, _ServiceData]) -> Iterator[dict[str, Any]]:
    keys = list(services)
    orgs: dict[str, str] = {}
    org_ids = sorted({d.organization_id for d in services.values() if d.organization_id})
    for org_id, name in _rows(
        session,
        select(models.Organization.id, models.Organization.name),
        models.Organization.id,
        org_ids,
    ):
        orgs[org_id] = name
    offers = load_offers(session, keys)
    places = _load_places(session, keys)
    for service_id, data in services.items():
        fields = _card_fields(
            data, orgs.get(data.organization_id or ""), offers.get(service_id, [])
        )
        masks = _masks(data)
        if data.scope == "national":
            yield {**_entry(service_id, None, fields, data.hours_text), **masks}
        elif places.links.get(service_id):
            for entry in _local_entries(service_id, data, fields, places):
                yield {**entry, **masks}


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _write(session: Session, entries: Iterable[dict[str, Any]]) -> int:
    next_id = (session.execute(select(func.max(models.SearchEntry.id))).scalar() or 0) + 1
    batch: list[dict[str, Any]] = []
    count = 0
    sqlite = _is_sqlite(session)

    def flush() -> None:
        if not batch:
            return
        session.execute(cast(Table, models.SearchEntry.__table__).insert(), batch)
        if sqlite:
            insert_spatial(session, batch)
        batch.clear()

    for entry in with_meetings(session, entries):
        entry["id"] = next_id
        next_id += 1
        batch.append(entry)
        count += 1
        if len(batch) >= 2000:
            flush()
    flush()
    return count


def _delete_entries(session: Session, service_ids: Sequence[str] | None) -> None:
    sqlite = _is_sqlite(session)
    if service_ids is None:
        session.execute(delete(models.SearchEntry))
        if sqlite:
            session.execute(text(f"DELETE FROM {models.SPATIAL_TABLE}"))
            session.execute(text(f"DELETE FROM {NEED_SPATIAL_TABLE}"))
        return
    for chunk in _chunks(service_ids):
        if sqlite:
            ids = select(
                models.SearchEntry.id,
                models.SearchEntry.need_mask,
                models.SearchEntry.payment_mask,
                models.SearchEntry.population_mask,
            ).where(models.SearchEntry.service_id.in_(chunk))
            rows = list(session.execute(ids))
            for table, entry_ids in (
                (models.SPATIAL_TABLE, [rtree_id(*row) for row in rows]),
                (NEED_SPATIAL_TABLE, [i for row in rows for _, i in need_rtree_ids(*row)]),
            ):
                for start in range(0, len(entry_ids), CHUNK):
                    marks = ",".join(str(int(i)) for i in entry_ids[start : start + CHUNK])
                    session.execute(text(f"DELETE FROM {table} WHERE id IN ({marks})"))
        session.execute(delete(models.SearchEntry).where(models.SearchEntry.service_id.in_(chunk)))


def refresh_services(session: Session, service_ids: Iterable[str]) -> int:
    """Rebuild the entries of these services; returns how many entries they now have."""
    ids = sorted(set(service_ids))
    if not ids:
        return 0
    session.flush()
    _delete_entries(session, ids)
    return _write(session, _entries(session, _load_services(session, ids)))


def rebuild(session: Session) -> int:
    """Rebuild the whole search index from the directory tables."""
    session.flush()
    _delete_entries(session, None)
    return _write(session, _entries(session, _load_services(session, None)))
