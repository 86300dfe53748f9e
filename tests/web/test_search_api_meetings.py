"""GET /api/v1/search answers meeting searches (when, online, meeting_type, fellowship) from
an imported fictional Meeting Guide feed (tests/fixtures/meeting_feed.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from resources_db.db import upgrade_database
from tests.fixtures.meeting_feed import import_meetings, meeting_rows
from web.config import WebConfig


@pytest.fixture
async def meetings_client(client: TestClient, web_config: WebConfig, tmp_path: Path) -> TestClient:
    upgrade_database(web_config.database_url)
    import_meetings(web_config.database_url, meeting_rows(), tmp_path)
    return client


async def test_online_na_meetings_over_http(meetings_client: TestClient) -> None:
    response = await meetings_client.get("/api/v1/search?need=mutual_aid&online=true&fellowship=NA")
    assert response.status == 200
    body = await response.json()
    assert [card["name"] for card in body["resources"]] == ["Example Online Hope"]
    card = body["resources"][0]
    assert card["meeting"]["online"] is True
    assert card["meeting"]["types"] == [{"code": "O", "name": "Open"}]
    assert body["query"]["online"] is True and body["query"]["fellowship"] == "NA"


async def test_meeting_types_over_http(meetings_client: TestClient) -> None:
    response = await meetings_client.get(
        "/api/v1/search?need=mutual_aid&near=21201&meeting_type=W,S"
    )
    body = await response.json()
    assert [card["name"] for card in body["resources"]] == ["Example Mujeres Sabado"]
    assert body["resources"][0]["meeting"]["next"]  # its next Saturday, whenever this runs


async def test_a_bad_window_is_a_400(meetings_client: TestClient) -> None:
    response = await meetings_client.get("/api/v1/search?need=mutual_aid&near=21201&when=soon")
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_when"
