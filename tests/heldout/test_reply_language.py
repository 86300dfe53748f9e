"""The first-reply language check of the Spanish held-out set (bench/reply_language.py) and
how the runner uses it (bench/conversations.py --set es), on canned replies: no stack."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bench import conversations as runner
from bench import heldout
from bench.reply_language import count, reply_language

SPANISH = [
    {
        "text": "Hola. ¿Qué tipo de ayuda estás buscando?",
        "buttons": [
            {"title": "Desintoxicación", "payload": '/find_help{"need": "detox"}'},
            {"title": "Hablar con una persona", "payload": "/request_peer"},
        ],
    },
]
ENGLISH = [
    {
        "text": "What kind of help are you looking for?",
        "buttons": [{"title": "Detox / withdrawal help", "payload": '/find_help{"need": "detox"}'}],
    }
]
PAYLOAD_ONLY = [
    {"custom": {"type": "crisis", "kind": "overdose", "lines": []}},
    {"buttons": [{"payload": "/request_peer"}]},
]
MIXED = [{"text": "Here is what I found."}, {"text": "Aquí está lo que encontré."}]


@pytest.mark.parametrize(
    ("reply", "language"),
    [
        (SPANISH, "es"),
        (ENGLISH, "en"),
        (PAYLOAD_ONLY, None),
        (MIXED, None),
        ([], None),
        # a Spanish crisis line after an English reply does not make the reply Spanish
        ([*ENGLISH, {"text": "Llame al 988."}], "en"),
        # accents or none, capitals or none: the same words
        ([{"text": "DONDE ESTAS? dime tu codigo postal"}], "es"),
        # names, numbers and brand words count for neither language
        ([{"text": "Narcan, Medicaid, 988, 1-800-662-4357"}], None),
    ],
)
def test_the_language_of_a_reply(reply: list[dict[str, Any]], language: str | None) -> None:
    assert reply_language(reply) == language


def test_button_titles_count_and_payloads_do_not() -> None:
    only_buttons = [{"buttons": [{"title": "Buscar un lugar cerca", "payload": "/x"}]}]
    assert reply_language(only_buttons) == "es"
    english_payload = [{"text": "Hola", "buttons": [{"title": "Si", "payload": "/find the help"}]}]
    assert count(english_payload).english == 0


def conversation(expect: dict[str, Any], **extra: Any) -> heldout.Conversation:
    raw = {
        "id": "es-places-t01",
        "category": "places",
        "opening": "detox en cumberland md",
        "profile": {"need": "detox", "place": "cumberland md"},
        "expect": expect,
        **extra,
    }
    return heldout.from_dict(raw, "test", first_reply_language="es")


class Replies:
    """Stands in for runner.Chat: the n-th message gets the n-th canned reply."""

    def __init__(self, *replies: list[dict[str, Any]]) -> None:
        self.replies = list(replies)
        self.sent: list[str] = []
        self.transcript: list[dict[str, Any]] = []

    async def say(self, text: str) -> list[dict[str, Any]]:
        self.sent.append(text)
        return self.replies[min(len(self.sent), len(self.replies)) - 1]

    @property
    def turns(self) -> int:
        return len(self.sent)


def play(conv: heldout.Conversation, chat: Replies) -> heldout.Verdict:
    return asyncio.run(runner.play(chat, conv))  # type: ignore[arg-type]


HANDOFF = {"custom": {"type": "handoff", "status": "queued"}}


def test_a_right_answer_in_english_fails_the_spanish_set_but_keeps_its_behaviour() -> None:
    verdict = play(conversation({"handoff": True}), Replies([HANDOFF, *ENGLISH]))
    assert not verdict.passed
    assert "first reply not in es" in verdict.why
    assert verdict.details == {"behaviour_passed": True, "first_reply_language": "en"}


def test_a_right_answer_in_spanish_passes() -> None:
    verdict = play(conversation({"handoff": True}), Replies([HANDOFF, *SPANISH]))
    assert verdict.passed
    assert verdict.details["first_reply_language"] == "es"


def test_a_payload_only_first_reply_is_not_spanish() -> None:
    verdict = play(conversation({"handoff": True}), Replies([HANDOFF]))
    assert not verdict.passed and verdict.details["behaviour_passed"]


def test_the_english_set_does_not_check_the_language() -> None:
    raw = {
        "id": "human-t01",
        "category": "human",
        "opening": "real person",
        "expect": {"handoff": True},
    }
    verdict = asyncio.run(
        runner.play(
            Replies([HANDOFF, *ENGLISH]),  # type: ignore[arg-type]
            heldout.from_dict(raw, "test"),
        )
    )
    assert verdict.passed and "first_reply_language" not in verdict.details


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("¿Cuál es tu código postal o ciudad?", "place"),
        ("¿Tienes seguro médico o Medicaid?", "insurance"),
        ("¿Qué tipo de ayuda necesitas?", "need"),
    ],
)
def test_spanish_questions_are_recognised_only_for_the_spanish_person(text: str, kind: str) -> None:
    assert runner.classify_question([{"text": text}], "es") == kind
    assert runner.classify_question([{"text": text}], "en") in {None, "insurance"}


def test_the_spanish_person_answers_in_spanish() -> None:
    person = runner.Person({"place": "houston tx"}, language="es")
    assert person.answer([{"text": "¿Tienes seguro médico?"}]) == "no se"
    assert person.answer([{"text": "¿Dónde estás?"}]) == "houston tx"
    assert runner.Person({}, language="en").answer([{"text": "Do you have insurance?"}]) == "skip"


def test_the_report_counts_spanish_first_replies_per_category() -> None:
    outcomes = [
        {
            "id": "es-human-t01",
            "category": "human",
            "passed": False,
            "why": "x",
            "turns_to_result": None,
            "expected": {"handoff": True},
            "expected_first_reply_language": "es",
            "first_reply_language": "en",
            "behaviour_passed": True,
        },
        {
            "id": "es-human-t02",
            "category": "human",
            "passed": True,
            "why": "",
            "turns_to_result": 1,
            "expected": {"handoff": True},
            "expected_first_reply_language": "es",
            "first_reply_language": "es",
            "behaviour_passed": True,
        },
    ]
    summary = runner.summarize(outcomes)
    assert summary["first_reply_in_language"] == 1 and summary["behaviour_passed"] == 2
    assert summary["categories"]["human"]["first_reply_in_language"] == 1
    assert "1st reply" in runner.table(summary)
    english = [
        {
            k: v
            for k, v in o.items()
            if k
            not in {"expected_first_reply_language", "first_reply_language", "behaviour_passed"}
        }
        for o in outcomes
    ]
    assert "first_reply_in_language" not in runner.summarize(english)
    assert "1st reply" not in runner.table(runner.summarize(english))


def test_a_handoff_request_alone_is_worded_by_the_web_app_not_judged_here() -> None:
    """actions/handoff.py only asks; the web app says queued or unavailable in the person's
    language, so a first reply of that request alone is not a reply in the wrong language."""
    requested = {"custom": {"type": "handoff", "status": "requested", "summary": {}}}
    verdict = play(conversation({"handoff": True}), Replies([requested]))
    assert verdict.passed
    assert verdict.details["first_reply_language"] == "web app"
    english = play(conversation({"handoff": True}), Replies([requested, *ENGLISH]))
    assert not english.passed  # words of Rasa's in English are still judged
