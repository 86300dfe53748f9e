"""Each container image holds every module its code imports (no Docker engine needed).

A module that the web app imports but web.Dockerfile does not copy would start fine here and
fail at the first import in production (as bot/language.py once did in the web image)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUR_PACKAGES = {"web", "actions", "resources_db", "bot", "core", "devstack"}


def copied_files(dockerfile: Path) -> set[Path]:
    """Repository files the image's COPY lines bring in (sources only, no --from stages)."""
    files: set[Path] = set()
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] != "COPY" or any(p.startswith("--from") for p in parts):
            continue
        for source in parts[1:-1]:
            path = ROOT / source
            files.update(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else (
                files.add(path))
    return files


def imported_modules(path: Path) -> set[str]:
    """Our modules `path` imports (at any depth of the file, lazily imported ones too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    # a module needs its packages too (their __init__.py runs first)
    parts = [name.split(".") for name in names]
    names.update(".".join(p[:i]) for p in parts for i in range(1, len(p)))
    return {name for name in names if name.split(".")[0] in OUR_PACKAGES}


def module_file(name: str) -> Path | None:
    """The file of a module of ours, or None when `name` is not a module (an attribute)."""
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@pytest.mark.parametrize("dockerfile", sorted((ROOT / "docker").glob("*.Dockerfile")),
                         ids=lambda p: p.name)
def test_every_module_an_image_imports_is_copied_into_it(dockerfile: Path) -> None:
    files = copied_files(dockerfile)
    missing: set[str] = set()
    for path in (f for f in files if f.suffix == ".py"):
        for name in imported_modules(path):
            needed = module_file(name)
            if needed is not None and needed not in files:
                missing.add(f"{needed.relative_to(ROOT)} (imported by {path.relative_to(ROOT)})")
    assert not missing, f"{dockerfile.name} does not copy: {sorted(missing)}"
