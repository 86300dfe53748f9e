"""A card's `offers`: ancillary services a person asks for ("help with transportation").

They come from source codes kept on a service (attribute link type `source_code`) that
`vocabulary.offer_terms()` names, so re-seeding or re-indexing applies a new mapping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from resources_db.models import Attribute, TaxonomyTerm
from resources_db.vocabulary import offer_terms, ordered_offers

CHUNK = 500


def load_offers(session: Session, service_ids: Sequence[str] | None) -> dict[str, list[str]]:
    """Offer labels by service id (services without any are left out); None reads all."""
    terms = offer_terms()
    stmt = (
        select(Attribute.link_id, TaxonomyTerm.taxonomy, TaxonomyTerm.code)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(Attribute.link_type == "source_code")
        .where(TaxonomyTerm.code.in_(sorted({code for _, code in terms})))
    )
    chunks = (
        [None]
        if service_ids is None
        else [service_ids[start : start + CHUNK] for start in range(0, len(service_ids), CHUNK)]
    )
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        query = stmt if chunk is None else stmt.where(Attribute.link_id.in_(chunk))
        for service_id, taxonomy, code in session.execute(query):
            if (taxonomy, code) in terms:
                found[service_id].add(terms[taxonomy, code])
    return {service_id: ordered_offers(labels) for service_id, labels in found.items()}
