"""Turn a peer's quick lookup text ("detox medicaid 21201") into search parameters.

Rasa's NLU does it when it answers (entities need/insurance/location); otherwise a small
keyword parser does. Needs are read with the chat's own reader over the one vocabulary
(resources_db/need_words.yml: words, typos, brand and street names), so the console
understands every need word the chat does; a generic "rehab" / "treatment" is the chat's
broad treatment search (any of TREATMENT_NEEDS).
"""

from __future__ import annotations

from typing import Any

from resources_db.understand.needs import find_needs
from resources_db.understand.text import read_message, token_positions
from resources_db.understand.vocabulary import TREATMENT_NEEDS, load_vocabulary
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS
from web.rasa_client import RasaClient, RasaUnavailable

INSURANCE_WORDS: dict[str, str] = {"uninsured": "none", "tricare": "military", "va": "military"}
ENTITY_PARAMS = {"need": "need", "needs": "need", "insurance": "insurance", "location": "near"}
FILLER = {
    "near", "in", "for", "with", "and", "around", "at", "a", "the", "insurance", "living",
    "house", "houses", "clinic", "clinics", "program", "programs", "help", "services",
}


def keyword_params(text: str) -> dict[str, str]:
    """Needs by the vocabulary, insurance by word; a ZIP code or the remaining words become
    `near`."""
    message = read_message(text)
    vocabulary = load_vocabulary()
    found = find_needs(message.text, vocabulary)
    # Keywords of the lookup only: need keys (typed "mutual_aid" reads "mutual aid") and the
    # vocabulary's `lookup` words ("peer", "sober").
    lookup = [
        (start, end, keys)
        for start, end, keys in vocabulary.lookup_terms.find(message.text)
        if not token_positions(message, ((start, end),)) & token_positions(message, found.spans)
    ]
    needs = list(dict.fromkeys([*found.needs, *(key for _, _, keys in lookup for key in keys)]))
    if not needs and found.broad_treatment:
        needs = list(TREATMENT_NEEDS)
    named = token_positions(message, found.spans + tuple((a, b) for a, b, _ in lookup))
    insurance: str | None = None
    rest: list[str] = []
    for index, token in enumerate(message.tokens):
        key = token.norm
        if index in named:
            continue
        if key in INSURANCE_QUERY_VALUES or key in INSURANCE_WORDS:
            insurance = INSURANCE_WORDS.get(key, key)
        elif key not in FILLER and (key.isalpha() or len(key) == 5 and key.isdigit()
                                    or key == ","):
            rest.append(token.typed)
    params: dict[str, str] = {}
    if needs:
        params["need"] = ",".join(needs)
    if insurance:
        params["insurance"] = insurance
    zips = [w for w in rest if w.isdigit()]
    near = zips[0] if zips else " ".join(rest).replace(" ,", ",").strip(" ,")
    if near:
        params["near"] = near
    return params


def entity_params(parsed: dict[str, Any]) -> dict[str, str]:
    needs: list[str] = []
    params: dict[str, str] = {}
    for entity in parsed.get("entities") or []:
        if not isinstance(entity, dict):
            continue
        name = ENTITY_PARAMS.get(str(entity.get("entity")))
        value = str(entity.get("value", "")).strip()
        if not name or not value:
            continue
        if name == "need":
            if value in NEEDS and value not in needs:
                needs.append(value)
        elif name == "insurance":
            if value in INSURANCE_QUERY_VALUES:
                params["insurance"] = value
        else:
            params["near"] = value
    if needs:
        params["need"] = ",".join(needs)
    return params


async def quick_params(text: str, rasa: RasaClient) -> tuple[dict[str, str], str]:
    """(params, source) where source is "rasa" or "keywords"."""
    text = text.strip()[:300]
    try:
        parsed = await rasa.parse(text)
    except RasaUnavailable:
        return keyword_params(text), "keywords"
    params = entity_params(parsed)
    # Fill in whatever the model missed from the keywords, without overriding it.
    for key, value in keyword_params(text).items():
        params.setdefault(key, value)
    return params, "rasa"
