"""The admin service layer: edits reach search at once, stale versions conflict, all audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from resources_db import editing
from resources_db.freshness import capacity_is_stale
from resources_db.search import SearchQuery, search
from tests.fixtures.directory import BALTIMORE, FIXTURE_NOW, fixture_service_id

TODAY = dt.date(2026, 11, 18)


def _detox_cards(session: Session) -> list[dict[str, Any]]:
    query = SearchQuery(needs=["detox"], lat=BALTIMORE[0], lon=BALTIMORE[1], limit=50)
    return search(session, query, now=FIXTURE_NOW)["resources"]


def _form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Example Edited Detox",
        "organization": "Example Health",
        "website": "https://example.org/edited",
        "phone": "410-555-0150",
        "address_1": "100 Example Street",
        "city": "Baltimore",
        "state": "MD",
        "postal_code": "21201",
        "needs": ["detox", "moud"],
        "insurance": ["medicaid"],
        "populations": ["adults"],
    }
    values.update(overrides)
    return values


def test_update_shows_in_search_and_returns_before_and_after(directory_session: Session) -> None:
    service_id = fixture_service_id("detox")
    version = editing.snapshot(directory_session, service_id)["version"]
    change = editing.update_service(
        directory_session, service_id, version, editing.parse_service_input(_form())
    )
    assert change.before is not None and change.after is not None
    assert change.before["name"] == "Example Detox Center"
    assert change.after["name"] == "Example Edited Detox"
    assert change.after["version"] == version + 1
    names = {card["name"]: card for card in _detox_cards(directory_session)}
    assert "Example Detox Center" not in names
    assert names["Example Edited Detox"]["phone"] == "410-555-0150"
    assert names["Example Edited Detox"]["insurance"] == ["medicaid"]


def test_stale_version_is_a_conflict_and_changes_nothing(directory_session: Session) -> None:
    service_id = fixture_service_id("detox")
    version = editing.snapshot(directory_session, service_id)["version"]
    editing.update_service(directory_session, service_id, version, editing.parse_service_input(
        _form(name="Example First Edit")))
    with pytest.raises(editing.EditConflict):
        editing.update_service(directory_session, service_id, version,
                               editing.parse_service_input(_form(name="Example Second Edit")))
    assert editing.snapshot(directory_session, service_id)["name"] == "Example First Edit"


def test_field_errors_name_each_bad_field() -> None:
    with pytest.raises(editing.InvalidEdit) as caught:
        editing.parse_service_input(
            _form(name="", phone="call us", state="ZZ", postal_code="abc", needs=["pizza"],
                  latitude="95", longitude="")
        )
    assert set(caught.value.errors) == {"name", "phone", "state", "postal_code", "needs",
                                        "latitude"}


def test_manual_coordinates_override_geocoding(directory_session: Session) -> None:
    values = editing.parse_service_input(_form(latitude="39.3", longitude="-76.7"))
    change = editing.create_service(directory_session, values, TODAY)
    assert change.after is not None
    assert (change.after["latitude"], change.after["longitude"]) == (39.3, -76.7)


def test_create_geocodes_offline_and_is_searchable(directory_session: Session) -> None:
    change = editing.create_service(
        directory_session, editing.parse_service_input(_form(name="Example New Detox")), TODAY
    )
    assert change.after is not None
    assert change.after["latitude"] == pytest.approx(39.29, abs=0.1)
    card = next(c for c in _detox_cards(directory_session) if c["name"] == "Example New Detox")
    assert card["last_verified"] == TODAY.isoformat()


def test_deactivate_hides_and_reactivate_restores(directory_session: Session) -> None:
    service_id = fixture_service_id("detox")
    version = editing.snapshot(directory_session, service_id)["version"]
    off = editing.set_status(directory_session, service_id, version, "inactive")
    assert off.action == "deactivate"
    assert "Example Detox Center" not in {c["name"] for c in _detox_cards(directory_session)}
    assert off.after is not None
    on = editing.set_status(directory_session, service_id, off.after["version"], "active")
    assert on.action == "reactivate"
    assert "Example Detox Center" in {c["name"] for c in _detox_cards(directory_session)}


def test_capacity_update_is_stamped_and_shown(directory_session: Session) -> None:
    service_id = fixture_service_id("detox")
    now = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
    change = editing.update_capacity(directory_session, service_id, 5, 20, "beds",
                                     actor="admin:example", now=now)
    assert change.before is not None and change.before["available"] == 3
    assert change.after is not None and change.after["updated_by"] == "admin:example"
    card = next(c for c in _detox_cards(directory_session) if c["id"] and
                c["name"] == "Example Detox Center")
    assert card["capacity"] == {"available": 5, "total": 20, "unit": "beds",
                                "updated_at": "2026-11-18T15:00:00Z"}
    with pytest.raises(editing.EditConflict):
        editing.update_capacity(directory_session, service_id, 4, 20, "beds",
                                actor="admin:example", now=now, version=change.before["version"])


def test_capacity_more_open_than_total_is_refused() -> None:
    with pytest.raises(editing.InvalidEdit) as caught:
        editing.parse_capacity({"available": "30", "total": "20"})
    assert "available" in caught.value.errors


def test_capacity_staleness_after_24_hours() -> None:
    now = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)
    assert not capacity_is_stale("2026-11-17T13:00:00Z", now)
    assert capacity_is_stale("2026-11-17T11:59:00Z", now)


def test_verify_updates_card_and_stale_report(directory_session: Session) -> None:
    service_id = fixture_service_id("detox")
    fresh = editing.stale_verifications(directory_session, TODAY, per_page=100)
    assert service_id not in {item["id"] for item in fresh.items}  # verified 2026-11-01
    later = dt.date(2027, 6, 1)  # more than 180 days on
    stale = editing.stale_verifications(directory_session, later, per_page=100)
    assert service_id in {item["id"] for item in stale.items}
    version = editing.snapshot(directory_session, service_id)["version"]
    editing.mark_verified(directory_session, service_id, version, later)
    after = editing.stale_verifications(directory_session, later, per_page=100)
    assert service_id not in {item["id"] for item in after.items}
    assert after.total == stale.total - 1
    card = next(c for c in _detox_cards(directory_session) if c["name"] == "Example Detox Center")
    assert card["last_verified"] == later.isoformat()


def test_list_filters_by_need_state_status_and_text(directory_session: Session) -> None:
    page = editing.list_services(directory_session, editing.ServiceFilter(need="housing"))
    names = {item["name"] for item in page.items}
    assert "Example Recovery House" in names and "Example Detox Center" not in names
    inactive = editing.list_services(directory_session, editing.ServiceFilter(status="inactive"))
    assert [item["status"] for item in inactive.items] == ["inactive"] * inactive.total
    towson = editing.list_services(directory_session, editing.ServiceFilter(q="towson"))
    assert towson.total >= 1 and all(item["city"] == "Towson" for item in towson.items)
    paged = editing.list_services(directory_session, editing.ServiceFilter(state="MD"), 2, 5)
    assert len(paged.items) == 5 and paged.total > 10


def test_unchanged_address_keeps_the_point_and_a_new_one_is_geocoded(
    directory_session: Session,
) -> None:
    service_id = fixture_service_id("methadone")  # a precise point, not a ZIP centre
    before = editing.snapshot(directory_session, service_id)
    same = {k: before[k] for k in ("name", "address_1", "city", "state", "postal_code")}
    kept = editing.update_service(directory_session, service_id, before["version"],
                                  editing.parse_service_input(_form(**same)))
    assert kept.after is not None
    assert (kept.after["latitude"], kept.after["longitude"]) == (39.3, -76.62)
    moved = editing.update_service(
        directory_session, service_id, kept.after["version"],
        editing.parse_service_input(_form(**{**same, "city": "Towson", "postal_code": "21204",
                                             "address_1": "1 Example Lane"})))
    assert moved.after is not None
    assert moved.after["latitude"] == pytest.approx(39.40, abs=0.05)  # Towson, not Baltimore


# -- every field a card shows is editable (issue 21) --------------------------------------


def _detox_card(session: Session, name: str = "Example Edited Detox") -> dict[str, Any]:
    return {card["name"]: card for card in _detox_cards(session)}[name]


def _edit(session: Session, **overrides: Any) -> dict[str, Any]:
    service_id = fixture_service_id("detox")
    version = editing.snapshot(session, service_id)["version"]
    editing.update_service(session, service_id, version,
                           editing.parse_service_input(_form(**overrides)))
    return editing.snapshot(session, service_id)


def test_phone_extension_is_edited_and_shown_on_the_card(directory_session: Session) -> None:
    after = _edit(directory_session, phone="410-555-0150", phone_extension="ext. 113")
    assert (after["phone"], after["phone_extension"]) == ("410-555-0150", "113")
    assert _detox_card(directory_session)["phone"] == "410-555-0150 ext. 113"


def test_extra_phone_lines_are_edited(directory_session: Session) -> None:
    after = _edit(directory_session, extra_phone=["410-555-0151", "410-555-0152", ""],
                  extra_extension=["", "7", ""], extra_description=["intake", "hotline", ""])
    assert after["phones"] == [
        {"number": "410-555-0151", "extension": None, "description": "intake"},
        {"number": "410-555-0152", "extension": "7", "description": "hotline"},
    ]
    again = _edit(directory_session, extra_phone=["410-555-0152"], extra_extension=["7"],
                  extra_description=["hotline"])
    assert [p["number"] for p in again["phones"]] == ["410-555-0152"]
    assert again["phone"] == "410-555-0150"


def test_hours_per_day_are_edited_and_reach_the_card(directory_session: Session) -> None:
    days = {f"hours_{d}": "" for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")}
    after = _edit(directory_session, **{**days, "hours_MO": "9am-5pm",
                                        "hours_TU": "09:00-12:00, 13:00-17:00"})
    assert after["hours"]["MO"] == "09:00-17:00"
    assert after["hours"]["TU"] == "09:00-12:00, 13:00-17:00"
    assert after["hours"]["SU"] == ""
    assert "Mon" in (_detox_card(directory_session)["hours"] or "")


def test_languages_and_populations_are_edited(directory_session: Session) -> None:
    after = _edit(directory_session, languages="en, es, fr", populations=["adults", "veterans"])
    assert after["languages"] == ["en", "es", "fr"]
    assert after["populations"] == ["adults", "veterans"]
    card = _detox_card(directory_session)
    assert card["languages"] == ["en", "es", "fr"] and "veterans" in card["populations"]


def test_fields_left_out_of_an_api_body_are_kept(directory_session: Session) -> None:
    before = editing.snapshot(directory_session, fixture_service_id("detox"))
    after = _edit(directory_session)
    assert after["languages"] == before["languages"] and after["hours"] == before["hours"]


def test_the_form_uses_the_import_validation(directory_session: Session) -> None:
    with pytest.raises(editing.InvalidEdit) as raised:
        editing.parse_service_input(_form(
            postal_code="2120", phone_extension="ext. abc", hours_WE="sometimes",
            languages="english", extra_phone=["555"], extra_extension=[""],
            extra_description=[""]))
    errors = raised.value.errors
    assert errors["postal_code"] == (
        "ZIP must be 5 digits; a spreadsheet may have dropped a leading zero: 02120?")
    assert "extension" in errors["phone_extension"]
    assert "hours_WE" in errors and "9:00-17:00" in errors["hours_WE"]
    assert "two-letter" in errors["languages"]
    assert "extra_phone" in errors
