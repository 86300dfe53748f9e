"""The admin JSON API: edits reach the public search, stale versions get 409, tokens are
scoped and revocable, browser sessions need the CSRF header, and every change is audited."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.fixtures.directory import fixture_service_id
from tests.web.admin.conftest import Login, get_json

DETOX = fixture_service_id("detox")
BASE = "/api/v1/admin"


def _edit(snapshot: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**snapshot, **changes}


async def _search_card(client: TestClient, name: str) -> dict[str, Any] | None:
    response = await client.get("/api/v1/search", params={"need": "detox", "near": "21201"})
    body = await response.json()
    return next((c for c in body["resources"] if c["name"] == name), None)


async def _audit(client: TestClient, admin: Login, record_id: str) -> list[dict[str, Any]]:
    body = await get_json(client, f"{BASE}/audit?record_id={record_id}", admin)
    items: list[dict[str, Any]] = body["items"]  # type: ignore[assignment]
    return items


async def test_edit_reaches_search_and_is_audited(client: TestClient, admin: Login) -> None:
    current = await get_json(client, f"{BASE}/services/{DETOX}", admin)
    response = await client.put(f"{BASE}/services/{DETOX}", headers=admin.headers(),
                                json=_edit(current, name="Example Renamed Detox"))
    assert response.status == 200, await response.text()
    assert (await response.json())["version"] == current["version"] + 1  # type: ignore[operator]
    assert await _search_card(client, "Example Renamed Detox") is not None
    [entry] = await _audit(client, admin, DETOX)
    assert entry["actor"] == "user:example-admin"
    assert entry["action"] == "update"
    assert entry["before"]["name"] == "Example Detox Center"
    assert entry["after"]["name"] == "Example Renamed Detox"


async def test_stale_version_gets_409_and_keeps_first_edit(
    client: TestClient, admin: Login
) -> None:
    current = await get_json(client, f"{BASE}/services/{DETOX}", admin)
    first = await client.put(f"{BASE}/services/{DETOX}", headers=admin.headers(),
                             json=_edit(current, name="Example First"))
    assert first.status == 200
    second = await client.put(f"{BASE}/services/{DETOX}", headers=admin.headers(),
                              json=_edit(current, name="Example Second"))
    assert second.status == 409
    body = await second.json()
    assert body["error"]["code"] == "conflict"
    assert body["error"]["current_version"] == current["version"] + 1  # type: ignore[operator]
    after = await get_json(client, f"{BASE}/services/{DETOX}", admin)
    assert after["name"] == "Example First"


async def test_field_errors_are_400_with_each_field(client: TestClient, admin: Login) -> None:
    current = await get_json(client, f"{BASE}/services/{DETOX}", admin)
    response = await client.put(f"{BASE}/services/{DETOX}", headers=admin.headers(),
                                json=_edit(current, phone="not a phone", postal_code=""))
    assert response.status == 400
    assert set((await response.json())["error"]["fields"]) == {"phone", "postal_code"}
    unchanged = await get_json(client, f"{BASE}/services/{DETOX}", admin)
    assert unchanged["version"] == current["version"]


async def test_session_change_without_csrf_header_is_refused(
    client: TestClient, admin: Login
) -> None:
    current = await get_json(client, f"{BASE}/services/{DETOX}", admin)
    response = await client.put(f"{BASE}/services/{DETOX}", headers=admin.headers(csrf=False),
                                json=_edit(current, name="Example Forged"))
    assert response.status == 403
    assert (await get_json(client, f"{BASE}/services/{DETOX}", admin))["name"] != "Example Forged"


async def test_capacity_deactivate_reactivate_verify_each_audited(
    client: TestClient, admin: Login
) -> None:
    response = await client.put(f"{BASE}/services/{DETOX}/capacity", headers=admin.headers(),
                                json={"available": 7, "total": 20, "unit": "beds"})
    assert response.status == 200
    assert (await response.json())["updated_by"] == "user:example-admin"
    card = await _search_card(client, "Example Detox Center")
    assert card is not None and card["capacity"]["available"] == 7
    version = (await get_json(client, f"{BASE}/services/{DETOX}", admin))["version"]
    off = await client.post(f"{BASE}/services/{DETOX}/status", headers=admin.headers(),
                            json={"status": "inactive", "version": version})
    assert off.status == 200
    assert await _search_card(client, "Example Detox Center") is None
    on = await client.post(f"{BASE}/services/{DETOX}/status", headers=admin.headers(),
                           json={"status": "active", "version": (await off.json())["version"]})
    verified = await client.post(f"{BASE}/services/{DETOX}/verify", headers=admin.headers(),
                                 json={"version": (await on.json())["version"]})
    assert verified.status == 200
    actions = [e["action"] for e in await _audit(client, admin, DETOX)]
    assert actions == ["verify", "reactivate", "deactivate", "capacity"]


async def test_integration_token_pushes_capacity_until_revoked(
    client: TestClient, admin: Login
) -> None:
    other = fixture_service_id("methadone")
    created = await client.post(f"{BASE}/tokens", headers=admin.headers(), json={
        "name": "Example Provider", "scopes": ["capacity:write"], "service_ids": [DETOX]})
    assert created.status == 201
    token = (await created.json())["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    listed = await get_json(client, f"{BASE}/tokens", admin)
    assert token not in str(listed)  # shown once, stored hashed

    pushed = await client.put(f"{BASE}/services/{DETOX}/capacity", headers=bearer,
                              json={"available": 2, "total": 20, "unit": "beds"})
    assert pushed.status == 200
    assert (await pushed.json())["updated_by"] == "token:Example Provider"
    elsewhere = await client.put(f"{BASE}/services/{other}/capacity", headers=bearer,
                                 json={"available": 2, "unit": "beds"})
    assert elsewhere.status == 403
    not_capacity = await client.get(f"{BASE}/services", headers=bearer)
    assert not_capacity.status == 403

    token_id = (await created.json())["id"]
    revoked = await client.delete(f"{BASE}/tokens/{token_id}", headers=admin.headers())
    assert revoked.status == 200
    after = await client.put(f"{BASE}/services/{DETOX}/capacity", headers=bearer,
                             json={"available": 1, "unit": "beds"})
    assert after.status == 401
    card = await _search_card(client, "Example Detox Center")
    assert card is not None and card["capacity"]["available"] == 2


async def test_create_and_list_with_filters(client: TestClient, admin: Login) -> None:
    response = await client.post(f"{BASE}/services", headers=admin.headers(), json={
        "name": "Example Admin Detox", "address_1": "1 Example Way", "city": "Baltimore",
        "state": "MD", "postal_code": "21201", "needs": ["detox"], "phone": "410-555-0177"})
    assert response.status == 201, await response.text()
    created = await response.json()
    assert created["latitude"] is not None
    listed = await get_json(client, f"{BASE}/services?q=admin+detox&need=detox&state=MD", admin)
    assert [item["id"] for item in listed["items"]] == [created["id"]]  # type: ignore[union-attr]
    card = await _search_card(client, "Example Admin Detox")
    assert card is not None and card["phone"] == "410-555-0177"
    [entry] = await _audit(client, admin, created["id"])
    assert entry["action"] == "create" and entry["before"] is None


SUD_CSV = (
    "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"
    "Example API Upload Recovery,,700 Example Street,,Baltimore,MD,21201,,Baltimore City,"
    "39.2920,-76.6120\n"
    "Example API Bad Row,,701 Example Street,,Baltimore,MD,ABCDE,,,39.29,-76.61\n"
)


async def _listed(client: TestClient, admin: Login, name: str) -> bool:
    body = await get_json(client, f"{BASE}/services?q={name.replace(' ', '+')}", admin)
    return any(row["name"] == name for row in body["items"])  # type: ignore[index, union-attr]


async def test_import_through_the_api_previews_then_commits_once(
    client: TestClient, admin: Login
) -> None:
    upload = await client.post(f"{BASE}/imports?format=geoda-sud&filename=example.csv",
                               headers=admin.headers(), data=SUD_CSV.encode())
    assert upload.status == 201, await upload.text()
    body = await upload.json()
    preview = body["preview"]
    assert (preview["created"], preview["error_count"]) == (1, 1)
    assert preview["errors"][0]["line"] == 3
    assert not await _listed(client, admin, "Example API Upload Recovery"), "preview wrote"

    commit = await client.post(f"{BASE}/imports/{body['id']}/commit", headers=admin.headers())
    assert commit.status == 200
    assert (await commit.json())["committed"]["created"] == 1
    assert await _listed(client, admin, "Example API Upload Recovery")
    again = await client.post(f"{BASE}/imports/{body['id']}/commit", headers=admin.headers())
    assert again.status == 404
    [entry] = await _audit(client, admin, body["id"])
    assert entry["action"] == "import" and entry["after"]["filename"] == "example.csv"


async def test_a_cancelled_api_import_writes_nothing(client: TestClient, admin: Login) -> None:
    upload = await client.post(f"{BASE}/imports?format=geoda-sud", headers=admin.headers(),
                               data=SUD_CSV.encode())
    import_id = (await upload.json())["id"]
    cancel = await client.delete(f"{BASE}/imports/{import_id}", headers=admin.headers())
    assert cancel.status == 204
    commit = await client.post(f"{BASE}/imports/{import_id}/commit", headers=admin.headers())
    assert commit.status == 404
    assert not await _listed(client, admin, "Example API Upload Recovery")


async def test_api_import_needs_a_known_format_and_a_file(client: TestClient, admin: Login) -> None:
    no_format = await client.post(f"{BASE}/imports", headers=admin.headers(), data=b"x")
    assert no_format.status == 400 and (await no_format.json())["error"]["field"] == "format"
    empty = await client.post(f"{BASE}/imports?format=hsds", headers=admin.headers(), data=b"")
    assert empty.status == 400 and (await empty.json())["error"]["field"] == "file"
    junk = await client.post(f"{BASE}/imports?format=hsds", headers=admin.headers(),
                             data=b"\x00not a zip or json\xff")
    assert junk.status in (201, 400), await junk.text()
