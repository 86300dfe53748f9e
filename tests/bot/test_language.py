"""core.language: the language a message is in, or None when nothing in it tells."""

from __future__ import annotations

import pytest

from core.language import read_language

SPANISH = [
    "hola", "ayuda pls", "necesito detox", "tengo medicaid, vivo en 21224",
    "no hablo inglés, ¿hay alguien que hable español?", "mi hijo usa drogas",
    "busco reuniones de AA", "gracias", "sí", "donde hay un sober house",
    "necesito un ride pa la clinica", "el segundo", "cuál es el número del primero",
    "ya no quiero vivir", "kiero ayuda para dejar de tomar", "detox en el bronx",
    "necesito help",  # a tie: a Spanish verb with English words reads as Spanish
    # Spanglish ties with Spanish words of their own (written before the rule was changed)
    "mi son needs detox, estamos en dallas", "my mom necesita rehab en el bronx",
    # more English than Spanish words, but two Spanish words of their own (written before the
    # mixed-message rule)
    "I need help for my son, he's using heroina, vivo en Houston",
    "my brother needs detox, no tiene seguro, we are in dallas",
    "looking for rehab para mi esposo in phoenix", "can someone help me, mi hija is using",
    "i need a meeting tonight, hablo poquito ingles",
    # nothing known, but misspelled Spanish words
    "nesesito detox urjente", "ayudenme porfavor", "graciass",
    # English loanwords in Spanish ("un rehab", "un sober house") are no English evidence
    "rehab en san antonio", "sober house en houston", "un meeting de aa",
]
ENGLISH = [
    "hi", "i need detox near 21201", "my son needs help", "what about rides", "thanks",
    "a ride to detox", "the second one", "i want rehab in san antonio",
    "detox in el paso please", "meetings in los angeles tonight", "i need help in las vegas",
    # Spanish words English writers use too, and English typos
    "do i need to detox from alcohol with a doctor", "im in la and need meetings",
    "hi yall i need help", "plese help", "sober livng in reno",
]
NEITHER = ["21224", "ok", "medicaid", "suboxone", "👍", "", "/request_peer", "el paso",
           "baltimore md",
           # misspelled product words close to Spanish ones, and English typos, say nothing
           # (a Spanish conversation must not switch on "thanx")
           "methadon clinc", "suboxen", "tacoma wa", "tell me a story", "thanx", "hours?",
           "helo", "rehab", "a ride", "sober house"]


@pytest.mark.parametrize("text", SPANISH)
def test_spanish_messages_read_as_spanish(text: str) -> None:
    assert read_language(text) == "es"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_messages_read_as_english_also_with_spanish_place_names(text: str) -> None:
    assert read_language(text) == "en"


@pytest.mark.parametrize("text", NEITHER)
def test_messages_with_nothing_telling_keep_the_conversation_s_language(text: str) -> None:
    assert read_language(text) is None
