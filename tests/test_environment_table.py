"""The environment-variable table of docs/architecture.md is the code's (issue 16): every
`RN_…` setting the product reads is in it, and it names none the code does not read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("web", "actions", "resources_db", "bot", "devstack")
#: set for the containers only (docker-compose.yml / deploy/), never read by Python
CONTAINER_ONLY = {"RN_PUBLIC_PORT"}
NAME = re.compile(r"RN_[A-Z0-9_]+")
LITERAL = re.compile(r"""["'](RN_[A-Z0-9_]+)["']""")


def code_names() -> set[str]:
    names: set[str] = set()
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            names.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return names


def table_names(document: str) -> set[str]:
    text = (ROOT / "docs" / document).read_text(encoding="utf-8")
    section = text.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `RN_")]
    return {name for row in rows for name in NAME.findall(row.split("|")[1])}


def test_every_setting_the_code_reads_is_in_the_table() -> None:
    missing = sorted(code_names() - table_names("architecture.md"))
    assert missing == [], f"add to docs/architecture.md 'Environment variables': {missing}"


def test_the_table_names_no_setting_the_code_does_not_read() -> None:
    stale = sorted(table_names("architecture.md") - code_names())
    assert stale == [], f"no code reads these: {stale}"


def test_the_deployment_guide_names_only_settings_that_exist() -> None:
    text = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    unknown = sorted(set(NAME.findall(text)) - code_names() - CONTAINER_ONLY)
    assert unknown == [], f"docs/deployment.md names settings no code reads: {unknown}"
