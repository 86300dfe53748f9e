"""Admins add their own local supports (recovery community centers, syringe services, rides):
through the form, the JSON API and the CSV upload; what they enter reaches public search with
"peer-run" and the cost on the card."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from resources_db.db import session_scope
from resources_db.importers.local_csv import COLUMNS
from resources_db.models import Service
from tests.web.admin.conftest import Login, get_json
from web.config import WebConfig

BASE = "/api/v1/admin"
TEMPLATE = Path(__file__).resolve().parents[3] / "docs" / "templates" / "local-supports.csv"
MOBILE_FORM = {
    "name": "Example Mobile Syringe Services",
    "organization": "Example Harm Reduction",
    "needs": ["harm_reduction"],
    "no_fixed_address": "yes",
    "service_area": "Example County",
    "city": "Baltimore",
    "state": "MD",
    "postal_code": "21201",
    "phone": "410-555-0142",
    "peer_run": "yes",
    "fees_description": "free",
    "insurance": ["free"],
    "eligibility_description": "Anyone who uses drugs",
    "minimum_age": "18",
}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found
    return found.group(1)


async def _page(client: TestClient, path: str, login: Login) -> str:
    response = await client.get(path, headers=login.headers(csrf=False))
    assert response.status == 200, (path, response.status)
    return await response.text()


def _form(csrf: str, values: dict[str, Any]) -> aiohttp.FormData:
    data = aiohttp.FormData()
    data.add_field("csrf_token", csrf)
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.add_field(name, item)
    return data


async def _card(client: TestClient, need: str, name: str) -> dict[str, Any] | None:
    response = await client.get("/api/v1/search", params={"need": need, "near": "21201"})
    body = await response.json()
    return next((c for c in body["resources"] if c["name"] == name), None)


async def test_form_adds_a_support_without_a_fixed_address(
    client: TestClient, admin: Login
) -> None:
    csrf = _csrf(await _page(client, "/admin/services/new", admin))
    response = await client.post(
        "/admin/services/new", headers=admin.headers(csrf=False), data=_form(csrf, MOBILE_FORM)
    )
    assert response.status == 200, await response.text()  # redirected to the saved form
    page = await response.text()
    assert 'name="no_fixed_address" value="yes" checked' in page
    assert re.search(r'name="peer_run" value="yes"\s+checked', page)
    assert 'value="Example County"' in page and 'value="18"' in page
    card = await _card(client, "harm_reduction", "Example Mobile Syringe Services")
    assert card is not None
    assert card["address"] is None and card["city"] == "Baltimore"
    assert card["peer_run"] is True and card["cost"] == "free"


async def test_form_asks_for_the_area_when_there_is_no_address(
    client: TestClient, admin: Login
) -> None:
    csrf = _csrf(await _page(client, "/admin/services/new", admin))
    values = {**MOBILE_FORM, "service_area": "", "minimum_age": "sixty"}
    response = await client.post(
        "/admin/services/new", headers=admin.headers(csrf=False), data=_form(csrf, values)
    )
    assert response.status == 400
    page = await response.text()
    assert "Say which area it serves" in page and "whole number of years" in page
    assert 'value="Example Mobile Syringe Services"' in page  # what was typed is kept
    assert await _card(client, "harm_reduction", "Example Mobile Syringe Services") is None


async def test_api_keeps_detail_fields_it_was_not_sent_and_clears_peer_run(
    client: TestClient, admin: Login
) -> None:
    body = {
        "name": "Example Recovery Community Center",
        "needs": ["recovery_community"],
        "address_1": "100 Example Street",
        "city": "Baltimore",
        "state": "MD",
        "postal_code": "21201",
        "phone": "410-555-0142",
        "peer_run": True,
        "fees_description": "free",
        "minimum_age": 18,
        "maximum_age": 64,
    }
    created = await client.post(f"{BASE}/services", headers=admin.headers(), json=body)
    assert created.status == 201, await created.text()
    snapshot = await created.json()
    assert (snapshot["peer_run"], snapshot["fees_description"]) == (True, "free")
    assert (snapshot["minimum_age"], snapshot["maximum_age"]) == (18, 64)
    service = f"{BASE}/services/{snapshot['id']}"
    # an older client that knows nothing of the new fields keeps them
    old_client = {
        k: v
        for k, v in snapshot.items()
        if k not in {"peer_run", "fees_description", "minimum_age", "maximum_age"}
    }
    kept = await client.put(
        service, headers=admin.headers(), json={**old_client, "name": "Example Renamed Center"}
    )
    assert kept.status == 200, await kept.text()
    after = await get_json(client, service, admin)
    assert (after["peer_run"], after["fees_description"], after["minimum_age"]) == (
        True,
        "free",
        18,
    )
    cleared = await client.put(
        service, headers=admin.headers(), json={**after, "peer_run": False, "fees_description": ""}
    )
    assert cleared.status == 200
    card = await _card(client, "recovery_community", "Example Renamed Center")
    assert card is not None and card["peer_run"] is False and card["cost"] is None


async def test_api_refuses_ages_in_the_wrong_order(client: TestClient, admin: Login) -> None:
    body = {
        "name": "Example Youth Recovery",
        "needs": ["peer_support"],
        "address_1": "100 Example Street",
        "city": "Baltimore",
        "state": "MD",
        "postal_code": "21201",
        "minimum_age": 21,
        "maximum_age": 12,
        "peer_run": "maybe",
    }
    response = await client.post(f"{BASE}/services", headers=admin.headers(), json=body)
    assert response.status == 400
    assert set((await response.json())["error"]["fields"]) == {"maximum_age", "peer_run"}


def _csv(*rows: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS.expected)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


async def test_csv_upload_previews_then_imports_local_supports(
    client: TestClient, admin: Login, web_config: WebConfig
) -> None:
    good = {
        "record_id": "rcc-1",
        "name": "Example Recovery Community Center",
        "needs": "recovery_community",
        "address_1": "100 Example Street",
        "city": "Baltimore",
        "state": "MD",
        "postal_code": "21201",
        "phone": "410-555-0142",
        "peer_run": "yes",
        "cost": "free",
        "hours": "Mon-Fri 9:00-17:00",
    }
    bad = {**good, "record_id": "rcc-2", "name": "Example Bad Row", "needs": "meetings"}
    html = await _page(client, "/admin/imports", admin)
    assert "local-csv" in html and "/admin/imports/local-supports.csv" in html
    data = aiohttp.FormData()
    data.add_field("csrf_token", _csrf(html))
    data.add_field("format", "local-csv")
    data.add_field("file", _csv(good, bad), filename="local.csv", content_type="text/csv")
    preview = await client.post("/admin/imports", headers=admin.headers(csrf=False), data=data)
    page = await preview.text()
    assert preview.status == 200, page
    assert re.search(r'id="count-created">1<', page)
    assert re.search(r'id="count-errors">1<', page)
    assert "<td>3</td>" in page and "needs" in page  # the bad row's line and column
    with session_scope(web_config.database_url) as session:
        assert session.scalar(select(func.count()).where(Service.source == "local")) == 0
    import_id = re.search(r"/admin/imports/([\w-]+)/commit", page)
    assert import_id
    committed = await client.post(
        f"/admin/imports/{import_id.group(1)}/commit",
        headers=admin.headers(csrf=False),
        data={"csrf_token": _csrf(html)},
    )
    assert committed.status == 200
    card = await _card(client, "recovery_community", "Example Recovery Community Center")
    assert card is not None and card["peer_run"] is True and card["source"] == "local"


async def test_template_download_has_the_importers_columns(
    client: TestClient, admin: Login
) -> None:
    response = await client.get(
        "/admin/imports/local-supports.csv", headers=admin.headers(csrf=False)
    )
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(await response.text())))
    assert tuple(header) == COLUMNS.expected
    shipped = next(csv.reader(io.StringIO(TEMPLATE.read_text(encoding="utf-8"))))
    assert shipped == header
