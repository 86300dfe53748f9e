"""Build the spaCy pipelines for Rasa's SpacyNLP.

``--out`` (``build/spacy_pipeline``, what config.yml loads) is ``spacy.blank("en")``: the
tokenizer only. ``--ruler-out`` (``build/spacy_ruler``) adds one ``entity_ruler`` (matching on
lower case) fed by the gazetteer's place patterns (label ``location``) and the term lists kept
next to this file (labels ``need`` and ``insurance``); it is the candidate pipeline (A) of
docs/nlu-evaluation.md. The shipped configuration does not use the ruler: with ~206,000
place patterns it costs about 1.3 GB of memory and 25 s of start-up in the Rasa server, and
DIET alone extracts the entities as well (measured there). Neither pipeline has word
vectors, so there is no SpacyFeaturizer.

Run from the repository root with the Rasa environment::

    .venv-rasa/bin/python -m bot.spacy_pipeline.build \
        --patterns build/place_patterns.jsonl --out build/spacy_pipeline \
        [--ruler-out build/spacy_ruler]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import spacy

TERM_LISTS_DIR = Path(__file__).resolve().parent
TERM_LIST_FILES = ("need_terms.jsonl", "insurance_terms.jsonl")


def read_patterns(path: Path) -> list[dict]:
    """Read EntityRuler patterns, one JSON object per line (blank lines and # comments skipped)."""
    patterns: list[dict] = []
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


def term_patterns() -> list[dict]:
    """The need and insurance term lists shipped with the bot."""
    patterns: list[dict] = []
    for name in TERM_LIST_FILES:
        patterns.extend(read_patterns(TERM_LISTS_DIR / name))
    return patterns


def build_tokenizer_pipeline() -> spacy.language.Language:
    """A blank English pipeline: spaCy's rule-based English tokenizer, nothing else."""
    return spacy.blank("en")


def build_pipeline(patterns: Iterable[dict]) -> spacy.language.Language:
    """A blank English pipeline with one case-insensitive entity ruler."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(list(patterns))  # type: ignore[attr-defined]
    return nlp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", type=Path, required=True,
                        help="place patterns (JSON lines, label 'location') from the gazetteer")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder for the pipeline config.yml loads (tokenizer only)")
    parser.add_argument("--ruler-out", type=Path, default=None,
                        help="also write the entity-ruler pipeline (candidate A) here")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    build_tokenizer_pipeline().to_disk(args.out)
    print(f"wrote {args.out} (tokenizer only)")
    if args.ruler_out is None:
        return 0

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
    args.ruler_out.mkdir(parents=True, exist_ok=True)
    build_pipeline([*terms, *places]).to_disk(args.ruler_out)
    print(f"wrote {args.ruler_out} with {len(places)} place and {len(terms)} term patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
