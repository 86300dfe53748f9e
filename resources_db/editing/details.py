"""What a person needs to know beyond the address: cost, who is served, how to get help,
whether it is peer-run, and the area served (HSDS 3.1 service fields and `service_area`).

Each field is written only when it was sent (the JSON API may leave any out and keep the
stored value); the edit form always sends them all.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from resources_db import normalize
from resources_db.cards import PEER_RUN_TERM
from resources_db.editing import links
from resources_db.editing.errors import ADMIN_SOURCE
from resources_db.models import Attribute, Service, ServiceArea, TaxonomyTerm

TEXT_FIELDS = ("fees_description", "eligibility_description", "application_process")
AGE_FIELDS = ("minimum_age", "maximum_age")
MAX_AGE = 120
MAX_TEXT = 2000
#: the link type of the peer-run attribute (not a need, payment or population filter)
PEER_RUN_LINK = "feature"
YES = frozenset({"yes", "y", "true", "1", "on"})
NO = frozenset({"no", "n", "false", "0", "off", ""})


@dataclass
class ServiceDetails:
    """The sent values; `sent` names the fields to write (others are kept as stored)."""

    fees_description: str | None = None
    eligibility_description: str | None = None
    application_process: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    peer_run: bool = False
    service_area: str | None = None
    sent: frozenset[str] = field(default_factory=frozenset)


def yes_no(value: object) -> bool:
    """True/False from a checkbox, a JSON boolean or a CSV yes/no; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"answer yes or no, not {value!r}")


def _age(raw: object, key: str, errors: dict[str, str]) -> float | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        age = float(text)
    except ValueError:
        age = -1.0
    if not 0 <= age <= MAX_AGE or age != int(age):
        errors[key] = f"Enter a whole number of years from 0 to {MAX_AGE}, or leave it empty."
        return None
    return age


def parse_details(values: Mapping[str, Any], errors: dict[str, str]) -> ServiceDetails:
    """The detail fields present in `values`; adds a message per bad field to `errors`."""
    details = ServiceDetails()
    sent = {key for key in (*TEXT_FIELDS, *AGE_FIELDS, "peer_run", "service_area") if key in values}
    for key in (*TEXT_FIELDS, "service_area"):
        text = normalize.clean(values.get(key)) if values.get(key) is not None else None
        if text is not None and len(text) > MAX_TEXT:
            errors[key] = f"Use {MAX_TEXT} characters or fewer."
        setattr(details, key, text)
    for key in AGE_FIELDS:
        setattr(details, key, _age(values.get(key), key, errors))
    if (
        details.minimum_age is not None
        and details.maximum_age is not None
        and details.minimum_age > details.maximum_age
    ):
        errors["maximum_age"] = "The oldest age can't be below the youngest."
    if "peer_run" in values:
        try:
            details.peer_run = yes_no(values.get("peer_run"))
        except ValueError:
            errors["peer_run"] = "Answer yes or no."
    details.sent = frozenset(sent)
    return details


def _set_peer_run(session: Session, service_id: str, peer_run: bool) -> None:
    """One attribute links a peer-run service to the term; saying no removes every source's."""
    taxonomy, code = PEER_RUN_TERM
    term_id = links.term_id(session, taxonomy, code, name="Peer-run",
                            description="Run by people with lived experience of recovery")
    current = session.scalars(
        select(Attribute.id).where(
            Attribute.link_id == service_id, Attribute.taxonomy_term_id == term_id
        )
    ).all()
    if not peer_run:
        if current:
            session.execute(delete(Attribute).where(Attribute.id.in_(current)))
        return
    if current:
        return
    links.add_link(session, service_id, PEER_RUN_LINK, term_id)


def _set_area(session: Session, service_id: str, name: str | None) -> None:
    """The admin's area (one, by name) replaces the service's areas."""
    rows = session.scalars(select(ServiceArea).where(ServiceArea.service_id == service_id)).all()
    if [row.name for row in rows] == ([name] if name else []):
        return
    for row in rows:
        session.delete(row)
    if name:
        session.add(
            ServiceArea(
                id=str(uuid.uuid4()),
                service_id=service_id,
                name=name,
                source=ADMIN_SOURCE,
                source_record_id=service_id,
                version=1,
            )
        )


def write_links(session: Session, service_id: str, details: ServiceDetails) -> None:
    """The peer-run attribute and the area served, when sent."""
    if "peer_run" in details.sent:
        _set_peer_run(session, service_id, details.peer_run)
    if "service_area" in details.sent:
        _set_area(session, service_id, details.service_area)


def write_columns(service: Service, details: ServiceDetails) -> None:
    """The service row's own detail columns, when sent (the caller flushes the row once)."""
    for key in (*TEXT_FIELDS, *AGE_FIELDS):
        if key in details.sent and getattr(service, key) != getattr(details, key):
            setattr(service, key, getattr(details, key))


def read_details(session: Session, service: Service) -> dict[str, Any]:
    """The detail fields of a snapshot (ages as whole numbers)."""
    taxonomy, code = PEER_RUN_TERM
    peer_run = (
        session.scalar(
            select(Attribute.id)
            .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .where(
                Attribute.link_id == service.id,
                TaxonomyTerm.taxonomy == taxonomy,
                TaxonomyTerm.code == code,
            )
            .limit(1)
        )
        is not None
    )
    areas = session.scalars(
        select(ServiceArea.name)
        .where(ServiceArea.service_id == service.id)
        .order_by(ServiceArea.name)
    ).all()
    return {
        **{key: getattr(service, key) for key in TEXT_FIELDS},
        **{
            key: None if getattr(service, key) is None else int(getattr(service, key))
            for key in AGE_FIELDS
        },
        "peer_run": peer_run,
        "service_area": "; ".join(a for a in areas if a) or None,
    }
