"""The peer console's quick lookup box: free text to search parameters."""

from __future__ import annotations

import pytest
import yaml
from aiohttp.test_utils import TestClient

from resources_db.understand.vocabulary import TREATMENT_NEEDS, VOCABULARY_PATH
from resources_db.vocabulary import NEEDS
from tests.web.conftest import FakeRasa, make_peer, peer_cookie
from web import quick_parse
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


# --- needs come from the one vocabulary (resources_db/need_words.yml) ----------------------

RAW_NEEDS = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))["needs"]


def test_no_word_list_of_its_own():
    assert not hasattr(quick_parse, "NEED_WORDS")


@pytest.mark.parametrize("key", NEEDS)
def test_every_need_key_is_understood_typed_as_is_or_as_words(key: str):
    assert keyword_params(f"{key} 21201") == {"need": key, "near": "21201"}
    assert keyword_params(key.replace("_", " ")) == {"need": key}


@pytest.mark.parametrize("key", ["detox", "moud", "housing", "harm_reduction", "mutual_aid",
                                 "transportation", "peer_support"])
def test_every_word_of_the_vocabulary_is_understood_for_a_sample_of_needs(key: str):
    entry = RAW_NEEDS[key]
    words = [*entry.get("words", []), *entry.get("misspellings", []), *entry.get("lookup", [])]
    missed = [w for w in words if key not in keyword_params(f"{w} 21201").get("need", "")]
    assert missed == []


@pytest.mark.parametrize(("text", "need"), [
    # the words the parser had in its own list before it read the vocabulary
    ("withdrawal", "detox"), ("methadone", "moud"), ("buprenorphine", "moud"),
    ("suboxone", "moud"), ("naltrexone", "moud"), ("mat", "moud"), ("inpatient", "residential"),
    ("sober", "housing"), ("shelter", "housing"), ("ride", "transportation"),
    ("rides", "transportation"), ("meeting", "mutual_aid"), ("meetings", "mutual_aid"),
    ("naloxone", "harm_reduction"), ("narcan", "harm_reduction"), ("syringe", "harm_reduction"),
    ("peer", "peer_support"), ("coach", "peer_support"), ("rco", "recovery_community"),
    # and what it now also understands, as the chat does
    ("subxone", "moud"), ("dope sick", "detox"), ("halfway house", "housing"),
])
def test_everyday_words_and_typos(text: str, need: str):
    assert keyword_params(f"{text} in Towson, MD") == {"need": need, "near": "Towson, MD"}


def test_rehab_is_the_chats_broad_treatment_search():
    assert keyword_params("rehab 21201") == {
        "need": ",".join(TREATMENT_NEEDS), "near": "21201"
    }
