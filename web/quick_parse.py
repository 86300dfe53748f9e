"""Turn a peer's quick lookup text ("detox medicaid 21201") into search parameters.

Rasa's NLU does it when it answers (entities need/insurance/location); otherwise a small
keyword parser over the directory vocabulary does.
"""

from __future__ import annotations

import re
from typing import Any

from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS
from web.rasa_client import RasaClient, RasaUnavailable

# Everyday words a peer might type for a need key (keys themselves always match).
NEED_WORDS: dict[str, str] = {
    "withdrawal": "detox",
    "methadone": "moud",
    "buprenorphine": "moud",
    "suboxone": "moud",
    "naltrexone": "moud",
    "mat": "moud",
    "rehab": "residential",
    "inpatient": "residential",
    "sober": "housing",
    "shelter": "housing",
    "ride": "transportation",
    "rides": "transportation",
    "meeting": "mutual_aid",
    "meetings": "mutual_aid",
    "naloxone": "harm_reduction",
    "narcan": "harm_reduction",
    "syringe": "harm_reduction",
    "peer": "peer_support",
    "coach": "peer_support",
    "rco": "recovery_community",
}
INSURANCE_WORDS: dict[str, str] = {"uninsured": "none", "tricare": "military", "va": "military"}
ENTITY_PARAMS = {"need": "need", "needs": "need", "insurance": "insurance", "location": "near"}
FILLER = {
    "near", "in", "for", "with", "and", "around", "at", "a", "the", "insurance", "living",
    "house", "houses", "clinic", "clinics", "program", "programs", "help", "services",
}


def keyword_params(text: str) -> dict[str, str]:
    """Needs and insurance by word; a ZIP code or the remaining words become `near`."""
    needs: list[str] = []
    insurance: str | None = None
    rest: list[str] = []
    for word in re.findall(r"[A-Za-z_]+|\d{5}|[,]", text):
        key = word.lower()
        need = key if key in NEEDS else NEED_WORDS.get(key)
        if need:
            if need not in needs:
                needs.append(need)
        elif key in INSURANCE_QUERY_VALUES or key in INSURANCE_WORDS:
            insurance = INSURANCE_WORDS.get(key, key)
        elif key not in FILLER:
            rest.append(word)
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
