"""Build the spaCy pipeline that Rasa's SpacyNLP loads from ``build/spacy_pipeline``.

The pipeline is ``spacy.blank("en")`` plus one ``entity_ruler`` (matching on lower case)
fed by the gazetteer's place patterns (label ``location``) and the term lists kept next to
this file (labels ``need`` and ``insurance``). A blank pipeline has no word vectors, so the
Rasa config uses it for tokenizing and rule-based entities only.

Run from the repository root with the Rasa environment::

    .venv-rasa/bin/python -m bot.spacy_pipeline.build \
        --patterns build/place_patterns.jsonl --out build/spacy_pipeline
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterable, List

import spacy

TERM_LISTS_DIR = Path(__file__).resolve().parent
TERM_LIST_FILES = ("need_terms.jsonl", "insurance_terms.jsonl")


def read_patterns(path: Path) -> List[dict]:
    """Read EntityRuler patterns, one JSON object per line (blank lines and # comments skipped)."""
    patterns: List[dict] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                pattern = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not valid JSON ({error.msg})") from None
            if "label" not in pattern or "pattern" not in pattern:
                raise ValueError(f"{path}:{number}: a pattern needs 'label' and 'pattern'")
            patterns.append(pattern)
    return patterns


def term_patterns() -> List[dict]:
    """The need and insurance term lists shipped with the bot."""
    patterns: List[dict] = []
    for name in TERM_LIST_FILES:
        patterns.extend(read_patterns(TERM_LISTS_DIR / name))
    return patterns


def build_pipeline(patterns: Iterable[dict]) -> "spacy.language.Language":
    """A blank English pipeline with one case-insensitive entity ruler."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(list(patterns))  # type: ignore[attr-defined]
    return nlp


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", type=Path, required=True,
                        help="place patterns (JSON lines, label 'location') from the gazetteer")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the pipeline to")
    args = parser.parse_args(argv)

    if not args.patterns.exists():
        print(f"error: {args.patterns} not found; run "
              "`python -m resources_db.gazetteer export-patterns` first", file=sys.stderr)
        return 2
    try:
        places = read_patterns(args.patterns)
        terms = term_patterns()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    nlp = build_pipeline([*terms, *places])
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    print(f"wrote {args.out} with {len(places)} place and {len(terms)} term patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
