"""Judging of the held-out runner (bench/conversations.py, bench/heldout.py) on canned replies.

No stack: a scripted stand-in for Rasa's REST channel returns the replies a real bot would,
in the contract's shapes (§4), and the tests check that the simulated person answers the
questions from the profile and that the verdicts are right.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bench import conversations as runner
from bench import heldout
from tests.actions.helpers import response_text, responses

ASK_NEEDS = {"text": "What kind of help are you looking for?", "buttons": [
    {"title": "Detox / withdrawal help", "payload": '/find_help{"need": "detox"}'},
    {"title": "Something else", "payload": "/request_peer"}]}
# the assistant's own questions, as Rasa renders them (English)
ASK_PLACE = {"text": response_text("utter_ask_location")}
ASK_INS = {"text": response_text("utter_ask_insurance"),
           "buttons": next(v for v in responses()["utter_ask_insurance"]
                           if not v.get("condition"))["buttons"]}
CUMBERLAND = (39.65, -78.76)
FROSTBURG = (39.65, -78.93)
LAVALE = (39.66, -78.81)  # about 3 miles from Cumberland


def card(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "phone": None, "address": None, "hours": None, "insurance": [],
            "open_now": None, "capacity": None, **fields}


CARDS = [
    card("Example Recovery Center", phone="301-555-0101", address="1 Example St",
         insurance=["medicaid"], hours="Mon-Fri 8-4", open_now=True),
    card("Sample Harbor Detox", phone="301-555-0102", address="2 Sample Ave"),
    card("Example Valley Services", phone=None, address=None),
]


def results(need: str = "detox", point: tuple[float, float] = CUMBERLAND,
            insurance: str | None = "medicaid", cards: list[dict[str, Any]] | None = None
            ) -> list[dict[str, Any]]:
    payload = {"type": "resources", "total": 3, "relaxed": False,
               "query": {"need": [need], "near": {"label": "Somewhere, MD", "lat": point[0],
                                                  "lon": point[1]}, "insurance": insurance},
               "resources": CARDS if cards is None else cards}
    return [{"custom": payload}, {"text": "Here is what I found."}]


class ScriptedChat:
    """Stands in for runner.Chat: answers each message with `respond(message, turn)`."""

    def __init__(self, respond: Callable[[str, int], list[dict[str, Any]]]) -> None:
        self.respond = respond
        self.sent: list[str] = []
        self.transcript: list[dict[str, Any]] = []

    async def say(self, text: str) -> list[dict[str, Any]]:
        self.sent.append(text)
        self.transcript.append({"person": text})
        return self.respond(text, len(self.sent))

    @property
    def turns(self) -> int:
        return len(self.sent)


def conversation(expect: dict[str, Any], profile: dict[str, Any] | None = None,
                 **extra: Any) -> heldout.Conversation:
    raw = {"id": "x-t01", "category": "places", "opening": "detox in cumberland md",
           "profile": profile or {"need": "detocks", "place": "cumberland md"},
           "expect": expect, **extra}
    return heldout.from_dict(raw, "test")


def play(conv: heldout.Conversation, chat: ScriptedChat) -> heldout.Verdict:
    return asyncio.run(runner.play(chat, conv))  # type: ignore[arg-type]


NEAR_CUMBERLAND = {"need_any": ["detox"], "near": "Cumberland, MD", "within_miles": 15}


# ---- recognising questions -------------------------------------------------------------


@pytest.mark.parametrize(("reply", "kind"), [
    ([ASK_NEEDS], "need"),
    ([ASK_PLACE], "place"),
    ([ASK_INS], "insurance"),
    ([{"text": "There is more than one place called Frostburg. Which one do you mean?",
       "buttons": [{"title": "Frostburg, MD", "payload": '/inform{"location": "Frostburg, MD"}'}]}],
     "place_choice"),
    # other wordings, no buttons: the generic cues still work
    ([{"text": "Which city or ZIP code should I search in?"}], "place"),
    ([{"text": "Got it. Are you covered by any health insurance?"}], "insurance"),
    ([{"text": "Hi! What can I help you find today?"}], "need"),
    ([{"text": "Take care. You can come back any time."}], None),
    # a list of services that names insurance help, then the need question
    ([{"text": "Sorry, I can't help with that. I find detox, rides and insurance help. "
               "What can I look for?"}], "need"),
    ([{"text": "Sorry, I didn't catch which insurance that is."}, ASK_PLACE], "place"),
    ([{"text": "Tell me your ZIP code."}], "place"),
    ([{"text": "Would you like to talk with a peer recovery specialist, a real person?"}], None),
])
def test_questions_are_recognised_by_generic_cues(reply: list[dict[str, Any]],
                                                  kind: str | None) -> None:
    assert runner.classify_question(reply) == kind


# ---- finding the first useful result -----------------------------------------------------


def test_results_in_the_first_reply_pass_in_one_turn() -> None:
    verdict = play(conversation(NEAR_CUMBERLAND), ScriptedChat(lambda m, n: results()))
    assert verdict.passed and verdict.turns_to_result == 1


def test_the_person_answers_each_question_from_the_profile() -> None:
    script = {1: [ASK_NEEDS], 2: [ASK_PLACE], 3: [ASK_INS], 4: results(point=LAVALE)}
    chat = ScriptedChat(lambda m, n: script[n])
    verdict = play(conversation(NEAR_CUMBERLAND, {"need": "detocks", "place": "cumberland md"}),
                   chat)
    assert chat.sent == ["detox in cumberland md", "detocks", "cumberland md", "skip"]
    assert verdict.passed and verdict.turns_to_result == 4


def test_a_need_asked_again_gets_the_next_phrasing() -> None:
    script = {1: [ASK_NEEDS], 2: [ASK_NEEDS], 3: results()}
    chat = ScriptedChat(lambda m, n: script[n])
    play(conversation(NEAR_CUMBERLAND, {"need": ["detocks", "detox"], "place": "x"}), chat)
    assert chat.sent[1:] == ["detocks", "detox"]


def test_the_person_taps_their_own_place_among_the_choices() -> None:
    choices = [{"text": "There is more than one place called Frostburg. Which one do you mean?",
                "buttons": [{"title": t, "payload": f'/inform{{"location": "{t}"}}'}
                            for t in ("Frostburg, PA", "Frostburg, MD")]}]
    script = {1: choices, 2: results(point=FROSTBURG)}
    chat = ScriptedChat(lambda m, n: script[n])
    expect = {"need_any": ["detox"], "near": "Frostburg, MD", "within_miles": 5}
    verdict = play(conversation(expect, {"need": "detox", "place": "frostburg"}), chat)
    assert chat.sent[1] == '/inform{"location": "Frostburg, MD"}'
    assert verdict.passed


def test_the_first_results_decide_even_if_later_ones_would_be_right() -> None:
    script = {1: results(point=FROSTBURG), 2: results()}
    verdict = play(conversation({**NEAR_CUMBERLAND, "within_miles": 5}),
                   ScriptedChat(lambda m, n: script[n]))
    assert not verdict.passed and "mi from Cumberland, MD" in verdict.why


def test_results_for_another_need_fail() -> None:
    verdict = play(conversation(NEAR_CUMBERLAND),
                   ScriptedChat(lambda m, n: results(need="mutual_aid")))
    assert not verdict.passed and "need ['mutual_aid']" in verdict.why


def test_a_question_loop_fails_at_the_turn_limit() -> None:
    chat = ScriptedChat(lambda m, n: [ASK_NEEDS])
    verdict = play(conversation(NEAR_CUMBERLAND), chat)
    assert not verdict.passed and chat.turns == runner.TURN_LIMIT
    assert "no results after" in verdict.why


def test_max_turns_and_insurance_are_checked() -> None:
    script = {1: [ASK_INS], 2: results(insurance="medicaid")}
    late = play(conversation({**NEAR_CUMBERLAND, "max_turns": 1},
                             {"need": "detox", "place": "x", "insurance": "medicaid"}),
                ScriptedChat(lambda m, n: script[n]))
    assert not late.passed and "turn 2" in late.why
    wrong = play(conversation({**NEAR_CUMBERLAND, "insurance": "medicare"}),
                 ScriptedChat(lambda m, n: results(insurance="medicaid")))
    assert not wrong.passed and "insurance" in wrong.why


# ---- crisis, handoff, calm, family ---------------------------------------------------------

CRISIS = {"custom": {"type": "crisis", "kind": "suicide", "lines": []}}


def test_crisis_must_come_first_in_the_first_reply() -> None:
    expect = {"crisis": ["suicide"]}
    assert play(conversation(expect), ScriptedChat(lambda m, n: [CRISIS, ASK_NEEDS])).passed
    late = play(conversation(expect), ScriptedChat(lambda m, n: [ASK_NEEDS, CRISIS]))
    assert not late.passed
    wrong_kind = play(conversation({"crisis": ["overdose"]}),
                      ScriptedChat(lambda m, n: [CRISIS]))
    assert not wrong_kind.passed and "kind" in wrong_kind.why


def test_handoff_must_start_in_the_first_reply() -> None:
    handoff = {"custom": {"type": "handoff", "status": "unavailable", "summary": {}}}
    offer = {"text": "Would you like a peer?", "buttons": [{"title": "Talk to a peer",
                                                            "payload": "/request_peer"}]}
    assert play(conversation({"handoff": True}), ScriptedChat(lambda m, n: [handoff])).passed
    assert not play(conversation({"handoff": True}), ScriptedChat(lambda m, n: [offer])).passed


def test_figures_of_speech_and_small_talk() -> None:
    calm = {"no_crisis": True, "no_cards": True}
    kind = [{"text": "Sorry, I can't help with that."}]
    assert play(conversation(calm), ScriptedChat(lambda m, n: kind)).passed
    assert not play(conversation(calm), ScriptedChat(lambda m, n: [CRISIS])).passed
    assert not play(conversation(calm), ScriptedChat(lambda m, n: results())).passed
    assert not play(conversation(calm), ScriptedChat(lambda m, n: [])).passed
    # a need with an idiom: useful results but a false alarm first is a failure
    script = {1: [CRISIS, ASK_PLACE], 2: results()}
    alarmed = play(conversation({**NEAR_CUMBERLAND, "no_crisis": True}),
                   ScriptedChat(lambda m, n: script[n]))
    assert not alarmed.passed and "false crisis" in alarmed.why


@pytest.mark.parametrize(("reply", "passed"), [
    ([{"text": "Keeping naloxone (Narcan) at home can save a life."}], True),
    ([{"text": "The SAMHSA National Helpline is free: 1-800-662-4357."}], True),
    ([{"text": "Would you like that?", "buttons": [{"title": "Talk to a peer",
                                                     "payload": "/request_peer"}]}], True),
    # the need menu's "Something else" button leads to a peer but does not offer one
    ([ASK_NEEDS], False),
    # naloxone named in the not-understood menu of services is not family support
    ([{"text": "Sorry, I didn't understand that. I can look for detox, meetings, naloxone, "
               "rides or insurance help. What are you looking for?"}], False),
    (results(need="harm_reduction"), True),
])
def test_family_support(reply: list[dict[str, Any]], passed: bool) -> None:
    conv = conversation({"family_support": True, "no_crisis": True}, {"place": "erie pa"})
    assert play(conv, ScriptedChat(lambda m, n: reply)).passed is passed


# ---- follow-ups about the cards shown -------------------------------------------------------


def with_followups(*followups: dict[str, Any]) -> heldout.Conversation:
    return conversation(NEAR_CUMBERLAND, followups=list(followups))


def test_a_name_placeholder_becomes_part_of_the_cards_name() -> None:
    assert heldout.fill_placeholders("what time does {name:2} open", CARDS) == \
        "what time does sample open"
    assert heldout.name_fragment("The Example Recovery Center") == "example"


def test_field_follow_up_by_position() -> None:
    followup = {"say": "whats the number for the second one", "expect": {"field": "phone",
                                                                          "card": 2}}
    right = {1: results(), 2: [{"text": "You can call Sample Harbor Detox at 301-555-0102."}]}
    wrong = {1: results(), 2: [{"text": "You can call Example Recovery Center at 301-555-0101."}]}
    assert play(with_followups(followup), ScriptedChat(lambda m, n: right[n])).passed
    verdict = play(with_followups(followup), ScriptedChat(lambda m, n: wrong[n]))
    assert not verdict.passed and "phone of card 2" in verdict.why


def test_field_follow_up_unknown_value_needs_an_honest_answer() -> None:
    followup = {"say": "address of {name:3}", "expect": {"field": "address", "card": 3}}
    honest = {1: results(),
              2: [{"text": "Example Valley Services hasn't listed an address; call them."}]}
    vague = {1: results(), 2: [{"text": "Sorry, I didn't understand that."}]}
    chat = ScriptedChat(lambda m, n: honest[n])
    assert play(with_followups(followup), chat).passed
    assert chat.sent[1] == "address of example"
    assert not play(with_followups(followup), ScriptedChat(lambda m, n: vague[n])).passed


@pytest.mark.parametrize(("answer", "passed"), [
    ("Example Recovery Center takes Medicaid.", True),
    ("Example Recovery Center and Sample Harbor Detox take Medicaid.", False),
    ("Sorry, I didn't understand that.", False),
])
def test_filter_follow_up_names_the_right_cards(answer: str, passed: bool) -> None:
    followup = {"say": "which ones take medicaid", "expect": {"filter": "medicaid"}}
    script = {1: results(), 2: [{"text": answer}]}
    assert play(with_followups(followup), ScriptedChat(lambda m, n: script[n])).passed is passed


def test_filter_follow_up_when_nobody_reports_it() -> None:
    followup = {"say": "do any have a bed tonight", "expect": {"filter": "beds"}}
    honest = {1: results(), 2: [{"text": "None of these places report open beds. Call first."}]}
    assert play(with_followups(followup), ScriptedChat(lambda m, n: honest[n])).passed
    # "none of them" followed by whom to call names cards without claiming beds for them
    calls = {1: results(), 2: [{"text": "None of them have listed open beds. Call to ask:\n"
                                        "- Sample Harbor Detox: 301-555-0102"}]}
    assert play(with_followups(followup), ScriptedChat(lambda m, n: calls[n])).passed
    for answer in ("Here you go.", "Sorry, I didn't understand that.",
                   "Sample Harbor Detox has beds tonight; the others don't list any."):
        script = {1: results(), 2: [{"text": answer}]}
        chat = ScriptedChat(lambda m, n, s=script: s[n])
        assert not play(with_followups(followup), chat).passed


def test_a_correction_must_move_the_search() -> None:
    followup = {"say": "actually im in frostburg", "profile": {"place": "frostburg md"},
                "expect": {"need_any": ["detox"], "near": "Frostburg, MD", "within_miles": 5}}
    moved = {1: results(), 2: results(point=FROSTBURG)}
    stuck = {1: results(), 2: results()}
    assert play(with_followups(followup), ScriptedChat(lambda m, n: moved[n])).passed
    assert not play(with_followups(followup), ScriptedChat(lambda m, n: stuck[n])).passed


def test_summary_counts_per_category_and_median_turns() -> None:
    outcomes = [
        {"id": "a", "category": "places", "passed": True, "turns_to_result": 1,
         "expected": {"need_any": ["detox"]}, "why": ""},
        {"id": "b", "category": "places", "passed": False, "turns_to_result": None,
         "expected": {"need_any": ["detox"]}, "why": "looped"},
        {"id": "c", "category": "everyday", "passed": True, "turns_to_result": 3,
         "expected": {"need_any": ["detox"]}, "why": ""},
        {"id": "d", "category": "crisis", "passed": True, "turns_to_result": 1,
         "expected": {"crisis": "any"}, "why": ""},
    ]
    summary = runner.summarize(outcomes)
    assert summary["categories"]["places"] == {"conversations": 2, "passed": 1,
                                               "pass_rate": 0.5}
    assert list(summary["categories"]) == ["everyday", "places", "crisis"]
    assert summary["median_turns_to_result"] == 2
    assert summary["failures"] == [{"id": "b", "category": "places",
                                    "expected": {"need_any": ["detox"]},
                                    "what_happened": "looped"}]
    assert "FAIL b" in runner.table(summary)
