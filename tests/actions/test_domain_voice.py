"""Everything the assistant says is person-first and gives only real, listed numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from resources_db.national import national_lines
from tests.actions.helpers import response_text

REPO = Path(__file__).resolve().parents[2]
STIGMA = re.compile(r"\b(addicts?|abusers?|junkies?|clean|dirty|substance abuse|"
                    r"adict[oa]s?|drogadict[oa]s?|viciosos?|limpi[oa]s?|suci[oa]s?)\b",
                    re.IGNORECASE)
PHONE = re.compile(r"\b1-\d{3}-\d{3}-\d{4}\b|\b\d{3}-\d{3}-\d{4}\b|\b988\b|\b911\b|\b211\b")


def response_texts() -> list[str]:
    found: list[str] = []
    for path in sorted((REPO / "bot" / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for variants in (data.get("responses") or {}).values():
            for variant in variants:
                found.append(variant.get("text", ""))
                found.extend(b["title"] for b in variant.get("buttons", []))
    return found


def action_texts() -> list[str]:
    """String literals in the action modules (what they can say)."""
    literals: list[str] = []
    for path in sorted((REPO / "actions").glob("*.py")):
        if path.name == "crisis.py":  # owned and tested by the crisis work
            continue
        literals.extend(re.findall(r'"([^"\n]{12,})"', path.read_text(encoding="utf-8")))
    return literals


def test_there_are_responses_to_check() -> None:
    assert len(response_texts()) > 10
    assert len(action_texts()) > 10


@pytest.mark.parametrize("source", [response_texts, action_texts])
def test_no_stigmatizing_words(source: object) -> None:
    assert callable(source)
    offending = [t for t in source() if STIGMA.search(t)]
    assert offending == []


@pytest.mark.parametrize("source", [response_texts, action_texts])
def test_only_national_numbers_are_given(source: object) -> None:
    assert callable(source)
    known = {line["phone"] for line in national_lines() if line.get("phone")}
    numbers = {n for t in source() for n in PHONE.findall(t)}
    assert numbers <= known


def test_the_greeting_says_it_is_automated_and_a_peer_is_available() -> None:
    greeting = response_text("utter_greet")
    assert "automated assistant" in greeting
    assert "peer" in greeting
    spanish = response_text("utter_greet", "es")
    assert "asistente automatizado" in spanish and "apoyo entre pares" in spanish
