"""GET /api/v1/search: contract §3 shape, a 400 for each bad parameter, never a 500."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from resources_db.db import upgrade_database
from web.config import WebConfig


@pytest.fixture
async def directory_client(client: TestClient, web_config: WebConfig) -> TestClient:
    """The app with an empty, migrated directory in the same database."""
    upgrade_database(web_config.database_url)
    return client


async def test_search_answers_with_the_contract_shape(directory_client: TestClient):
    response = await directory_client.get("/api/v1/search?need=detox&near=21201")
    assert response.status == 200
    body = await response.json()
    assert set(body) >= {"query", "total", "relaxed", "resources"}
    assert body["query"]["need"] == ["detox"]
    assert body["query"]["near"]["label"] == "Baltimore, MD 21201"


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("need=flying", "unknown_need", "need"),
        ("need=detox&near=Qwxzzy", "unknown_place", "near"),
        ("need=detox&near=Springfield", "ambiguous_place", "near"),
        ("need=detox&near=21201&radius_miles=500", "out_of_range", "radius_miles"),
        ("need=detox&near=21201&radius_miles=ten", "invalid_number", "radius_miles"),
        ("need=detox&lat=abc&lon=-76.6", "invalid_number", "lat"),
        ("need=detox&near=21201&limit=0", "out_of_range", "limit"),
        ("need=detox&near=21201&open_now=maybe", "invalid_boolean", "open_now"),
    ],
)
async def test_bad_parameters_get_a_400_naming_the_field(
    directory_client: TestClient, query: str, code: str, field: str
):
    response = await directory_client.get(f"/api/v1/search?{query}")
    assert response.status == 400
    error = (await response.json())["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


async def test_ambiguous_place_lists_the_candidates(directory_client: TestClient):
    response = await directory_client.get("/api/v1/search?need=detox&near=Springfield")
    candidates = (await response.json())["error"]["candidates"]
    assert "Springfield, IL" in candidates


@pytest.mark.parametrize(
    "query",
    ["near=%00", "need=" + "x" * 5000, "lat=1e400&lon=1", "near=' OR 1=1 --", "limit=-1",
     "need=detox,,,", "radius_miles=NaN&near=21201", "lat=91&lon=0", "offset=99999999999"],
)
async def test_hostile_input_is_never_a_500(directory_client: TestClient, query: str):
    response = await directory_client.get(f"/api/v1/search?{query}")
    assert response.status in (200, 400)
    assert "Traceback" not in await response.text()


async def test_a_broken_directory_is_a_503_not_a_500(client: TestClient):
    # The directory tables were never created in this database.
    response = await client.get("/api/v1/search?need=detox&near=21201")
    assert response.status == 503
    assert (await response.json())["error"]["code"] == "unavailable"


async def test_search_returns_cards_from_the_fictional_directory(
    directory_url: str, aiohttp_client, web_config: WebConfig
):
    """Cards of contract §2 from the shared fictional Baltimore directory, nearest first."""
    from web.app import create_app

    config = WebConfig(**{**web_config.__dict__, "database_url": directory_url})
    client = await aiohttp_client(create_app(config))
    response = await client.get("/api/v1/search?need=detox&near=21201&insurance=medicaid")
    assert response.status == 200
    body = await response.json()
    assert body["relaxed"] is False and body["total"] >= 1
    card = body["resources"][0]
    assert card["name"] == "Example Detox Center"
    assert card["phone"] == "410-555-0100"
    assert card["capacity"]["available"] == 3 and card["capacity"]["total"] == 20
    for key in ("id", "organization", "categories", "address", "city", "state", "zip", "lat",
                "lon", "distance_miles", "website", "insurance", "populations", "languages",
                "hours", "open_now", "capacity", "last_verified", "source"):
        assert key in card
    distances = [c["distance_miles"] for c in body["resources"]]
    assert distances == sorted(distances)
