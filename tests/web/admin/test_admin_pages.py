"""Admin pages: admins only, CSRF on every form, field messages, import preview then commit,
audit log CSV, accounts (disable, reset password) and the HSDS export round trip."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from resources_db.db import session_scope, upgrade_database
from resources_db.importers.hsds import import_hsds
from resources_db.models import Service
from tests.fixtures.directory import fixture_service_id
from tests.web.admin.conftest import ADMIN_PASSWORD, Login
from web.accounts import authenticate
from web.config import WebConfig

DETOX = fixture_service_id("detox")
SUD_HEADER = "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} in the page"
    return found.group(1)


async def _page(client: TestClient, path: str, login: Login) -> str:
    response = await client.get(path, headers=login.headers(csrf=False), allow_redirects=False)
    assert response.status == 200, (path, response.status)
    return await response.text()


def _form(html: str, **values: str | list[str]) -> aiohttp.FormData:
    """The edit form as the page shows it, with some fields changed."""
    data = aiohttp.FormData()
    fields = ("name", "organization", "website", "phone", "address_1", "city", "state",
              "postal_code", "version", "csrf_token")
    for name in fields:
        if name not in values:
            found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
            data.add_field(name, found.group(1) if found else "")
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.add_field(name, item)
    if "needs" not in values:
        data.add_field("needs", "detox")
    return data


async def test_anonymous_goes_to_sign_in_and_peers_are_refused(
    client: TestClient, peer: Login
) -> None:
    anonymous = await client.get("/admin/services", allow_redirects=False)
    assert anonymous.status == 302 and anonymous.headers["Location"] == "/peer/login"
    refused = await client.get("/admin/services", headers=peer.headers(), allow_redirects=False)
    assert refused.status == 403


async def test_edit_form_saves_and_shows_field_messages(client: TestClient, admin: Login) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    bad = await client.post(f"/admin/services/{DETOX}", headers=admin.headers(csrf=False),
                            data=_form(html, phone="call us"))
    assert bad.status == 400
    bad_html = await bad.text()
    assert "Enter a 10-digit US phone number" in bad_html
    assert 'value="call us"' in bad_html  # nothing the admin typed is lost
    good = await client.post(f"/admin/services/{DETOX}", headers=admin.headers(csrf=False),
                             data=_form(html, name="Example Edited Center"))
    assert good.status == 200  # redirected back to the form
    assert "Example Edited Center" in await good.text()


async def test_stale_form_gets_409_page(client: TestClient, admin: Login) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    first = await client.post(f"/admin/services/{DETOX}", headers=admin.headers(csrf=False),
                              data=_form(html, name="Example First"))
    assert first.status == 200
    second = await client.post(f"/admin/services/{DETOX}", headers=admin.headers(csrf=False),
                               data=_form(html, name="Example Second"))
    assert second.status == 409
    assert "Someone else changed this record" in await second.text()


async def test_forms_without_the_csrf_token_are_refused(client: TestClient, admin: Login) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    forged = await client.post(f"/admin/services/{DETOX}", headers=admin.headers(csrf=False),
                               data=_form(html, name="Example Forged", csrf_token="wrong"))
    assert forged.status == 403
    capacity = await client.post(f"/admin/services/{DETOX}/capacity",
                                 headers=admin.headers(csrf=False), data={"available": "1"})
    assert capacity.status == 403
    assert "Example Forged" not in await _page(client, f"/admin/services/{DETOX}", admin)


async def test_capacity_form_and_stale_flag(client: TestClient, admin: Login) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    assert "stale: older than 24 hours" in html  # the fixture's count is from 2026-11-17
    response = await client.post(
        f"/admin/services/{DETOX}/capacity", headers=admin.headers(csrf=False),
        data={"csrf_token": _hidden(html, "csrf_token"), "available": "4", "total": "20",
              "unit": "beds"})
    page = await response.text()
    assert "4 of 20 beds open" in page and "by user:example-admin" in page
    assert "stale: older than 24 hours" not in page


async def test_import_preview_writes_nothing_then_commit_does(
    client: TestClient, admin: Login, web_config: WebConfig
) -> None:
    csv_text = SUD_HEADER + (
        "Example Upload Recovery,,500 Example Street,,Baltimore,MD,21201,,Baltimore City,"
        "39.2910,-76.6110\n"
        "Example Bad Row,,501 Example Street,,Baltimore,MD,ABCDE,,,39.29,-76.61\n"
    )
    html = await _page(client, "/admin/imports", admin)
    data = aiohttp.FormData()
    data.add_field("csrf_token", _hidden(html, "csrf_token"))
    data.add_field("format", "geoda-sud")
    data.add_field("file", csv_text.encode(), filename="example.csv", content_type="text/csv")
    preview = await client.post("/admin/imports", headers=admin.headers(csrf=False), data=data)
    page = await preview.text()
    assert preview.status == 200, page
    assert re.search(r'id="count-created">1<', page)
    assert re.search(r'id="count-errors">1<', page)
    assert "<td>3</td>" in page  # the bad row's line number
    with session_scope(web_config.database_url) as session:
        assert session.scalar(
            select(func.count()).where(Service.name == "Example Upload Recovery")) == 0
    import_id = re.search(r"/admin/imports/([\w-]+)/commit", page)
    assert import_id
    committed = await client.post(f"/admin/imports/{import_id.group(1)}/commit",
                                  headers=admin.headers(csrf=False),
                                  data={"csrf_token": _hidden(html, "csrf_token")})
    assert committed.status == 200
    with session_scope(web_config.database_url) as session:
        assert session.scalar(
            select(func.count()).where(Service.name == "Example Upload Recovery")) == 1
    again = await client.post(f"/admin/imports/{import_id.group(1)}/commit",
                              headers=admin.headers(csrf=False),
                              data={"csrf_token": _hidden(html, "csrf_token")})
    assert again.status == 404  # an upload commits once
    audit = await _page(client, "/admin/audit", admin)
    assert "import" in audit and "example.csv" in audit


async def test_audit_csv_lists_each_change(client: TestClient, admin: Login) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    token = _hidden(html, "csrf_token")
    await client.post(f"/admin/services/{DETOX}/capacity", headers=admin.headers(csrf=False),
                      data={"csrf_token": token, "available": "4", "unit": "beds"})
    await client.post(f"/admin/services/{DETOX}/verify", headers=admin.headers(csrf=False),
                      data={"csrf_token": token, "version": _hidden(html, "version")})
    response = await client.get("/admin/audit.csv", headers=admin.headers(csrf=False))
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [(r["action"], r["record_id"], r["actor"]) for r in rows] == [
        ("capacity", DETOX, "user:example-admin"), ("verify", DETOX, "user:example-admin")]
    assert '"available": 4' in rows[0]["after"]


async def test_disable_account_and_reset_password(
    client: TestClient, admin: Login, peer: Login, web_config: WebConfig
) -> None:
    html = await _page(client, "/admin/accounts", admin)
    peer_id = re.search(r'/admin/accounts/(\d+)/password" class="inline-form">\s*'
                        r'<input type="hidden" name="csrf_token" value="[^"]*">\s*'
                        r'<label for="pw-\d+">New password for example-peer', html)
    assert peer_id
    token = _hidden(html, "csrf_token")
    reset = await client.post(f"/admin/accounts/{peer_id.group(1)}/password",
                              headers=admin.headers(csrf=False),
                              data={"csrf_token": token, "password": "a brand new example pw"})
    assert reset.status == 200
    assert authenticate(web_config.database_url, "example-peer", ADMIN_PASSWORD) is None
    assert authenticate(web_config.database_url, "example-peer", "a brand new example pw")
    still_in = await client.get("/peer", headers=peer.headers(), allow_redirects=False)
    assert still_in.status == 302  # a reset ends the account's sessions
    disabled = await client.post(f"/admin/accounts/{peer_id.group(1)}/disable",
                                 headers=admin.headers(csrf=False),
                                 data={"csrf_token": token, "disabled": "1"})
    assert disabled.status == 200
    assert authenticate(web_config.database_url, "example-peer", "a brand new example pw") is None


async def test_hsds_export_reads_back(
    client: TestClient, admin: Login, tmp_path: Path, web_config: WebConfig
) -> None:
    response = await client.get("/admin/export/hsds.zip", headers=admin.headers(csrf=False))
    assert response.status == 200
    out = tmp_path / "export.zip"
    out.write_bytes(await response.read())
    target = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    upgrade_database(target)
    with session_scope(target) as session:
        summary = import_hsds(session, out)
        assert not summary.errors
    with session_scope(target) as copy, session_scope(web_config.database_url) as original:
        names = select(Service.name, Service.status).order_by(Service.id)
        assert copy.execute(names).all() == original.execute(names).all()


async def test_a_source_file_larger_than_ordinary_requests_can_be_previewed(
    client: TestClient, admin: Login
) -> None:
    """Real source files are megabytes; the app's 64 KiB request limit must not stop them."""
    rows = "".join(
        f"Example Large Upload {i},,{500 + i} Example Street,,Baltimore,MD,21201,,"
        f"Baltimore City,{39.2 + i / 10000:.4f},{-76.7 + i / 10000:.4f}\n"
        for i in range(2000)
    )
    body = (SUD_HEADER + rows).encode()
    assert len(body) > 128 * 1024
    html = await _page(client, "/admin/imports", admin)
    data = aiohttp.FormData()
    data.add_field("csrf_token", _hidden(html, "csrf_token"))
    data.add_field("format", "geoda-sud")
    data.add_field("file", body, filename="example-large.csv", content_type="text/csv")
    preview = await client.post("/admin/imports", headers=admin.headers(csrf=False), data=data)
    page = await preview.text()
    assert preview.status == 200, page[:500]
    counts = re.findall(r'id="count-(\w+)">(\d+)<', page)
    found = {name: int(count) for name, count in counts}
    assert found["errors"] == 0 and found["created"] + found["merged"] == 2000, counts


async def test_only_admins_get_the_larger_upload_limit(client: TestClient) -> None:
    big = aiohttp.FormData()
    big.add_field("file", b"x" * (128 * 1024), filename="example.csv")
    anonymous = await client.post("/admin/imports", data=big, allow_redirects=False)
    assert anonymous.status in (302, 413)
    chat_api = await client.post("/api/v1/search", data=b"x" * (128 * 1024))
    assert chat_api.status in (405, 413)


async def _preview(client: TestClient, admin: Login, fmt: str, body: bytes,
                   filename: str = "example.csv") -> str:
    html = await _page(client, "/admin/imports", admin)
    data = aiohttp.FormData()
    data.add_field("csrf_token", _hidden(html, "csrf_token"))
    data.add_field("format", fmt)
    data.add_field("file", body, filename=filename, content_type="text/csv")
    response = await client.post("/admin/imports", headers=admin.headers(csrf=False), data=data)
    page = await response.text()
    assert response.status == 200, page
    return page


async def test_a_wrong_header_preview_explains_and_offers_no_import(
    client: TestClient, admin: Login
) -> None:
    page = await _preview(client, admin, "geoda-sud",
                          b"facility;street;town\n"
                          b"Example Recovery Center;1 Example Street;Baltimore\n")
    assert "missing columns" in page and "&#39;name1&#39;" in page
    assert "semicolon" in page
    assert "/commit" not in page and "Import these rows" not in page
    assert "Nothing can be imported" in page
    assert "<td>0</td>" not in page  # no "Line 0"


async def test_an_empty_upload_is_an_error_with_no_import_button(
    client: TestClient, admin: Login
) -> None:
    page = await _preview(client, admin, "geoda-sud", b"")
    assert "The file is empty" in page and "/commit" not in page


async def test_preview_reports_truncated_rows_and_short_zips_and_offers_the_rest(
    client: TestClient, admin: Login
) -> None:
    page = await _preview(client, admin, "geoda-sud", (
        SUD_HEADER
        + "Example Cut Short,,3 Example Street,,Baltimore\n"
        + "Example Zip Center,,1 Example Street,,Baltimore,MD,2120,,,39.29,-76.61\n"
        + "Example Recovery Center,,9 Example Street,,Baltimore,MD,21201,,,39.2911,-76.6111\n"
    ).encode())
    assert "truncated: 5 of 11 columns" in page
    assert "a spreadsheet may have dropped a leading zero: 02120?" in page
    assert re.search(r'id="count-created">1<', page) and "/commit" in page


async def test_a_csv_chosen_as_hsds_is_a_whole_file_error_not_line_0(
    client: TestClient, admin: Login
) -> None:
    page = await _preview(client, admin, "hsds", SUD_HEADER.encode())
    assert "This is a single CSV file" in page
    assert "<td>0</td>" not in page and "/commit" not in page


async def test_the_edit_form_shows_and_saves_every_field_a_card_shows(
    client: TestClient, admin: Login
) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    for name in ("phone_extension", "extra_phone", "hours_MO", "hours_SU", "languages",
                 "populations"):
        assert f'name="{name}"' in html, name
    assert re.search(r'name="languages"[^>]*value="en, es"', html)
    assert re.search(r'name="hours_MO"[^>]*value="24 hours"', html)
    response = await client.post(
        f"/admin/services/{DETOX}", headers=admin.headers(csrf=False), allow_redirects=False,
        data=_form(html, phone="410-555-0100", phone_extension="113",
                   extra_phone=["410-555-0101", ""], extra_extension=["", ""],
                   extra_description=["intake", ""], hours_MO="9:00-17:00", hours_TU="",
                   hours_WE="", hours_TH="", hours_FR="", hours_SA="", hours_SU="",
                   languages="en, es, fr", populations=["adults", "veterans"]))
    assert response.status == 303, await response.text()
    saved = await _page(client, f"/admin/services/{DETOX}", admin)
    assert re.search(r'name="phone_extension"[^>]*value="113"', saved)
    assert re.search(r'name="extra_phone"[^>]*value="410-555-0101"', saved)
    assert re.search(r'name="extra_description"[^>]*value="intake"', saved)
    assert re.search(r'name="hours_MO"[^>]*value="09:00-17:00"', saved)
    assert re.search(r'name="hours_TU"[^>]*value=""', saved)
    assert re.search(r'name="languages"[^>]*value="en, es, fr"', saved)
    assert re.search(r'value="veterans" checked', saved)


async def test_a_bad_hours_value_keeps_everything_typed(client: TestClient, admin: Login) -> None:
    html = await _page(client, f"/admin/services/{DETOX}", admin)
    response = await client.post(
        f"/admin/services/{DETOX}", headers=admin.headers(csrf=False),
        data=_form(html, hours_WE="sometimes", languages="en, fr", postal_code="2120",
                   extra_phone=["410-555-0101"], extra_extension=["4"],
                   extra_description=["intake"]))
    page = await response.text()
    assert response.status == 400
    assert "Wednesday" in page and "a spreadsheet may have dropped a leading zero" in page
    assert re.search(r'name="hours_WE"[^>]*value="sometimes"', page)
    assert re.search(r'name="languages"[^>]*value="en, fr"', page)
    assert re.search(r'name="extra_phone"[^>]*value="410-555-0101"', page)


async def test_the_import_page_shows_each_meeting_feed_and_its_last_problem(
    client: TestClient, admin: Login, web_config: WebConfig
) -> None:
    """An admin sees whether a configured feed is kept fresh, and why not when it is not."""
    import datetime as dt

    from resources_db.db import session_scope
    from resources_db.feeds import MeetingFeed

    with session_scope(web_config.database_url) as session:
        session.add(MeetingFeed(
            id="example-feed", url="https://example.org/meetings.json", meetings=12,
            last_success_at=dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC),
            last_error="HTTP 503", last_error_at=dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)))
    html = await _page(client, "/admin/imports", admin)
    assert "https://example.org/meetings.json" in html
    assert "2026-12-01 06:00 UTC" in html and "HTTP 503 (2026-12-02 06:00 UTC)" in html
    assert html.count('id="meeting-feeds"') == 1  # once, in the page, not in its <title>
    title = html[html.index("<title>"):html.index("</title>")]
    assert "Meeting feeds" not in title
