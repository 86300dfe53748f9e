"""The audit log a person can read: who, when, which service (name and link), and only the
fields that changed, before → after; filters by service, person and date; CSV stays raw."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from aiohttp.test_utils import TestClient

from tests.fixtures.directory import fixture_service_id
from tests.web.admin.conftest import Login
from tests.web.admin.test_admin_pages import _form, _page
from web.admin.audit_view import field_changes

DETOX = fixture_service_id("detox")


def test_field_changes_lists_only_what_changed_with_labels() -> None:
    before = {"id": "x", "version": 3, "name": "Example Recovery Center", "phone": "410-555-0101",
              "city": "Baltimore", "needs": ["detox", "moud"], "last_verified": None}
    after = {**before, "version": 4, "phone": "410-555-0199", "needs": ["detox", "housing"]}
    changes = field_changes(before, after)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Phone", "410-555-0101", "410-555-0199"),
        ("Kinds of help", "detox, moud", "detox, housing"),
    ]
    assert changes[1].added == ["housing"] and changes[1].removed == ["moud"]


def test_a_created_record_shows_its_filled_fields_and_a_capacity_its_numbers() -> None:
    created = field_changes(None, {"name": "Example Recovery Center", "website": None,
                                   "version": 1})
    assert [(c.label, c.before, c.after) for c in created] == [
        ("Name", None, "Example Recovery Center")]
    capacity = field_changes({"available": 3, "total": 12, "unit": "beds"},
                             {"available": 4, "total": 12, "unit": "beds"})
    assert [(c.label, c.before, c.after) for c in capacity] == [("Open", "3", "4")]


async def _change_phone(client: TestClient, admin: Login, phone: str) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    response = await client.post(f"/admin/services/{DETOX}", headers=admin.headers(csrf=False),
                                  data=_form(html, phone=phone), allow_redirects=False)
    assert response.status == 303, await response.text()


async def test_who_changed_the_phone_of_a_service_last_week_can_be_read(
    client: TestClient, admin: Login
) -> None:
    await _change_phone(client, admin, "410-555-0199")
    today = dt.datetime.now(dt.UTC).date()
    week_ago = (today - dt.timedelta(days=7)).isoformat()
    page = await _page(
        client, f"/admin/audit?service=Example+Detox&person=example-admin&since={week_ago}",
        admin)
    assert "1 change" in page
    assert f'href="/admin/services/{DETOX}">Example Detox Center</a>' in page
    assert "user:example-admin" in page
    row = re.search(r'<tr class="diff-row"[^>]*>\s*<th scope="row">Phone</th>(.*?)</tr>', page,
                    re.S)
    assert row, page
    assert "<del>410-555-0100</del>" in row.group(1) and "<ins>410-555-0199</ins>" in row.group(1)
    assert ">City<" not in page  # unchanged fields are not listed
    assert '"version"' not in page  # no raw JSON


async def test_filters_by_person_service_and_date_leave_other_entries_out(
    client: TestClient, admin: Login
) -> None:
    await _change_phone(client, admin, "410-555-0199")
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    yesterday = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    for query in ("person=someone-else", "service=Example+Towson", f"since={tomorrow}",
                  f"until={yesterday}"):
        page = await _page(client, f"/admin/audit?{query}", admin)
        assert "0 changes" in page, query
    page = await _page(client, f"/admin/audit?until={tomorrow}&service={DETOX}", admin)
    assert "1 change" in page
    bad = await client.get("/admin/audit?since=last+week", headers=admin.headers(csrf=False))
    assert bad.status == 400 and "Enter dates as YYYY-MM-DD" in await bad.text()


async def test_the_csv_export_keeps_the_raw_snapshots(client: TestClient, admin: Login) -> None:
    await _change_phone(client, admin, "410-555-0199")
    response = await client.get(f"/admin/audit.csv?service={DETOX}",
                                headers=admin.headers(csrf=False))
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [r["action"] for r in rows] == ["update"]
    assert '"phone": "410-555-0100"' in rows[0]["before"]
    assert '"phone": "410-555-0199"' in rows[0]["after"]


def test_hours_show_only_the_days_that_changed() -> None:
    week = {"MO": "00:00-00:00", "TU": "00:00-00:00", "WE": ""}
    [change] = field_changes({"hours": week}, {"hours": {**week, "MO": "09:00-17:00"}})
    assert (change.label, change.before, change.after) == (
        "Hours", "Mon 00:00-00:00", "Mon 09:00-17:00")
