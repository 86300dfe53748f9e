"""What a search filters on (need, insurance, population, language), as masks and SQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from resources_db.search.query import SearchQuery
from resources_db.vocabulary import NEEDS, POPULATIONS, insurance_mask, mask_of

#: the bit masks of a search_entry row (columns of the same names)
_MASKS = ("need_mask", "payment_mask", "population_mask")


@dataclass(frozen=True)
class Filters:
    """A query's filters as the directory stores them: bit masks and a language code."""

    need_mask: int
    payment_mask: int
    population_mask: int
    language: str | None
    #: the need's index when exactly one need is asked (SQLite then walks the need tree)
    need_index: int | None = None

    @classmethod
    def of(cls, query: SearchQuery) -> Filters:
        return cls(
            need_mask=mask_of(query.needs, NEEDS),
            payment_mask=insurance_mask(query.insurance) if query.insurance else 0,
            population_mask=mask_of([query.population], POPULATIONS) if query.population else 0,
            language=query.language,
            need_index=NEEDS.index(query.needs[0]) if len(query.needs) == 1 else None,
        )

    def column_sql(self) -> tuple[str, dict[str, Any]]:
        """Filter conditions on the columns of search_entry `e` (on either back end)."""
        return self.mask_sql({name: f"(e.{name} & :{name}) != 0" for name in _MASKS})

    def mask_sql(
        self,
        conditions: Mapping[str, str],
        clauses: Sequence[str] = (),
        params: Mapping[str, Any] | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """`clauses`, then the condition of each mask this search asks (its value bound to
        the mask's name), then the language condition: as SQL to append, and its params."""
        clauses = list(clauses)
        params = dict(params or {})
        for name, condition in conditions.items():
            value = getattr(self, name)
            if value:
                clauses.append(condition)
                params[name] = value
        self.add_language(clauses, params)
        return and_all(clauses), params

    def add_language(self, clauses: list[str], params: dict[str, Any]) -> None:
        """The language condition (a column of search_entry `e`), when one is asked."""
        if self.language:
            clauses.append("e.languages LIKE :language")
            params["language"] = f"%,{self.language},%"


def and_all(clauses: list[str]) -> str:
    """Conditions to append to a WHERE clause (each preceded by AND)."""
    return "".join(f" AND {c}" for c in clauses)
