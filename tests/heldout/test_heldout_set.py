"""The held-out conversation set (tests/conversations/heldout/) is well formed and held out.

Fast, no stack: every file loads, every conversation follows the schema, every place is one
the offline gazetteer resolves, each category has enough conversations in test/, and no
opening is also a training example or a test-story message (so nobody trains on it).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bench import heldout
from resources_db.geocode import resolve_place

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(heldout.SET_DIR.glob("*/*.yml"))
MIN_PER_CATEGORY_IN_TEST = 15
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def raw_conversations() -> list[tuple[Path, dict]]:
    return [(path, raw) for path in FILES
            for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]]


def normalized(text: str) -> str:
    text = _ANNOTATION.sub(r"\1", text).lower()
    return " ".join(text.split()).strip(" \"'-")


def training_and_story_texts() -> set[str]:
    """Every line of the NLU data and the test stories, annotations removed, normalized."""
    paths = [*sorted((ROOT / "data" / "nlu").glob("*.yml")),
             *sorted((ROOT / "tests" / "conversations").glob("*.yml"))]
    texts = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*(?:-\s*)?(?:user:\s*)?", "", line)
            texts.add(normalized(line))
    return texts


def test_the_set_has_both_splits_and_every_category_file() -> None:
    for split in heldout.SPLITS:
        names = {p.stem for p in (heldout.SET_DIR / split).glob("*.yml")}
        assert names == set(heldout.CATEGORIES), split


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rasa_does_not_read_the_file_as_training_data(path: Path) -> None:
    """Rasa picks story/NLU files by a line starting with one of these keys (is_key_in_yaml),
    and `rasa test core` reads tests/conversations recursively."""
    for line in path.read_text(encoding="utf-8").splitlines():
        assert not re.match(r"\s*(stories|rules|nlu|responses):", line), line


def test_every_conversation_follows_the_schema() -> None:
    problems = []
    for path, raw in raw_conversations():
        problems += [f"{path.name} {raw.get('id')}: {e}" for e in heldout.schema_errors(raw)]
        if raw.get("category") != path.stem:
            problems.append(f"{path.name} {raw.get('id')}: category is not the file's")
        split_letter = "t" if path.parent.name == "test" else "d"
        if not re.fullmatch(rf"{path.stem}-{split_letter}\d\d", str(raw.get("id"))):
            problems.append(f"{path.name} {raw.get('id')}: id is not {path.stem}-{split_letter}NN")
    assert problems == []


def test_ids_and_openings_are_unique() -> None:
    ids = Counter(raw["id"] for _, raw in raw_conversations())
    openings = Counter(normalized(raw["opening"]) for _, raw in raw_conversations())
    assert [i for i, n in ids.items() if n > 1] == []
    assert [o for o, n in openings.items() if n > 1] == []


def test_split_sizes_and_category_minimums() -> None:
    conversations = heldout.load_set()
    per_split = Counter(c.split for c in conversations)
    assert len(conversations) >= 300
    assert per_split["dev"] >= 90 and per_split["test"] >= 200
    in_test = Counter(c.category for c in conversations if c.split == "test")
    in_dev = Counter(c.category for c in conversations if c.split == "dev")
    for category in heldout.CATEGORIES:
        assert in_test[category] >= MIN_PER_CATEGORY_IN_TEST, category
        assert in_dev[category] >= 5, category


def test_every_expected_place_resolves_to_one_place() -> None:
    unresolved = []
    for conv in heldout.load_set():
        places = [conv.expect.get("near")]
        places += [(f.get("expect") or {}).get("near") for f in conv.followups]
        for place in filter(None, places):
            if resolve_place(str(place)).status != "found":
                unresolved.append(f"{conv.id}: {place}")
    assert unresolved == []


def test_every_place_the_person_types_is_a_real_place() -> None:
    """Found, or ambiguous between real places (the person then picks theirs)."""
    unknown = []
    for conv in heldout.load_set():
        places = [conv.profile.get("place")]
        places += [(f.get("profile") or {}).get("place") for f in conv.followups]
        for place in filter(None, places):
            if resolve_place(str(place)).status not in {"found", "ambiguous"}:
                unknown.append(f"{conv.id}: {place}")
    assert unknown == []


def test_places_span_many_states() -> None:
    states = {resolve_place(str(c.expect["near"])).place.label.split(",")[-1].split()[0]
              for c in heldout.load_set() if c.expect.get("near")}
    assert len(states) >= 25, sorted(states)


def test_no_opening_is_a_training_example_or_a_story_message() -> None:
    seen = training_and_story_texts()
    leaked = []
    for conv in heldout.load_set():
        for text in (conv.opening, *conv.script, *(str(f["say"]) for f in conv.followups)):
            if normalized(text) in seen:
                leaked.append(f"{conv.id}: {text}")
    assert leaked == []


def test_the_leak_check_would_notice_a_copied_example() -> None:
    """Guard for the check above: a training example, re-typed with other case and spacing,
    is found."""
    seen = training_and_story_texts()
    example = next(t for t in sorted(seen) if len(t.split()) >= 3)
    assert normalized("  " + example.upper().replace(" ", "   ") + " ") in seen
