"""Admin edits of the directory: one place for the pages, the JSON API and integrations.

`input` validates what was typed, `queries` reads (snapshots, listing, stale report),
`commands` writes (with optimistic locking, index refresh and a `Change` for the audit log).
Nothing is ever hard-deleted: services are deactivated and reactivated.
"""

from resources_db.editing.commands import (
    create_service,
    mark_verified,
    set_status,
    update_capacity,
    update_service,
)
from resources_db.editing.details import ServiceDetails, yes_no
from resources_db.editing.errors import (
    ADMIN_SOURCE,
    CAPACITY_UNITS,
    LINK_TAXONOMIES,
    MAX_CAPACITY,
    Change,
    EditConflict,
    EditError,
    InvalidEdit,
    NotFound,
)
from resources_db.editing.input import (
    ServiceInput,
    parse_capacity,
    parse_service_input,
    parse_version,
)
from resources_db.editing.queries import (
    Page,
    ServiceFilter,
    capacities,
    effective_last_verified,
    list_services,
    snapshot,
    stale_verifications,
)
from resources_db.models import STATUSES
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS

__all__ = [
    "ADMIN_SOURCE", "CAPACITY_UNITS", "LINK_TAXONOMIES", "MAX_CAPACITY", "NEEDS",
    "PAYMENT_VALUES", "POPULATIONS", "STATUSES", "Change", "EditConflict", "EditError",
    "InvalidEdit", "NotFound", "Page", "ServiceDetails", "ServiceFilter", "ServiceInput",
    "capacities", "create_service", "effective_last_verified", "list_services", "mark_verified",
    "parse_capacity", "parse_service_input", "parse_version", "set_status", "snapshot",
    "stale_verifications", "update_capacity", "update_service", "yes_no",
]
