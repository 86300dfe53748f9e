"""Replace resources_db.understand.understand in the actions with a table of readings."""

from __future__ import annotations

from typing import Any

import pytest

from actions import understanding
from resources_db.geocode import resolve_place
from resources_db.understand import Understood


def place(label: str) -> Any:
    found = resolve_place(label).place
    assert found is not None, label
    return found


def readings(monkeypatch: pytest.MonkeyPatch, table: dict[str, Understood]) -> None:
    """understand(text) returns table[text] (an empty reading for any other text)."""
    monkeypatch.setattr(understanding, "understand", lambda text: table.get(text, Understood()))
