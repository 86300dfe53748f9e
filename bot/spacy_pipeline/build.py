"""Build the spaCy pipeline for Rasa's SpacyNLP.

``--out`` (``build/spacy_pipeline``, what config.yml loads) is ``spacy.blank("en")``: the
tokenizer only. It has no word vectors, so there is no SpacyFeaturizer; DIET extracts the
entities (docs/nlu-evaluation.md tells why no entity ruler is shipped).

Run from the repository root with the Rasa environment::

    .venv-rasa/bin/python -m bot.spacy_pipeline.build --out build/spacy_pipeline
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy


def build_tokenizer_pipeline() -> spacy.language.Language:
    """A blank English pipeline: spaCy's rule-based English tokenizer, nothing else."""
    return spacy.blank("en")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="folder for the pipeline config.yml loads (tokenizer only)",
    )
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    build_tokenizer_pipeline().to_disk(args.out)
    print(f"wrote {args.out} (tokenizer only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
