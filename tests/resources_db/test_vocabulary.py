"""The vocabulary is exactly the contract's, and every code map is confirmed by the locator."""

from __future__ import annotations

import json
from pathlib import Path

from resources_db.vocabulary import (
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

CODES = json.loads(
    (
        Path(__file__).resolve().parents[2] / "resources_db/seed/samhsa/locator_filter_codes.json"
    ).read_text()
)
LABELS = {
    entry["value"].split("-")[0]: entry["label"]
    for group in CODES.values()
    for entry in group
    if entry["value"]
}


def test_contract_keys() -> None:
    assert NEEDS == (
        "detox",
        "moud",
        "outpatient",
        "residential",
        "housing",
        "insurance",
        "transportation",
        "recovery_community",
        "peer_support",
        "mutual_aid",
        "harm_reduction",
        "mental_health",
        "crisis",
    )
    assert INSURANCE_QUERY_VALUES == ("medicaid", "medicare", "private", "military", "none")
    assert set(PAYMENT_VALUES) == {
        "medicaid",
        "medicare",
        "private",
        "military",
        "ihs_tribal",
        "self_pay",
        "sliding_fee",
        "payment_assistance",
        "free",
        "state_funded",
    }
    assert set(POPULATIONS) == {
        "adults",
        "youth",
        "veterans",
        "lgbtq",
        "deaf_hard_of_hearing",
        "women",
        "pregnant",
        "men",
        "criminal_justice",
    }


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
