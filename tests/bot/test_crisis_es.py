"""Spanish crisis detection: the same guarantees as English, on Spanish written as people write it.

tests/bot/crisis_es.csv holds the labelled Spanish set (crisis and near misses); recall and
false alarms on it are checked with every other set in test_crisis.py. This file checks what
is particular to Spanish.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.crisis import CRISIS_KINDS, detect_crisis
from tests.bot.crisis_sets import assert_reported_as, detected_kind, labelled_rows

HERE = Path(__file__).parent
SPANISH = HERE / "crisis_es.csv"


def test_spanish_set_is_big_enough() -> None:
    rows = labelled_rows(SPANISH)
    crisis = [t for t, label in rows if label in CRISIS_KINDS]
    ordinary = [t for t, label in rows if label == "none"]
    assert len(crisis) >= 150 and len(ordinary) >= 150
    assert all(sum(1 for _, lb in rows if lb == kind) >= 40 for kind in CRISIS_KINDS)


def test_spanish_crisis_is_reported_in_spanish() -> None:
    wrong = [f"{t!r} -> {detect_crisis(t)}" for t, label in labelled_rows(SPANISH)
             if label != "none" and (s := detect_crisis(t)) is not None and s.language != "es"]
    assert not wrong, "\n".join(wrong)


def test_english_crisis_is_reported_in_english() -> None:
    english = [p for p in sorted(HERE.glob("crisis_*.csv")) if p != SPANISH]
    wrong = [f"{t!r} -> {detect_crisis(t)}" for p in english for t, label in labelled_rows(p)
             if label != "none" and (s := detect_crisis(t)) is not None and s.language != "en"]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ya no quiero vivir", "suicide"),
        ("¿me quiero morir?", "suicide"),
        ("ME VOY A MATAR", "suicide"),
        ("se tomó todas las pastillas", "overdose"),
        ("NO RESPIRA", "overdose"),
        ("tiene una pistola!!", "danger"),
        ("me quiere matar", "danger"),
        ("¡¡ayuda!! mi hijo no respiraaaa", "overdose"),
        ("me kiero morir", "suicide"),
        ("me boy a matar", "suicide"),
        ("se tomo todas las pastiyas", "overdose"),
        ("mi hijo tiene una sobre dosis", "overdose"),
        ("quiero suisidarme", "suicide"),
        ("hace dos años que me quiero morir", "suicide"),  # ongoing, not past
    ],
)
def test_spanish_as_typed(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and (signal.kind, signal.language) == (kind, "es"), signal


@pytest.mark.parametrize(
    "text",
    [
        "me muero de risa", "me muero de hambre", "me mata el tráfico",
        "estoy muerto de cansancio", "me quiero morir de la vergüenza jaja",
        "mi mamá me va a matar si llego tarde", "ya no quiero vivir así, necesito tratamiento",
        "no quiero morir como mi hermano", "tengo miedo de tener una sobredosis",
        "¿dónde consigo narcan?", "la prevención del suicidio es importante",
        "no soy suicida, solo necesito una cama", "me corté el pelo",
        "mi hijo juega con una pistola de juguete", "me colgaron el teléfono",
    ],
)
def test_spanish_idioms_stay_quiet(text: str) -> None:
    assert detect_crisis(text) is None


@pytest.mark.parametrize(
    ("crisis", "kind"),
    [("no respira", "overdose"), ("se tomo todas las pastillas", "overdose"),
     ("me quiero morir", "suicide"), ("ya no quiero vivir", "suicide"),
     ("tiene una pistola", "danger"), ("mi esposo me esta golpeando", "danger")],
)
def test_spanish_crisis_inside_an_ordinary_spanish_message_still_fires(
    crisis: str, kind: str
) -> None:
    """A past-tense or idiomatic near miss must not silence a real crisis next to it.

    Joined with a comma, "y", a full stop or a new line. Run together with no boundary at all,
    a time expression belongs to either side ("se tomó todas las pastillas hace años" is past),
    so that join is only checked with the crisis first where the near miss starts with
    words that open a clause (test below).
    """
    ordinary = [t for t, label in labelled_rows(SPANISH) if label == "none"]
    joined = [joined for text in ordinary
              for joined in (f"{text}, {crisis}", f"{crisis}, {text}", f"{text} y {crisis}",
                             f"{crisis} y {text}", f"{text}. {crisis}", f"{text}\n{crisis}")]
    assert_reported_as(kind, joined)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mi abuelo murio hace cinco años me quiero morir", "suicide"),
        ("perdi a mi hermano por una sobredosis hace dos años ya no quiero vivir", "suicide"),
        ("que hago si alguien tiene una sobredosis mi hijo no respira", "overdose"),
        ("sobrevivi a una sobredosis en 2019 y ahorita me tome todas mis pastillas",
         "overdose"),
        ("antes pensaba en el suicidio pero ahora me quiero matar otra vez", "suicide"),
        ("mi mama me va a matar si llego tarde pero mi novio tiene una pistola", "danger"),
    ],
)
def test_spanish_near_miss_does_not_silence_the_next_clause(text: str, kind: str) -> None:
    assert detected_kind(text) == kind, detect_crisis(text)
