"""The vocabulary is exactly the contract's, and every code map is confirmed by the locator."""

from __future__ import annotations

import json
import re
from pathlib import Path

from resources_db.vocabulary import (
    FACILITY_TYPE_NEEDS,
    INSURANCE_QUERY_VALUES,
    LANGUAGE_CODES,
    NEED_CODES,
    NEEDS,
    PAYMENT_CODES,
    PAYMENT_VALUES,
    POPULATION_CODES,
    POPULATIONS,
    insurance_mask,
    language_code,
    mask_of,
)

ROOT = Path(__file__).resolve().parents[2]
CODES = json.loads((ROOT / "resources_db/seed/samhsa/locator_filter_codes.json").read_text())
LABELS = {
    entry["value"].split("-")[0]: entry["label"]
    for group in CODES.values()
    for entry in group
    if entry["value"]
}


# --- the vocabulary as docs/contract.md §1 writes it down for the clients ----------------

CONTRACT = (ROOT / "docs/contract.md").read_text(encoding="utf-8")
INSURANCE_PART = "Insurance: what a person has (query value)"
PAYMENT_PART = "Payment a resource accepts (record value)"
POPULATIONS_PART = "Populations"


def contract_part(heading: str) -> str:
    """The text under `### heading` in the contract, up to the next heading."""
    marker = f"\n### {heading}\n"
    start = CONTRACT.index(marker) + len(marker)
    return CONTRACT[start : CONTRACT.index("\n#", start)]


def contract_list(heading: str) -> dict[str, str | None]:
    """The keys of the list that opens a part ("`medicaid` (MD), `medicare` (MC), ..."), in
    its order, each with the locator code written beside it (None where there is none)."""
    first_sentence = contract_part(heading).strip().split(". ")[0]
    keys_and_codes = re.findall(r"`(\w+)`(?: \((\w+)\))?", first_sentence)
    return {key: code or None for key, code in keys_and_codes}


def contract_needs() -> dict[str, str]:
    """The keys of the needs table, in its order, each with its "locator codes" cell."""
    table = contract_part("Needs (resource categories)")
    return dict(re.findall(r"^\| `(\w+)` \|.*\| ([^|]*) \|$", table, re.MULTILINE))


def test_contract_keys() -> None:
    # the contract's order of needs is the order of the search index's mask bits
    assert tuple(contract_needs()) == NEEDS
    assert tuple(contract_list(INSURANCE_PART)) == INSURANCE_QUERY_VALUES
    assert set(contract_list(PAYMENT_PART)) == set(PAYMENT_VALUES)
    assert set(contract_list(POPULATIONS_PART)) == set(POPULATIONS)


def test_the_code_maps_are_the_contracts() -> None:
    need_codes: dict[str, str] = {}
    facility_types: dict[str, str] = {}
    for need, cell in contract_needs().items():
        for code in cell.split(", "):
            if code.startswith("type_facility "):
                facility_types[code.removeprefix("type_facility ")] = need
            elif code != "–":
                need_codes[code] = need
    assert need_codes == NEED_CODES
    assert facility_types == FACILITY_TYPE_NEEDS
    for codes, heading in (
        (PAYMENT_CODES, PAYMENT_PART),
        (POPULATION_CODES, POPULATIONS_PART),
    ):
        listed = contract_list(heading)
        assert codes == {code: key for key, code in listed.items() if code}, heading


def test_every_mapped_locator_code_has_a_locator_label() -> None:
    for code in [*NEED_CODES, *PAYMENT_CODES, *POPULATION_CODES, *LANGUAGE_CODES]:
        assert code in LABELS or code == "OTP", code


def test_language_codes_follow_the_locator_labels() -> None:
    assert language_code("F4-Arabic") == "ar" and LABELS["F4"] == "Arabic"
    assert language_code("SP") == "es" and language_code("Spanish") == "es"
    # Creole does not say which creole; Hmong has no ISO 639-1 code
    assert language_code("F19") is None and language_code("F37") is None


def test_no_insurance_accepts_free_and_reduced_cost_care() -> None:
    accepted = insurance_mask("none")
    for payment in ("free", "sliding_fee", "payment_assistance", "state_funded"):
        assert accepted & mask_of([payment], PAYMENT_VALUES)
    for payment in ("medicaid", "private", "self_pay"):
        assert not accepted & mask_of([payment], PAYMENT_VALUES)
