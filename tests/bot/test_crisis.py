"""Crisis detection: nothing labelled as a crisis may be missed, few ordinary messages may fire."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.crisis import CRISIS_KINDS, CrisisSignal, detect_crisis, locate, normalize
from tests.bot.crisis_sets import assert_reported_as, detected_kind, labelled_rows

HERE = Path(__file__).parent
#: Every labelled set (text,label[,subject]); a new crisis_*.csv is picked up by every test.
LABELLED_SETS = sorted(HERE.glob("crisis_*.csv"))
MAX_FALSE_ALARM_RATE = 0.01
#: Deliberate false alarms, documented in docs/crisis-detection.md (Decisions): an explicit
#: self-harm phrase fires even when negated or hyperbolic. They are counted in the pooled rate.
KNOWN_FALSE_ALARMS = frozenset({
    "i'm killing myself with this drinking, i need to stop",
    "i'm not going to hurt myself, i just need a bed tonight",
})


def test_labelled_set_is_big_and_varied_enough() -> None:
    rows = labelled_rows(HERE / "crisis_labelled.csv")
    labels = Counter(label for _, label in rows)
    assert len(rows) >= 150
    assert sum(labels[kind] for kind in CRISIS_KINDS) >= 70
    assert labels["none"] >= 80
    assert all(labels[kind] >= 20 for kind in CRISIS_KINDS), labels
    assert set(labels) <= {*CRISIS_KINDS, "none"}
    assert len({text for text, _ in rows}) == len(rows), "duplicate messages"


@pytest.mark.parametrize("path", LABELLED_SETS, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", CRISIS_KINDS)
def test_every_labelled_crisis_is_caught(path: Path, kind: str) -> None:
    rows = [text for text, label in labelled_rows(path) if label == kind]
    missed = [text for text in rows if detect_crisis(text) is None]
    assert not missed, f"{len(missed)} of {len(rows)} {kind} messages missed:\n" + "\n".join(missed)


@pytest.mark.parametrize("path", LABELLED_SETS, ids=lambda p: p.name)
def test_crisis_kind_is_right(path: Path) -> None:
    wrong = [
        f"{text!r}: expected {label}, got {detected_kind(text)}"
        for text, label in labelled_rows(path)
        if label != "none" and detected_kind(text) not in (label, "none")
    ]
    assert not wrong, "\n".join(wrong)


def test_sets_are_labelled_and_the_idiom_set_is_big_enough() -> None:
    assert {p.name for p in LABELLED_SETS} >= {"crisis_labelled.csv", "crisis_idioms.csv",
                                               "crisis_more.csv"}
    for path in LABELLED_SETS:
        rows = labelled_rows(path)
        assert {label for _, label in rows} <= {*CRISIS_KINDS, "none"}, path.name
        assert len({text for text, _ in rows}) == len(rows), f"duplicates in {path.name}"
    idioms = labelled_rows(HERE / "crisis_idioms.csv")
    assert len(idioms) >= 150 and {label for _, label in idioms} == {"none"}
    more = [label for _, label in labelled_rows(HERE / "crisis_more.csv") if label != "none"]
    assert len(more) >= 50


@pytest.mark.parametrize(
    "path", [p for p in LABELLED_SETS if any(lb == "none" for _, lb in labelled_rows(p))],
    ids=lambda p: p.name,
)
def test_false_alarms_stay_at_or_under_one_percent(path: Path) -> None:
    """At most 1% of a set's ordinary messages fire, apart from the documented decisions."""
    ordinary = [text for text, label in labelled_rows(path) if label == "none"]
    alarms = [f"{text!r} -> {detect_crisis(text)}" for text in ordinary
              if detect_crisis(text) and text not in KNOWN_FALSE_ALARMS]
    rate = len(alarms) / len(ordinary)
    assert rate <= MAX_FALSE_ALARM_RATE, f"false alarms {rate:.1%}:\n" + "\n".join(alarms)


def test_pooled_false_alarms_with_the_documented_ones_stay_at_or_under_one_percent() -> None:
    ordinary = [t for path in LABELLED_SETS for t, label in labelled_rows(path) if label == "none"]
    alarms = [t for t in ordinary if detect_crisis(t)]
    assert set(alarms) <= KNOWN_FALSE_ALARMS
    assert len(alarms) / len(ordinary) <= MAX_FALSE_ALARM_RATE


def _crisis_rows() -> list[tuple[str, str]]:
    return [
        (t, label) for path in LABELLED_SETS for t, label in labelled_rows(path) if label != "none"
    ]


def _stretch_one_word(text: str) -> str:
    """'he took too many pills' -> 'he took too maaaany pills' (the longest word's vowel)."""
    word = max(text.split(), key=len)
    stretched = re.sub(r"([aeiou])", r"\1\1\1\1", word, count=1)
    return text.replace(word, stretched, 1)


@pytest.mark.parametrize(
    "variant",
    [
        str.upper,
        lambda t: re.sub(r"[^\w\s]", "", t),
        lambda t: t.replace("'", "\u2019"),
        _stretch_one_word,
        lambda t: f"\U0001f62d {t} \U0001f64f",
        lambda t: f"ok so. {t}...",
    ],
    ids=["upper", "no-punctuation", "curly-apostrophe", "stretched", "emoji", "wrapped"],
)
def test_crisis_survives_texting_variations(variant: Callable[[str], str]) -> None:
    wrong = [
        f"{variant(text)!r}: expected {label}, got {detected_kind(variant(text))}"
        for text, label in _crisis_rows()
        if detected_kind(variant(text)) != label
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("crisis", "kind"),
    [("he's not breathing", "overdose"), ("my friend overdosed", "overdose"),
     ("i want to die", "suicide"), ("im suicidal", "suicide"), ("he has a gun", "danger"),
     ("my bf is beating me", "danger")],
)
def test_crisis_inside_an_ordinary_message_still_fires(crisis: str, kind: str) -> None:
    """Near-miss wording (past tense, grief, questions) must not silence a real crisis nearby."""
    ordinary = [t for path in LABELLED_SETS for t, label in labelled_rows(path) if label == "none"]
    joined = [joined for text in ordinary
              for joined in (f"{text} {crisis}", f"{crisis} {text}", f"{text}, {crisis}",
                             f"{text} and {crisis}")]
    assert_reported_as(kind, joined)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my bf od'd hes not breathing", "overdose"),
        ("cant do this anymore i want to die", "suicide"),
        ("theres a guy with a gun outside", "danger"),
        ("he's O.D.'ing", "overdose"),
        ("he’s not breathing", "overdose"),  # curly apostrophe
        ("HE IS NOT BREATHING!!!", "overdose"),
        ("i want to diiiiie", "suicide"),
        ("he is\nnot breathing", "overdose"),
        ("not\u200bbreathing", "overdose"),  # a zero-width space still separates words
        ("not brea\u00adth\u200ding", "overdose"),  # soft hyphen and joiner are dropped
        ("kms", "suicide"),
        ("i used to be suicidal and it is coming back", "suicide"),
        ("he used to hit me and now hes doing it again", "danger"),
        ("my friend overdosed where can i get narcan", "overdose"),
        ("he overdosed, i dont have a narcan kit", "overdose"),
        ("he overdosed and i dont have a narcan kit", "overdose"),
    ],
)
def test_phrasings(text: str, kind: str | None) -> None:
    signal = detect_crisis(text)
    assert (signal.kind if signal else None) == kind, signal


@pytest.mark.parametrize(
    "text",
    [
        "this wait list is killing me",
        "my feet are killing me",
        "I'd kill for a sandwich",
        "dying to get into detox",
        "I killed it at my interview",
        "overdose prevention training",
        "where can I get narcan",
        "I lost a friend to an overdose last year",
        "how do I use naloxone",
        "is 988 free",
        "I used to feel suicidal but now I'm doing better",
        "I'm not suicidal, I just need a detox bed",
        "I got my vivitrol shot today",
        "she hit me up about a meeting",
        "I don't want to die like my brother did, I need treatment",
        "I want to take my life back",
        "I need to end things with my dealer",
    ],
)
def test_near_misses_stay_quiet(text: str) -> None:
    assert detect_crisis(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [  # the decisions documented in docs/crisis-detection.md
        ("I'm not going to kill myself", "suicide"),
        ("he's having a seizure", "overdose"),
        ("will I get in trouble if I call 911 for my friend", "danger"),
        ("how do I know if someone is overdosing", "overdose"),
        ("my brother died from an overdose two years ago", None),
        ("I was suicidal last night", "suicide"),
        ("I don't want to live anymore", "suicide"),
        ("I don't want to live like this anymore, I need rehab", None),
        ("I'm dopesick", None),
        ("I want to hurt someone", "danger"),
        ("this commute makes me want to kill myself", "suicide"),
        ("after my overdose I started treatment", None),
        ("beats me why", None),
        ("my back is hurting me", None),
        ("what should I do if someone overdoses", None),
        ("I don't feel safe at my sober house", "danger"),
        ("he's going to kill me if I leave", "danger"),
        ("my sponsor will kill me if I miss a meeting", None),
        ("I can't do this anymore", "suicide"),
        ("my friend is suicidal, where can she get help", "suicide"),
        ("I'm scared my son will overdose", None),
        ("he's not moving", "overdose"),
        ("the line is not moving", None),
    ],
)
def test_documented_decisions(text: str, kind: str | None) -> None:
    signal = detect_crisis(text)
    assert (signal.kind if signal else None) == kind, signal


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Help, HE IS NOT BREATHING!", (12, 25)),  # "NOT BREATHING", as typed
        ("my bf OD'd", (0, 10)),  # rewritten by normalization: the whole message
    ],
)
def test_locate_points_at_the_phrase_in_the_original_text(
    text: str, span: tuple[int, int]
) -> None:
    signal = detect_crisis(text)
    assert signal is not None
    assert locate(text, signal) == span


def test_signal_explains_itself() -> None:
    signal = detect_crisis("Narcan isn't working!!")
    assert signal == CrisisSignal("overdose", "narcan isnt working", "naloxone_failing", "other")


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("sooo", "so"),
        ("pleeeease", "please"),
        ("overdoseing", "overdosing"),
        ("over dosed", "overdosed"),
        ("OD'd", "overdosed"),
        ("od’ing", "overdosing"),
        ("o.d.", "overdose"),
        ("kms", "kill myself"),
        ("I'm", "im"),
        ("he is", "hes"),
        ("my bf", "my boyfriend"),
        ("wanna", "want to"),
        ("ｈｅｌｌｏ", "hello"),  # full-width letters fold under NFKC
        ("a\tb\x00c", "a b c"),
        ("", ""),
    ],
)
def test_normalize(raw: str, normalized: str) -> None:
    assert normalize(raw) == normalized


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is None or signal.kind in CRISIS_KINDS


@settings(max_examples=30, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abc .,!\n\u202e\u200f\u0627\u05d0\U0001f600\x00\x1b")),
        min_size=0,
        max_size=50_000,
    )
)
def test_never_raises_on_huge_rtl_emoji_or_control_text(text: str) -> None:
    detect_crisis(text)


def test_a_crisis_is_found_inside_emoji_and_rtl_marks() -> None:
    signal = detect_crisis("\u202e😭😭 he's not breathing 🙏🙏")
    assert signal is not None and signal.kind == "overdose"


def test_non_text_is_not_a_crisis() -> None:
    assert detect_crisis(None) is None  # type: ignore[arg-type]


SUBJECT_SETS = [HERE / "crisis_more.csv", HERE / "crisis_es.csv"]


def _subject_rows(path: Path) -> list[tuple[str, str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(r["text"], r["label"], r["subject"]) for r in csv.DictReader(handle)
                if r["label"] != "none"]


@pytest.mark.parametrize("path", SUBJECT_SETS, ids=lambda p: p.name)
def test_subject_says_who_is_in_danger_on_the_labelled_set(path: Path) -> None:
    """These sets label who is in danger: the writer, someone else, or unknown."""
    wrong = []
    for text, _, subject in _subject_rows(path):
        signal = detect_crisis(text)
        if signal is None or signal.subject != subject:
            wrong.append(f"{text!r}: expected {subject}, got {signal}")
    assert not wrong, "\n".join(wrong)
    assert {s for _, _, s in _subject_rows(path)} == {"self", "other", "unknown"}


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("I took too many pills", "self"),
        ("my friend isn't breathing", "other"),
        ("i think im overdosing", "self"),
        ("i found my brother unresponsive", "other"),
        ("we narcanned him and he went back out", "other"),
        ("narcan isn't working", "other"),
        ("overdosing", "unknown"),
        ("i want to kill myself", "self"),
        ("thinking of ending it", "self"),
        ("my son said he wants to die", "other"),
        ("my wife found my note and took my pills away", "self"),
        ("he shot himself", "other"),
        ("he's hitting me", "self"),
        ("my dad is hitting my mom", "other"),
        ("someone got stabbed outside", "other"),
        ("help hes bleeding a lot", "other"),
        ("theres a guy with a gun outside", "unknown"),
        ("please call 911", "unknown"),
    ],
)
def test_subject(text: str, subject: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and signal.subject == subject, signal


@pytest.mark.parametrize(
    ("text", "first"),
    [("overdosing", "en"), ("no respira", "es"), ("the de", "en"), ("que no", "es"),
     ("help my son no respira", "en")],
)
def test_the_likelier_language_is_read_first_and_english_wins_a_tie(text: str, first: str) -> None:
    from core.crisis.detect import languages_for

    assert [language.code for language in languages_for(text)] == [first, {"en": "es",
                                                                          "es": "en"}[first]]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a clause break after the match ends its clause: "years ago" belongs to the next one
        ("my friend overdosed. i quit using years ago", "overdose"),
        # "again" cancels the past marker, but a hypothetical in the same clause still counts
        ("last year we learned what to do if someone overdoses again", None),
    ],
)
def test_clause_and_suppressor_order(text: str, kind: str | None) -> None:
    signal = detect_crisis(text)
    assert (signal.kind if signal else None) == kind, signal


def test_subject_looks_only_inside_the_phrase_that_fired() -> None:
    """Words after the phrase ("my friend gave me this") do not decide who is overdosing."""
    signal = detect_crisis("i think im overdosing my friend gave me this")
    assert signal is not None and signal.subject == "self"
