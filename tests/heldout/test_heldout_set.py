"""The held-out conversation sets are well formed and held out: the English one
(tests/conversations/heldout/, issue 14) and the Spanish one (tests/conversations/heldout_es/,
issue 17).

Fast, no stack: every file loads, every conversation follows the schema, every place is one
the offline gazetteer resolves, each category has enough conversations in test/, and no
opening is also a training example or a test-story message (so nobody trains on it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bench import heldout
from resources_db.geocode import resolve_place

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(path for held in heldout.SETS.values() for path in held.root.glob("*/*.yml"))
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Sizes:
    """What a set must hold, and how its ids start."""

    total: int
    #: split -> (conversations in it at least, conversations of each category at least)
    splits: dict[str, tuple[int, int]]
    states: int
    id_prefix: str


SIZES = {
    "en": Sizes(300, {"dev": (90, 5), "test": (200, 15)}, 25, ""),
    "es": Sizes(130, {"dev": (39, 3), "test": (90, 7)}, 15, "es-"),
}
SET_NAMES = sorted(heldout.SETS)


def raw_conversations(name: str) -> list[tuple[Path, dict]]:
    return [(path, raw) for path in sorted(heldout.SETS[name].root.glob("*/*.yml"))
            for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]]


def normalized(text: str) -> str:
    text = _ANNOTATION.sub(r"\1", text).lower()
    return " ".join(text.split()).strip(" \"'-")


def training_and_story_texts(root: Path = ROOT) -> set[str]:
    """Every line of the training data (all of data/, whatever language folder it grows) and
    of the test stories, annotations removed, normalized."""
    paths = [*sorted((root / "data").rglob("*.yml")),
             *sorted((root / "tests" / "conversations").glob("*.yml"))]
    texts = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*(?:-\s*)?(?:user:\s*)?", "", line)
            texts.add(normalized(line))
    return texts


@pytest.mark.parametrize("name", SET_NAMES)
def test_the_set_has_both_splits_and_every_category_file(name: str) -> None:
    held = heldout.SETS[name]
    for split in heldout.SPLITS:
        names = {p.stem for p in (held.root / split).glob("*.yml")}
        assert names == set(held.categories), split


def test_the_spanish_set_expects_spanish_first_replies_and_the_english_one_nothing() -> None:
    assert {c.first_reply_language for c in heldout.load_named_set("es")} == {"es"}
    assert {c.first_reply_language for c in heldout.load_named_set("en")} == {None}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rasa_does_not_read_the_file_as_training_data(path: Path) -> None:
    """Rasa picks story/NLU files by a line starting with one of these keys (is_key_in_yaml),
    and `rasa test core` reads tests/conversations recursively."""
    for line in path.read_text(encoding="utf-8").splitlines():
        assert not re.match(r"\s*(stories|rules|nlu|responses):", line), line


@pytest.mark.parametrize("name", SET_NAMES)
def test_every_conversation_follows_the_schema(name: str) -> None:
    problems = []
    prefix = SIZES[name].id_prefix
    for path, raw in raw_conversations(name):
        problems += [f"{path.name} {raw.get('id')}: {e}" for e in heldout.schema_errors(raw)]
        if raw.get("category") != path.stem:
            problems.append(f"{path.name} {raw.get('id')}: category is not the file's")
        split_letter = "t" if path.parent.name == "test" else "d"
        if not re.fullmatch(rf"{prefix}{path.stem}-{split_letter}\d\d", str(raw.get("id"))):
            problems.append(f"{path.name} {raw.get('id')}: id is not "
                            f"{prefix}{path.stem}-{split_letter}NN")
    assert problems == []


def test_ids_and_openings_are_unique() -> None:
    everything = [raw for name in SET_NAMES for _, raw in raw_conversations(name)]
    ids = Counter(raw["id"] for raw in everything)
    openings = Counter(normalized(raw["opening"]) for raw in everything)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [o for o, n in openings.items() if n > 1] == []


@pytest.mark.parametrize("name", SET_NAMES)
def test_split_sizes_and_category_minimums(name: str) -> None:
    sizes = SIZES[name]
    conversations = heldout.load_named_set(name)
    assert len(conversations) >= sizes.total
    for split, (at_least, per_category) in sizes.splits.items():
        in_split = Counter(c.category for c in conversations if c.split == split)
        assert in_split.total() >= at_least, split
        for category in heldout.SETS[name].categories:
            assert in_split[category] >= per_category, (split, category)


def _places(name: str, section: str, key: str) -> list[tuple[str, str]]:
    """(conversation id, place) for each `key` in the `section` ("expect" or "profile") of
    every conversation of a set and of its follow-ups."""
    found = []
    for conv in heldout.load_named_set(name):
        places = [getattr(conv, section).get(key)]
        places += [(f.get(section) or {}).get(key) for f in conv.followups]
        found += [(conv.id, str(place)) for place in filter(None, places)]
    return found


@pytest.mark.parametrize("name", SET_NAMES)
def test_every_expected_place_resolves_to_one_place(name: str) -> None:
    unresolved = [
        f"{conv_id}: {place}"
        for conv_id, place in _places(name, "expect", "near")
        if resolve_place(place).status != "found"
    ]
    assert unresolved == []


@pytest.mark.parametrize("name", SET_NAMES)
def test_every_place_the_person_types_is_a_real_place(name: str) -> None:
    """Found, or ambiguous between real places (the person then picks theirs)."""
    unknown = [
        f"{conv_id}: {place}"
        for conv_id, place in _places(name, "profile", "place")
        if resolve_place(place).status not in {"found", "ambiguous"}
    ]
    assert unknown == []


@pytest.mark.parametrize("name", SET_NAMES)
def test_places_span_many_states(name: str) -> None:
    states = {resolve_place(str(c.expect["near"])).place.label.split(",")[-1].split()[0]
              for c in heldout.load_named_set(name) if c.expect.get("near")}
    assert len(states) >= SIZES[name].states, sorted(states)


@pytest.mark.parametrize("name", SET_NAMES)
def test_no_opening_is_a_training_example_or_a_story_message(name: str) -> None:
    seen = training_and_story_texts()
    leaked = []
    for conv in heldout.load_named_set(name):
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


def test_the_leak_check_reads_spanish_training_data_wherever_it_is_added(tmp_path: Path) -> None:
    """A Spanish opening copied, annotated, into a new language folder of data/ or into a
    test story is found."""
    opening = next(c.opening for c in heldout.load_named_set("es") if "houston" in c.opening)
    annotated = opening.replace("houston", "[houston](location)")
    (tmp_path / "data" / "nlu" / "es").mkdir(parents=True)
    (tmp_path / "data" / "nlu" / "es" / "needs.yml").write_text(
        f"nlu:\n- intent: find_help\n  examples: |\n    - {annotated}\n", encoding="utf-8")
    assert normalized(opening) in training_and_story_texts(tmp_path)
    (tmp_path / "data" / "nlu" / "es" / "needs.yml").unlink()
    (tmp_path / "tests" / "conversations").mkdir(parents=True)
    (tmp_path / "tests" / "conversations" / "es.yml").write_text(
        f"stories:\n- story: x\n  steps:\n  - user: |\n      {opening.upper()}\n",
        encoding="utf-8")
    assert normalized(opening) in training_and_story_texts(tmp_path)
