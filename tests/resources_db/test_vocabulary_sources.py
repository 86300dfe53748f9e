"""One vocabulary: resources_db/need_words.yml is the only place a need's label and words live.

Everything that shows a need to a person or reads one from text takes it from there
(resources_db.understand.vocabulary); these tests fail if a second copy comes back or if a
copy that must stay (the Rasa model's synonyms) names a word the file does not know.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import formatting
from resources_db.understand.needs import find_needs
from resources_db.understand.text import normalize
from resources_db.understand.vocabulary import (
    BROAD,
    TREATMENT_NEEDS,
    VOCABULARY_PATH,
    load_vocabulary,
    need_labels,
)
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS, POPULATIONS

ROOT = Path(__file__).resolve().parents[2]
RAW: dict[str, Any] = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
LABELS: dict[str, str] = {key: entry["label"] for key, entry in RAW["needs"].items()}
#: Code and templates that show or read needs; none of them may spell out a label again.
SOURCES = [
    path
    for folder in ("actions", "web", "bot")
    for path in sorted((ROOT / folder).rglob("*"))
    if path.suffix in {".py", ".html", ".js"}
]


def test_every_need_key_has_an_entry_and_a_label_in_the_one_source() -> None:
    assert list(RAW["needs"]) == list(NEEDS)
    for key in NEEDS:
        label = LABELS[key]
        assert isinstance(label, str) and label.strip() == label and label, key
    assert len(set(LABELS.values())) == len(NEEDS), "two needs read the same"
    assert dict(need_labels()) == LABELS
    assert list(need_labels()) == list(NEEDS)


def test_a_missing_label_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    del raw["needs"]["crisis"]["label"]
    path = tmp_path / "need_words.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="no label"):
        load_vocabulary.__wrapped__(path)


def test_the_chat_says_each_need_with_its_label_from_the_source() -> None:
    assert not hasattr(formatting, "NEED_LABELS")
    for key in NEEDS:
        assert formatting.need_label(key) == LABELS[key]
    assert formatting.need_label("treatment") == "treatment"


@pytest.mark.parametrize("key", NEEDS)
def test_no_code_or_template_spells_out_a_label_again(key: str) -> None:
    quoted = re.compile(rf"""["']{re.escape(LABELS[key])}["']""", re.IGNORECASE)
    copies = [
        str(path.relative_to(ROOT)) for path in SOURCES if quoted.search(path.read_text("utf-8"))
    ]
    assert copies == []


# --- data/nlu/synonyms.yml: the Rasa model's copy (not regenerated: that would retrain) ------

SYNONYMS: dict[str, list[str]] = {
    item["synonym"]: [
        line.strip()[2:] for line in item["examples"].splitlines() if line.strip().startswith("- ")
    ]
    for item in yaml.safe_load((ROOT / "data/nlu/synonyms.yml").read_text("utf-8"))["nlu"]
    if "synonym" in item
}
#: Synonym values that are not need keys: insurance, populations, languages.
NOT_NEEDS = {
    *INSURANCE_QUERY_VALUES, *POPULATIONS, "es", "ar", "fr", "zh", "vi", "ru", "ko", "pt",
}

#: Synonym words the source reads only in a phrase, on purpose: alone they are also ordinary
#: words ("I've been off dope for three years"); "get off dope" is a detox situation there.
PHRASE_ONLY = {("detox", "off dope")}


def _reads_as(word: str) -> set[str]:
    """The needs the one source reads a word as (a broad "rehab" is any treatment need)."""
    vocabulary = load_vocabulary()
    text = normalize(word)
    found = find_needs(text, vocabulary)
    keys = {*vocabulary.need_terms.keys.get(text, ()), *found.needs}
    if found.broad_treatment or BROAD in keys:
        keys |= set(TREATMENT_NEEDS)
    return keys - {BROAD}


def test_every_synonym_value_is_a_need_key_of_the_source_or_another_contract_value() -> None:
    assert set(SYNONYMS) - NOT_NEEDS <= set(RAW["needs"])
    assert set(SYNONYMS) - NOT_NEEDS, "the synonyms file names no need: was it moved?"
    for key, word in PHRASE_ONLY:
        assert word in SYNONYMS[key] and key in _reads_as(f"get {word}")


@pytest.mark.parametrize("key", sorted(set(SYNONYMS) - NOT_NEEDS))
def test_every_synonym_word_of_a_need_is_known_to_the_source(key: str) -> None:
    unknown = [
        word
        for word in SYNONYMS[key]
        if key not in _reads_as(word) and (key, word) not in PHRASE_ONLY
    ]
    assert unknown == [], f"add these to {key} in resources_db/need_words.yml"
