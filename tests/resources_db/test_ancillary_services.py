"""Ancillary services a person asks for ("a ride to detox", "peer support") reach the card.

A FindTreatment.gov value maps to a need key or an `offers` label only where its own text
in the bundled FindTreatment.gov sample says so (docs/directory.md "Code mappings").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from resources_db.db import session_scope
from resources_db.importers.registry import run_import
from resources_db.search import SearchQuery, search
from resources_db.vocabulary import FINDTREATMENT_NEEDS, FINDTREATMENT_OFFERS, OFFER_LABELS_ES
from tests.fixtures.directory import FIXTURE_NOW

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources_db/seed/samhsa/findtreatment_locator_sample.json"
DOCS = ROOT / "docs/directory.md"
HERE = {"lat": 38.03, "lon": -78.47}


def example_row(frid: str, services: list[dict[str, str]], **place: Any) -> dict[str, Any]:
    return {
        "frid": frid,
        "name1": f"Example {frid} Services",
        "street1": "9 Example Way",
        "city": "Charlottesville",
        "state": "VA",
        "zip": "22902",
        "phone": "434-555-0190",
        "typeFacility": "SA",
        "latitude": str(place.get("lat", HERE["lat"])),
        "longitude": str(place.get("lon", HERE["lon"])),
        "services": services,
    }


def import_rows(url: str, tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    path = tmp_path / "ft.json"
    path.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    with session_scope(url) as session:
        summary = run_import(session, "findtreatment", path)
    assert not summary.errors, summary.text()


def find(url: str, *needs: str, card_language: str = "en") -> list[dict[str, Any]]:
    with session_scope(url) as session:
        body = search(
            session,
            SearchQuery(needs=list(needs), radius_miles=5, limit=50, card_language=card_language,
                        **HERE),
            now=FIXTURE_NOW,
        )
    return [card for card in body["resources"] if card.get("source") != "national"]


def test_a_ride_to_detox_finds_a_facility_that_helps_with_transportation(
    empty_directory_url: str, tmp_path: Path
) -> None:
    ancillary = {
        "f1": "Ancillary Services",
        "f2": "AS",
        "f3": "Transportation assistance; Consumer-run (peer-support) services; "
        "Self-help groups; Case management",
    }
    detox = {"f1": "Type of Care", "f2": "TC", "f3": "Detoxification"}
    import_rows(
        empty_directory_url,
        tmp_path,
        [
            example_row("rides", [detox, ancillary]),
            example_row("no-rides", [detox], lat=38.031),
        ],
    )
    [card] = find(empty_directory_url, "transportation")
    assert card["name"] == "Example rides Services"
    assert card["categories"] == ["detox", "transportation", "peer_support"]
    assert card["offers"] == ["help with transportation", "peer support", "self-help groups"]
    [spanish] = find(empty_directory_url, "transportation", card_language="es")
    assert spanish["offers"] == ["ayuda con el transporte", "apoyo de pares", "grupos de autoayuda"]
    assert [c["name"] for c in find(empty_directory_url, "peer_support")] == [
        "Example rides Services"
    ]
    # "Self-help groups" does not say they are recovery meetings: no mutual_aid
    assert find(empty_directory_url, "mutual_aid") == []
    other = next(
        c for c in find(empty_directory_url, "detox") if c["name"].startswith("Example no-rides")
    )
    assert other["offers"] == []


def test_buprenorphine_with_naloxone_is_not_naloxone_for_overdoses(
    empty_directory_url: str, tmp_path: Path
) -> None:
    pharmacy = {
        "f1": "Pharmacotherapies",
        "f2": "PHR",
        "f3": "Buprenorphine with naloxone  (Suboxone®)",
    }
    import_rows(empty_directory_url, tmp_path, [example_row("bup", [pharmacy])])
    assert find(empty_directory_url, "harm_reduction") == []
    with session_scope(empty_directory_url) as session:
        [card] = search(session, SearchQuery(radius_miles=5, **HERE), now=FIXTURE_NOW)["resources"]
    assert card["offers"] == []


def test_every_mapped_value_is_a_real_ancillary_value_of_the_sample_and_in_the_docs() -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    ancillary = {
        value.strip()
        for row in sample["rows"]
        for entry in row["services"]
        if entry["f2"] == "AS" and entry["f1"] == "Ancillary Services"
        for value in entry["f3"].split(";")
    }
    mapped = set(FINDTREATMENT_NEEDS["AS"]) | set(FINDTREATMENT_OFFERS["AS"])
    assert mapped <= ancillary
    docs = DOCS.read_text(encoding="utf-8")
    for value in mapped:
        assert f'"{value}"' in docs, f"{value} is mapped but not cited in docs/directory.md"


def test_a_card_indexed_before_offers_existed_still_has_the_field() -> None:
    from resources_db.cards import finish_card

    assert finish_card({"id": "example", "name": "Example"}, 1.23, None)["offers"] == []


def test_every_offer_has_a_spanish_label() -> None:
    """A new offer cannot reach a Spanish speaker's card in English."""
    labels = {label for values in FINDTREATMENT_OFFERS.values() for label in values.values()}
    assert set(OFFER_LABELS_ES) == labels and all(OFFER_LABELS_ES.values())
