"""Write tests/bot/crisis_tables/*.csv: one example for every alternative of the crisis tables.

    .venv/bin/python tests/bot/crisis_tables_gen.py        # rewrite the CSVs, print counts

Most of what core.crisis does lives in module-level tables (regular-expression alternations,
word maps). Deleting one alternative must make some test fail (docs/crisis-detection.md,
Mutation testing). This script walks every rule's compiled pattern and writes, for every
alternative of every group (and every optional part), the shortest phrase that takes that
alternative, with what the detector says about it today (kind, rule, matched phrase). For
every suppressor alternative it writes a crisis phrase next to the suppressor's phrase that
stays quiet (and would fire without it); for every "happening again" word and clause break, a
message that fires only because of it; for every word map entry, its normalization.

The CSVs are frozen: test_crisis_tables.py checks the detector against them, so a deleted
alternative shows up as a changed answer. Generated phrases read like telegrams ("hes
blue", "in 2019 im suicidal"); they pin the tables, while the labelled sets (crisis_*.csv)
measure the detector on messages as people write them. Re-run this after changing a table on
purpose, and read the diff: every changed line is a changed decision.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:  # Python 3.11+
    import re._constants as C  # type: ignore[import-not-found]
    import re._parser as P  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from core.crisis import (  # noqa: E402
    detect,
    subject,
    suppressors,
    suppressors_es,
    textnorm,
    textnorm_es,
)
from core.crisis.detect import ENGLISH, SPANISH, Language, detect_crisis  # noqa: E402

OUT = Path(__file__).resolve().parent / "crisis_tables"
_WORD_FILLER = "x"


# ------------------------------------------------------------------ phrases from a pattern


def _targets(parsed: Any) -> Iterator[tuple[int, int]]:
    """(id of a BRANCH/IN/optional-repeat node, alternative index) for every alternative."""
    for op, av in parsed:
        if op is C.BRANCH:
            for k, alt in enumerate(av[1]):
                yield id(av), k
                yield from _targets(alt)
        elif op is C.IN and sum(1 for o, _ in av if o is C.LITERAL) > 1:
            for k in range(len(av)):
                yield id(av), k
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            if av[0] == 0:
                yield id(av), 0
                yield id(av), 1
            yield from _targets(av[2])
        elif op is C.SUBPATTERN:
            yield from _targets(av[-1])
        elif op is C.ASSERT and av[0] == 1:
            yield from _targets(av[1])


def _contains(parsed: Any, target: int) -> bool:
    return any(t == target for t, _ in _targets(parsed)) if parsed else False


def _has_word(parsed: Any) -> bool:
    return "CATEGORY_WORD" in str(parsed)


def _char(items: list[tuple[Any, Any]]) -> str:
    negate = any(o is C.NEGATE for o, _ in items)
    for o, v in items:
        if negate:
            break
        if o is C.LITERAL:
            return chr(v)
        if o is C.RANGE:
            return chr(v[0])
        if o is C.CATEGORY:
            return {C.CATEGORY_DIGIT: "1", C.CATEGORY_SPACE: " "}.get(v, _WORD_FILLER)
    cls = re.compile("[" + ("^" if negate else "") + "".join(
        re.escape(chr(v)) for o, v in items if o is C.LITERAL) + "]")
    return next((c for c in "x1 ,z" if cls.fullmatch(c)), "x")


def _phrase(parsed: Any, target: tuple[int, int]) -> str:
    out = []
    for op, av in parsed:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.NOT_LITERAL:
            out.append("x" if chr(av) != "x" else "z")
        elif op is C.ANY:
            out.append("x")
        elif op is C.IN:
            if id(av) == target[0]:
                out.append(_char([av[target[1]]]))
            else:
                out.append(_char(av))
        elif op is C.BRANCH:
            alts = av[1]
            k = target[1] if id(av) == target[0] else next(
                (i for i, alt in enumerate(alts) if _contains(alt, target[0])), 0)
            out.append(_phrase(alts[k], target))
        elif op is C.SUBPATTERN:
            out.append(_phrase(av[-1], target))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, body = av
            if id(av) == target[0]:
                wanted = target[1] == 1
            else:  # "t?h(?:ing)?" reads best whole ("breathing"); "(?: \w+){0,3}" best left out
                wanted = _contains(body, target[0]) or (high == 1 and not _has_word(body))
            times = max(low, 1 if wanted else 0)
            word = len(body) == 1 and body[0][0] is C.IN and (C.CATEGORY, C.CATEGORY_WORD) in \
                body[0][1]
            out.append(_WORD_FILLER if word and times else _phrase(body, target) * times)
        elif op is C.ASSERT and av[0] == 1:
            out.append(_phrase(av[1], target))
    return "".join(out)


def phrases(pattern: str) -> list[str]:
    """One phrase per alternative of `pattern` (deduplicated, whitespace collapsed)."""
    parsed = P.parse(pattern)
    seen: dict[str, None] = {}
    for target in [(0, 0), *_targets(parsed)]:
        text = " ".join(_phrase(parsed, target).split())
        if text:
            seen.setdefault(text, None)
    return list(seen)


# ------------------------------------------------------------------ the example sets


def rule_examples(language: Language) -> list[dict[str, str]]:
    rows = []
    for rule in language.rules:
        for text in phrases(rule.pattern.pattern):
            signal = detect_crisis(text)
            if signal is not None and signal.rule == rule.name:
                rows.append({"text": text, "kind": signal.kind, "rule": signal.rule,
                             "matched": signal.matched, "subject": signal.subject,
                             "language": signal.language})
    return rows


def suppressor_examples(language: Language, rules: list[dict[str, str]]) -> list[dict[str, str]]:
    """A crisis phrase kept quiet by each suppressor alternative."""
    hosts: dict[str, list[str]] = {}
    for rule in language.rules:
        texts = sorted((r["text"] for r in rules if r["rule"] == rule.name), key=len)[:40]
        for group in rule.suppressors:
            hosts.setdefault(group, []).extend(texts)
    rows = []
    for group, pattern in language.suppressors.items():
        for sample in phrases(pattern.pattern):
            tries = [sample] if group in language.overlap_only else []
            if group in language.overlap_only:  # "quiero morir" + "morir de risa"
                tries += [m for h in hosts.get(group, []) if (m := _merge(h, sample))]
            tries += [f"{sample} {h}" for h in hosts.get(group, [])]
            tries += [f"{h} {sample}" for h in hosts.get(group, [])]
            for text in tries:
                if detect_crisis(text) is None and _fires_without(text, group, language):
                    rows.append({"text": text, "group": group, "language": language.code})
                    break
    return rows


def _merge(host: str, sample: str) -> str:
    """host + sample sharing the words where one ends and the other starts, or ""."""
    h, s = host.split(), sample.split()
    for k in range(min(len(h), len(s)), 0, -1):
        if h[-k:] == s[:k]:
            return " ".join([*h, *s[k:]])
    return ""


def _fires_without(text: str, group: str, language: Language) -> bool:
    """Whether some rule that lists `group` matches the text (so the suppressor did it)."""
    norm = language.normalize(text, 1)
    flat = re.sub(r"[.!?;,]", " ", norm)
    return any(group in r.suppressors and r.pattern.search(flat) for r in language.rules)


def recurring_and_break_examples(language: Language,
                                 quiet: list[dict[str, str]]) -> list[dict[str, str]]:
    """Messages that fire only because of a "happening again" word or a clause break."""
    rows = []
    past = [r["text"] for r in quiet if r["group"] == "past"][:40]
    for word in phrases(language.recurring.pattern):
        for text in (f"{p} {word}" for p in past):
            signal = detect_crisis(text)
            if signal is not None:
                rows.append({"text": text, "kind": signal.kind, "why": "recurring",
                             "language": language.code})
                break
    window = [r for r in quiet if r["group"] not in language.overlap_only][:80]
    for brk in phrases(language.clause_break.pattern):
        for row in window:
            host = row["text"]
            for text in _split_with(host, brk):
                signal = detect_crisis(text)
                if signal is not None:
                    rows.append({"text": text, "kind": signal.kind, "why": f"break {brk!r}",
                                 "language": language.code})
                    break
            else:
                continue
            break
    return rows


def _split_with(text: str, brk: str) -> Iterator[str]:
    words = text.split()
    for i in range(1, len(words)):
        yield " ".join([*words[:i], brk.strip() or ",", *words[i:]])


def normalization_examples() -> list[dict[str, str]]:
    rows = []
    for language, module, table_names in (
        ("en", textnorm, ("_WORD_MAP",)), ("es", textnorm_es, ("_WORD_MAP_ES",)),
    ):
        norm = textnorm.normalize if language == "en" else textnorm_es.normalize_es
        for name in table_names:
            for raw in getattr(module, name):
                rows.append({"raw": raw, "normalized": norm(raw), "language": language})
    for raw in ("od", "odd", "oded", "oding", "odin", "ods", "o.d.", "o. d", "od'd", "od'ing",
                "od'in", "od's", "od'ed", "overdoseing", "over dosed", "over-dosed", "ovrdosed",
                "ovedose", "ovardose", "ovredosing", "overdosin", "overdosng", "overdosed",
                "overdoses", "i am", "he is", "she is", "they are", "it is", "that is",
                "there is", "do not", "does not", "did not", "is not", "are not", "was not",
                "will not", "would not", "could not", "can not", "my self", "want 2",
                "going 2", "have 2", "trying 2", "need 2", "got 2", "any more", "any longer",
                "sobre dosis", "sobredocis", "sobredozis", "suisidio", "suizida", "sisidio"):
        for language, norm in (("en", textnorm.normalize), ("es", textnorm_es.normalize_es)):
            rows.append({"raw": raw, "normalized": norm(raw), "language": language})
    return rows


def subject_examples() -> list[dict[str, str]]:
    """Every person word of subject.py, in a phrase whose subject it decides."""
    rows = []
    frames = {"en": ("{} took too many pills", "{} is hitting {}"),
              "es": ("{} tomo demasiadas pastillas", "{} le esta pegando a {}")}
    for language, (first, third) in subject._WORDS.items():
        for table in (first, third):
            for word in phrases(table.pattern):
                text = frames[language][0].format(word)
                signal = detect_crisis(text)
                if signal is not None:
                    rows.append({"text": text, "subject": signal.subject,
                                 "language": language})
    for word in phrases(subject._HARM_TO_OTHER.pattern):
        text = f"someone is {word}"
        signal = detect_crisis(text)
        if signal is not None:
            rows.append({"text": text, "subject": signal.subject, "language": signal.language})
    return rows


def _write(name: str, rows: list[dict[str, str]]) -> None:
    OUT.mkdir(exist_ok=True)
    unique = list({tuple(r.items()): r for r in rows}.values())
    with (OUT / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(unique[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(unique)
    print(f"{name}: {len(unique)} rows")


def main() -> None:
    for language in (ENGLISH, SPANISH):
        rules = rule_examples(language)
        quiet = suppressor_examples(language, rules)
        _write(f"rules_{language.code}.csv", rules)
        _write(f"suppressed_{language.code}.csv", quiet)
        _write(f"fires_{language.code}.csv", recurring_and_break_examples(language, quiet))
    _write("normalized.csv", normalization_examples())
    _write("subject.csv", subject_examples())
    assert detect and suppressors and suppressors_es  # the modules whose tables these pin


if __name__ == "__main__":
    main()
