"""What an edit reports: errors, conflicts, and the audited change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resources_db.importers.records import NEED_TAXONOMY, PAYMENT_TAXONOMY, POPULATION_TAXONOMY
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


