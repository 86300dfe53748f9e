"""Held-out conversations: drive the running assistant like people do and report pass rates.

Each conversation of tests/conversations/heldout/ (see its README) is played against Rasa's
REST channel (contract §4) with a fresh random sender id: the opening message, then any
scripted messages, then the person answers the bot's questions from their profile (a place
question gets the place as they type it, an insurance question their insurance or "skip", a
need question the need in their own words), until the first `resources` payload or a turn
limit. `--set es` plays the Spanish set (tests/conversations/heldout_es/): the person answers
in Spanish, and every first reply must also be in Spanish (bench/reply_language.py). The
first reply with resources decides: useful when its query's need is one of those
expected and its search point lies within the tolerance of the expected place. Scripted
follow-ups then ask about the cards shown. Crisis, handoff, family and "calm" expectations are
judged as bench/heldout.py says.

    .venv/bin/python bench/conversations.py --start-stack --split all
    .venv/bin/python bench/conversations.py --start-stack --set es --split all
    .venv/bin/python bench/conversations.py --rasa-url http://127.0.0.1:5005 --split dev \
        --category places --json results/heldout-dev.json

--start-stack runs the action server and Rasa (devstack.processes.Stack, as bench/load_chat.py
does) on free ports, with the model in models/ and the directory at RN_DATABASE_URL.
The report: pass rate per category and overall, median turns to the first useful result, one
line per failure; a JSON file in results/ and a table on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import heldout  # noqa: E402
from bench.heldout import Conversation, Verdict  # noqa: E402
from bench.reply_language import judge_first_reply_language  # noqa: E402

Reply = list[dict[str, Any]]
TURN_LIMIT = 6
FOLLOWUP_TURN_LIMIT = 3

# Generic cues for what the bot is asking: wording may change, these words rarely do.
PLACE_CUE = re.compile(r"\bzip\b|\bwhere\b|\bcity\b|\btown\b|\blocation\b|which one do you mean"
                       r"|what (?:place|area)", re.IGNORECASE)
INSURANCE_CUE = re.compile(r"insurance|coverage|\bmedicaid\b|how (?:will|would) you pay",
                           re.IGNORECASE)
NEED_CUE = re.compile(r"what (?:kind|sort|type) of|looking for|what can i (?:look|find|help|do)"
                      r"|what do you need|what (?:help|service)|which (?:kind|service)",
                      re.IGNORECASE)

# The same questions asked in Spanish (used, besides the English cues, with the Spanish set).
_PLACE_ES = (r"c[oó]digo postal|d[oó]nde|ciudad|pueblo|\bzona\b|ubicaci[oó]n"
             r"|cu[aá]l (?:de (?:ellos|estos)|lugar)|qu[eé] (?:lugar|[aá]rea)")
_INSURANCE_ES = (r"\bseguro\b|aseguranza|cobertura|c[oó]mo (?:va|vas|piensa|piensas) a pagar")
_NEED_ES = (r"qu[eé] (?:tipo|clase) de|buscando|qu[eé] (?:necesita|necesitas|puedo buscar)"
            r"|en qu[eé] (?:te|le) puedo ayudar|qu[eé] (?:ayuda|servicio)")
CUES: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "en": (("insurance", INSURANCE_CUE), ("place", PLACE_CUE), ("need", NEED_CUE)),
    "es": tuple(
        (kind, re.compile(f"{cue.pattern}|{spanish}", re.IGNORECASE))
        for kind, cue, spanish in (("insurance", INSURANCE_CUE, _INSURANCE_ES),
                                   ("place", PLACE_CUE, _PLACE_ES),
                                   ("need", NEED_CUE, _NEED_ES))
    ),
}
#: What the person says to a question they have no answer for, and how they restate.
DONT_KNOW = {
    "en": {"place": "i dont know", "insurance": "skip", "need": "i dont know"},
    "es": {"place": "no se", "insurance": "no se", "need": "no se"},
}
RESTATE = {"en": "{need} in {place}", "es": "{need} en {place}"}

_SENTENCE = re.compile(r"[^.!?\n]*[.!?]?")


def classify_question(reply: Sequence[Mapping[str, Any]], language: str = "en") -> str | None:
    """What the bot's reply asks for: place_choice, place, insurance, need, or None.

    Buttons say it best (their payloads carry the slot). Otherwise the question itself:
    the last sentence ending in "?" that has a cue ("What can I look for?" after a list of
    services that names insurance help is a need question); failing that, an imperative
    ("Tell me your ZIP code.") anywhere in the last messages.
    """
    for message in reversed(reply):
        payloads = " ".join(str(b.get("payload", "")) for b in message.get("buttons") or [])
        if '"location"' in payloads:
            return "place_choice"
        if '"insurance"' in payloads or "/skip" in payloads:
            return "insurance"
        if '"need"' in payloads or "find_help" in payloads:
            return "need"
        questions = [q for q in _SENTENCE.findall(str(message.get("text") or ""))
                     if q.strip().endswith("?")]
        for question in reversed(questions):
            kind = _cue(question, language=language)
            if kind:
                return kind
    for message in reversed(reply):
        kind = _cue(str(message.get("text") or ""), need=False, language=language)
        if kind:
            return kind
    return None


def _cue(text: str, need: bool = True, language: str = "en") -> str | None:
    for kind, cue in CUES.get(language, CUES["en"]):
        if cue.search(text) and (need or kind != "need"):
            return kind
    return None


@dataclass
class Person:
    """Answers the bot from a profile, the way the person would type it."""

    profile: Mapping[str, Any]
    expected_label: str | None = None
    asked: Counter[str] = field(default_factory=Counter)
    given: set[str] = field(default_factory=set)
    need_said: int = 0
    restated: bool = False
    language: str = "en"

    def need_words(self) -> str | None:
        """The need in the person's words; a list gives the next phrasing each time."""
        need = self.profile.get("need")
        phrasings = [str(n) for n in need] if isinstance(need, list) else [str(need or "")]
        words = phrasings[min(self.need_said, len(phrasings) - 1)]
        self.need_said += 1
        return words or None

    def answer(self, reply: Sequence[Mapping[str, Any]]) -> str | None:
        """The person's next message, or None when they have nothing more to say."""
        kind = classify_question(reply, self.language)
        if kind is not None:
            self.asked[kind] += 1
        if kind == "place_choice":
            return self.pick_place(reply)
        if kind is not None:
            fallback = DONT_KNOW.get(self.language, DONT_KNOW["en"])
            return self.give(kind) or fallback[kind]
        for fact in ("need", "place", "insurance"):  # not a question we know: say what's left
            if fact not in self.given and self.profile.get(fact):
                return self.give(fact)
        if not self.restated and self.profile.get("need") and self.profile.get("place"):
            self.restated = True
            restate = RESTATE.get(self.language, RESTATE["en"])
            return restate.format(need=self.need_words(), place=self.profile["place"])
        return None

    def give(self, fact: str) -> str | None:
        self.given.add(fact)
        if fact == "need":
            return self.need_words()
        value = self.profile.get(fact)
        return str(value) if value else None

    def pick_place(self, reply: Sequence[Mapping[str, Any]]) -> str:
        """Tap the offered place that is the person's (best match to the expected place)."""
        buttons = [b for m in reply for b in m.get("buttons") or []]
        target = (self.expected_label or str(self.profile.get("place") or "")).lower()
        best = max(buttons, key=lambda b: fuzz.token_set_ratio(str(b.get("title")).lower(),
                                                               target))
        return str(best.get("payload"))


class Chat:
    """One conversation with Rasa over the REST channel."""

    def __init__(self, session: aiohttp.ClientSession, rasa_url: str, token: str) -> None:
        self.session = session
        self.url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self.params = {"token": token} if token else {}
        self.sender = f"heldout-{secrets.token_hex(8)}"
        self.transcript: list[dict[str, Any]] = []

    async def say(self, text: str) -> Reply:
        async with self.session.post(self.url, params=self.params,
                                     json={"sender": self.sender, "message": text}) as resp:
            if resp.status != 200:
                raise RuntimeError(f"REST channel answered HTTP {resp.status}")
            reply = list(await resp.json())
        self.transcript.append({"person": text, "bot": heldout.describe(reply, limit=300)})
        return reply

    @property
    def turns(self) -> int:
        return len(self.transcript)


async def seek_result(chat: Chat, person: Person, expect: Mapping[str, Any], first: Reply,
                      pending: list[str], limit: int
                      ) -> tuple[Verdict, list[dict[str, Any]], list[Reply]]:
    """Answer questions until the first reply with resources (it decides) or the limit."""
    point = _expected_point(expect)
    replies, reply, start = [first], first, chat.turns
    while True:
        payloads = heldout.customs(reply, "resources")
        if payloads:
            problems = [heldout.result_problem(p, expect, point) for p in payloads]
            turns = chat.turns - start + 1
            if None in problems:
                useful = payloads[problems.index(None)]
                return Verdict(True, turns_to_result=turns), list(useful.get("resources") or []), \
                    replies
            return Verdict(False, f"first results not useful: {problems[0]}"), [], replies
        if chat.turns - start + 1 >= limit:
            return Verdict(False, f"no results after {limit} turns; last reply: "
                                  f"{heldout.describe(reply)}; asked {dict(person.asked)}"), \
                [], replies
        message = pending.pop(0) if pending else person.answer(reply)
        if message is None:
            return Verdict(False, f"stalled (nothing asked, nothing found): "
                                  f"{heldout.describe(reply)}"), [], replies
        reply = await chat.say(message)
        replies.append(reply)


def _expected_point(expect: Mapping[str, Any]) -> tuple[float, float]:
    from resources_db.geocode import resolve_place

    lookup = resolve_place(str(expect["near"]))
    if lookup.place is None:
        raise ValueError(f"expected place {expect['near']!r} is not in the gazetteer")
    return lookup.place.lat, lookup.place.lon


def _expected_label(expect: Mapping[str, Any]) -> str | None:
    return str(expect["near"]) if expect.get("near") else None


async def play(chat: Chat, conv: Conversation, limit: int = TURN_LIMIT) -> Verdict:
    """Play one conversation and judge it (and, when the set says so, its first reply's
    language: the conversation passes only when both are right)."""
    first = await chat.say(conv.opening)
    verdict = await judge_behaviour(chat, conv, first, limit)
    if conv.first_reply_language is None:
        return verdict
    return judge_first_reply_language(verdict, first, conv.first_reply_language)


async def judge_behaviour(chat: Chat, conv: Conversation, first: Reply, limit: int) -> Verdict:
    """What the conversation expects of the bot's behaviour, from its first reply on."""
    expect = conv.expect
    if expect.get("crisis"):
        return heldout.judge_crisis(first, expect["crisis"])
    if expect.get("handoff"):
        return heldout.judge_handoff(first)
    person = Person(conv.profile, _expected_label(expect),
                    language=conv.first_reply_language or "en")
    pending = list(conv.script)
    replies = [first]
    cards: list[dict[str, Any]] = []
    verdict = Verdict(True)
    if expect.get("need_any"):
        verdict, cards, replies = await seek_result(chat, person, expect, first, pending, limit)
        if verdict.passed and expect.get("max_turns") and \
                (verdict.turns_to_result or 0) > int(expect["max_turns"]):
            verdict = Verdict(False, f"result only at turn {verdict.turns_to_result}, expected "
                                     f"by turn {expect['max_turns']}; asked {dict(person.asked)}",
                              verdict.turns_to_result)
    elif expect.get("family_support"):
        while chat.turns < limit and not heldout.judge_family(replies).passed:
            message = pending.pop(0) if pending else person.answer(replies[-1])
            if message is None:
                break
            replies.append(await chat.say(message))
        verdict = heldout.judge_family(replies)
    else:
        for message in pending:
            replies.append(await chat.say(message))
    if verdict.passed and (expect.get("no_crisis") or expect.get("no_cards")):
        calm = heldout.judge_calm(replies, expect)
        if not calm.passed:
            calm.turns_to_result = verdict.turns_to_result
            return calm
    if verdict.passed:
        problem = await run_followups(chat, conv, person, cards)
        if problem:
            return Verdict(False, problem, verdict.turns_to_result)
    return verdict


async def run_followups(chat: Chat, conv: Conversation, person: Person,
                        cards: list[dict[str, Any]]) -> str | None:
    """Each scripted follow-up and its own expectation; the first failure is returned."""
    for n, followup in enumerate(conv.followups, start=1):
        text = heldout.fill_placeholders(str(followup["say"]), cards)
        expect = followup.get("expect") or {}
        reply = await chat.say(text)
        if expect.get("no_crisis") and heldout.crisis_in([reply]):
            return f"follow-up {n} {text!r}: false crisis alarm"
        if expect.get("need_any"):
            mover = Person({**person.profile, **(followup.get("profile") or {})},
                           _expected_label(expect), language=person.language)
            mover.given = {"need", "place", "insurance"}
            verdict, new_cards, _ = await seek_result(chat, mover, expect, reply, [],
                                                      FOLLOWUP_TURN_LIMIT)
            if new_cards:
                cards[:] = new_cards
        elif expect.get("field"):
            verdict = heldout.judge_field(reply, cards, str(expect["field"]),
                                          int(expect.get("card", 1)))
        elif expect.get("filter"):
            verdict = heldout.judge_filter(reply, cards, str(expect["filter"]))
        else:
            continue
        if not verdict.passed:
            return f"follow-up {n} {text!r}: {verdict.why}"
    return None


async def run_one(session: aiohttp.ClientSession, rasa_url: str, token: str, conv: Conversation,
                  gate: asyncio.Semaphore) -> dict[str, Any]:
    async with gate:
        chat = Chat(session, rasa_url, token)
        try:
            verdict = await play(chat, conv)
        except (aiohttp.ClientError, TimeoutError, RuntimeError, ValueError) as exc:
            verdict = Verdict(False, f"error: {type(exc).__name__}: {exc}")
    outcome = {
        "id": conv.id, "category": conv.category, "split": conv.split,
        "passed": verdict.passed, "why": verdict.why, "turns_to_result": verdict.turns_to_result,
        "expected": dict(conv.expect), "transcript": chat.transcript,
    }
    if conv.first_reply_language:
        outcome.update(
            expected_first_reply_language=conv.first_reply_language,
            first_reply_language=verdict.details.get("first_reply_language"),
            behaviour_passed=verdict.details.get("behaviour_passed", verdict.passed))
    return outcome


async def run_all(conversations: Sequence[Conversation], rasa_url: str, token: str,
                  concurrency: int) -> list[dict[str, Any]]:
    from bench.load_chat import warm_up

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await warm_up(session, rasa_url, token)
        gate = asyncio.Semaphore(max(1, concurrency))
        return list(await asyncio.gather(
            *(run_one(session, rasa_url, token, conv, gate) for conv in conversations)
        ))


def summarize(outcomes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Pass rate per category and overall; median turns to the first useful result."""
    by_category: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for outcome in outcomes:
        by_category[str(outcome["category"])].append(outcome)
    categories = {
        name: {"conversations": len(rows), "passed": sum(r["passed"] for r in rows),
               "pass_rate": round(sum(r["passed"] for r in rows) / len(rows), 3),
               **_language_counts(rows)}
        for name, rows in sorted(by_category.items(), key=lambda kv: _category_order(kv[0]))
    }
    # turns to a useful result measure understanding, so the language check does not count
    turns = [o["turns_to_result"] for o in outcomes
             if o.get("behaviour_passed", o["passed"]) and o["expected"].get("need_any")
             and o["turns_to_result"]]
    passed = sum(o["passed"] for o in outcomes)
    return {
        "conversations": len(outcomes), "passed": passed,
        "pass_rate": round(passed / len(outcomes), 3) if outcomes else None,
        **_language_counts(outcomes),
        "median_turns_to_result": statistics.median(turns) if turns else None,
        "results_reached": len(turns),
        "categories": categories,
        "failures": [{"id": o["id"], "category": o["category"], "expected": o["expected"],
                      "what_happened": o["why"]} for o in outcomes if not o["passed"]],
    }


def _language_counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """With a first-reply language expected: how many first replies were in it, and how many
    conversations the bot's behaviour alone passed. Nothing for a set without one."""
    checked = [r for r in rows if r.get("expected_first_reply_language")]
    if not checked:
        return {}
    return {
        "first_reply_in_language": sum(
            r["first_reply_language"] == r["expected_first_reply_language"] for r in checked),
        "behaviour_passed": sum(bool(r["behaviour_passed"]) for r in checked),
    }


def _category_order(name: str) -> int:
    return heldout.CATEGORIES.index(name) if name in heldout.CATEGORIES else 99


def table(summary: Mapping[str, Any]) -> str:
    """The per-category table; with a first-reply language, two more columns: first replies
    in that language, and conversations whose behaviour alone passed."""
    language = "first_reply_in_language" in summary
    extra = f" {'1st reply':>10} {'behaviour':>10}" if language else ""
    width = 38 + len(extra)
    lines = [f"{'category':<20} {'passed':>9} {'rate':>7}{extra}", "-" * width]
    for name, row in [*summary["categories"].items(), ("overall", summary)]:
        if name == "overall":
            lines.append("-" * width)
        line = (f"{name:<20} {row['passed']:>4}/{row['conversations']:<4} "
                f"{(row['pass_rate'] or 0):>7.0%}")
        if language:
            line += (f" {row['first_reply_in_language']:>5}/{row['conversations']:<4}"
                     f" {row['behaviour_passed']:>5}/{row['conversations']:<4}")
        lines.append(line)
    lines.append(f"median turns to first useful result: {summary['median_turns_to_result']} "
                 f"({summary['results_reached']} conversations reached one)")
    lines.append("")
    lines += [f"FAIL {f['id']}: expected {json.dumps(f['expected'])}: {f['what_happened']}"
              for f in summary["failures"]]
    return "\n".join(lines)


def select(split: str, category: str | None, set_name: str = "en") -> list[Conversation]:
    splits = heldout.SPLITS if split == "all" else (split,)
    return [c for c in heldout.load_named_set(set_name, splits)
            if category in (None, c.category)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument("--token", default=os.environ.get("RN_RASA_TOKEN", ""))
    parser.add_argument("--start-stack", action="store_true",
                        help="start the action server and Rasa with devstack on free ports")
    parser.add_argument("--set", choices=sorted(heldout.SETS), default="en", dest="set_name",
                        help="en: tests/conversations/heldout (issue 14); es: the Spanish set "
                             "tests/conversations/heldout_es (issue 17), first replies in Spanish")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--category", choices=heldout.CATEGORIES)
    parser.add_argument("--json", type=Path, help="report file (default results/heldout-*.json)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--start-timeout", type=float, default=900.0,
                        help="with --start-stack: seconds each process may take to come up "
                             "(Rasa loads slowly on a busy machine)")
    args = parser.parse_args()
    conversations = select(args.split, args.category, args.set_name)
    started = time.monotonic()
    if args.start_stack:
        from devstack.processes import Stack, free_port

        token = secrets.token_urlsafe(24)
        stack = Stack(ROOT, rasa_port=free_port(), action_port=free_port(),
                      env={"RN_RASA_TOKEN": token}, components=("actions", "rasa"))
        try:
            stack.start(timeout=args.start_timeout)
            outcomes = asyncio.run(run_all(conversations, stack.rasa_url, token,
                                           args.concurrency))
        finally:
            stack.stop()
    else:
        outcomes = asyncio.run(run_all(conversations, args.rasa_url, args.token,
                                       args.concurrency))
    summary = summarize(outcomes)
    summary.update(split=args.split, category=args.category,
                   **({"set": args.set_name} if args.set_name != "en" else {}),
                   seconds=round(time.monotonic() - started, 1), outcomes=outcomes)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prefix = "heldout" if args.set_name == "en" else f"heldout-{args.set_name}"
    path = args.json or ROOT / "results" / f"{prefix}-{args.split}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(table(summary))
    print(f"\nreport: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
