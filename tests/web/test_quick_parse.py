"""The peer console's quick lookup box: free text to search parameters."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.web.conftest import FakeRasa, make_peer, peer_cookie
from web.config import WebConfig
from web.quick_parse import entity_params, keyword_params


def test_keywords_find_need_insurance_and_zip():
    assert keyword_params("detox medicaid 21201") == {
        "need": "detox", "insurance": "medicaid", "near": "21201"
    }


def test_everyday_words_map_to_need_keys_and_the_rest_is_the_place():
    assert keyword_params("methadone near Towson, MD") == {"need": "moud", "near": "Towson, MD"}
    assert keyword_params("sober living uninsured") == {"need": "housing", "insurance": "none"}


def test_entities_from_rasa_are_checked_against_the_vocabulary():
    parsed = {"entities": [
        {"entity": "need", "value": "detox"},
        {"entity": "need", "value": "flying"},
        {"entity": "insurance", "value": "medicaid"},
        {"entity": "location", "value": "Baltimore, MD"},
    ]}
    assert entity_params(parsed) == {
        "need": "detox", "insurance": "medicaid", "near": "Baltimore, MD"
    }


async def test_parse_endpoint_uses_rasa_then_falls_back(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    headers = peer_cookie(web_config, make_peer(web_config))
    fake_rasa.parse_entities = [{"entity": "need", "value": "moud"},
                                {"entity": "location", "value": "21201"}]
    body = await (await client.get("/peer/api/parse?q=bupe 21201", headers=headers)).json()
    assert body == {"params": {"need": "moud", "near": "21201"}, "source": "rasa"}
    assert fake_rasa.parses == ["bupe 21201"]
    fake_rasa.mode = "error"
    body = await (await client.get("/peer/api/parse?q=detox 21201", headers=headers)).json()
    assert body == {"params": {"need": "detox", "near": "21201"}, "source": "keywords"}


async def test_parse_endpoint_needs_a_signed_in_peer(client: TestClient):
    response = await client.get("/peer/api/parse?q=detox")
    assert response.status == 401
