"""Re-importing a source keeps what an admin changed, says so as a conflict, and takes the
source's value only when the admin chooses it."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from resources_db import editing
from resources_db.db import session_scope
from resources_db.importers.registry import run_import
from resources_db.models import AdminField, RecordSource

MH_HEADER = (
    '"","name1","name2","street1","street2","city","state","zip","zip4","county","phone",'
    '"intake_prompt","intake1","intake2","website","latitude","longitude","type_facility"\n'
)


def _mh(tmp_path: Path, name: str, phone: str, website: str = "") -> Path:
    path = tmp_path / name
    path.write_text(
        MH_HEADER + f'"1","Example Recovery Center","","1 Example Avenue","","Baltimore","MD",'
        f'21201,,"","{phone}","","","","{website}",39.31,-76.61,"MH"\n')
    return path


def _service_id(url: str) -> str:
    with session_scope(url) as session:
        return str(session.scalar(select(RecordSource.service_id).where(
            RecordSource.source == "samhsa-locator-mh")))


def _imported_and_edited(url: str, tmp_path: Path) -> str:
    """The v1 file imported, then its service's phone and needs changed by an admin."""
    with session_scope(url) as session:
        run_import(session, "geoda-mh", _mh(tmp_path, "v1.csv", "410-555-0101"))
    service_id = _service_id(url)
    _admin_edit(url, service_id)
    return service_id


def _admin_edit(url: str, service_id: str) -> None:
    with session_scope(url) as session:
        current = editing.snapshot(session, service_id)
        values = {**current, "phone": "410-555-0199", "needs": ["mental_health", "housing"]}
        editing.update_service(session, service_id, current["version"],
                               editing.parse_service_input(values))


def test_an_admin_edit_survives_a_re_import_and_the_conflict_is_reported(
    empty_directory_url: str, tmp_path: Path
) -> None:
    service_id = _imported_and_edited(empty_directory_url, tmp_path)
    with session_scope(empty_directory_url) as session:
        kept = set(session.scalars(select(AdminField.field)))
    assert kept == {"phones", "needs"}
    changed = _mh(tmp_path, "v2.csv", "410-555-0102", "https://example.org/new")
    with session_scope(empty_directory_url) as session:
        summary = run_import(session, "geoda-mh", changed)
        after = editing.snapshot(session, service_id)
    assert summary.updated == 1
    conflicts = {c.field: c for c in summary.conflicts}
    assert set(conflicts) == {"phones", "needs"}
    assert conflicts["phones"].kept == "410-555-0199"
    assert conflicts["phones"].source == "410-555-0102"
    assert conflicts["needs"].kept == "housing, mental_health"
    assert conflicts["phones"].service_name == "Example Recovery Center"
    assert "kept the admin's" in summary.text()
    assert after["phone"] == "410-555-0199" and after["needs"] == ["housing", "mental_health"]
    assert after["website"] == "https://example.org/new"  # fields no admin touched follow


def test_choosing_the_source_value_takes_it_and_forgets_the_admin_edit(
    empty_directory_url: str, tmp_path: Path
) -> None:
    service_id = _imported_and_edited(empty_directory_url, tmp_path)
    with session_scope(empty_directory_url) as session:
        summary = run_import(session, "geoda-mh", _mh(tmp_path, "v2.csv", "410-555-0102"),
                             take_source={(service_id, "phones")})
        after = editing.snapshot(session, service_id)
        kept = set(session.scalars(select(AdminField.field)))
    assert [c.field for c in summary.conflicts] == ["needs"]
    assert after["phone"] == "410-555-0102" and after["phones"] == []
    assert after["needs"] == ["housing", "mental_health"]
    assert kept == {"needs"}


async def test_the_preview_shows_the_conflict_and_the_admin_can_take_the_source_value(
    client: object, admin: object, web_config: object, tmp_path: Path
) -> None:
    import aiohttp
    from aiohttp.test_utils import TestClient

    from tests.web.admin.test_admin_pages import _hidden, _page

    assert isinstance(client, TestClient)
    url = web_config.database_url  # type: ignore[attr-defined]
    with session_scope(url) as session:
        run_import(session, "geoda-mh", _mh(tmp_path, "v1.csv", "410-555-0101"))
    service_id = _service_id(url)
    _admin_edit(url, service_id)

    html = await _page(client, "/admin/imports", admin)  # type: ignore[arg-type]
    data = aiohttp.FormData()
    data.add_field("csrf_token", _hidden(html, "csrf_token"))
    data.add_field("format", "geoda-mh")
    data.add_field("file", _mh(tmp_path, "v2.csv", "410-555-0102").read_bytes(),
                   filename="v2.csv", content_type="text/csv")
    headers = admin.headers(csrf=False)  # type: ignore[attr-defined]
    page = await (await client.post("/admin/imports", headers=headers, data=data)).text()
    assert "Kept: an admin changed these fields" in page
    assert "Example Recovery Center" in page and "<del>410-555-0102</del>" not in page
    assert "410-555-0199" in page and "410-555-0102" in page
    assert f'name="take_source" value="{service_id}:phones"' in page
    commit = re.search(r"/admin/imports/([\w-]+)/commit", page)
    assert commit
    done = await client.post(commit.group(0), headers=headers, data={
        "csrf_token": _hidden(html, "csrf_token"), "take_source": f"{service_id}:phones"})
    assert done.status == 200, await done.text()
    with session_scope(url) as session:
        after = editing.snapshot(session, service_id)
    assert after["phone"] == "410-555-0102"
    assert after["needs"] == ["housing", "mental_health"]
