"""The admin's taxonomy links: a term found or added, and a service linked to it.

Shared by the need/payment/population lists (`commands`) and the peer-run answer (`details`);
the admin's rows carry ADMIN_SOURCE and the service as their source record, so a re-import
tells them from its own.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from resources_db.editing.errors import ADMIN_SOURCE
from resources_db.importers.records import stable_id
from resources_db.models import Attribute, TaxonomyTerm


def term_id(session: Session, taxonomy: str, code: str, *, name: str | None = None,
            description: str | None = None) -> str:
    """The id of the term `taxonomy`/`code`; added (named `name`, else its code) if missing."""
    found = session.scalar(
        select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy == taxonomy, TaxonomyTerm.code == code)
    )
    if found is not None:
        return found
    new_id = stable_id("taxonomy_term", taxonomy, code)
    session.add(TaxonomyTerm(id=new_id, taxonomy=taxonomy, code=code, name=name or code,
                             description=description, source=ADMIN_SOURCE, version=1))
    session.flush()
    return new_id


def add_link(session: Session, service_id: str, link_type: str, term: str) -> None:
    """Link the service to the term as the admin's own attribute."""
    session.add(
        Attribute(
            id=stable_id("attribute", service_id, term, ADMIN_SOURCE, service_id),
            link_id=service_id,
            link_entity="service",
            link_type=link_type,
            taxonomy_term_id=term,
            source=ADMIN_SOURCE,
            source_record_id=service_id,
            version=1,
        )
    )
