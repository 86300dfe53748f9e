"""pytest plugin (`-p mutant_plugin`) that imports one module from a mutant's source.

Set by scripts/mutation/tables.py: RN_MUTANT_MODULE (e.g. "core.redaction"), RN_MUTANT_FILE
(the module's real file, kept as its `__file__`) and RN_MUTANT_SOURCE (the mutated source).
The real file is never written, so an interrupted run leaves nothing to restore.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from types import CodeType, ModuleType


class _MutantLoader(importlib.machinery.SourceFileLoader):
    """Loads the module from the mutant's source, compiled fresh (no bytecode cache)."""

    def __init__(self, fullname: str, path: str, source_path: str) -> None:
        super().__init__(fullname, path)
        self.source_path = source_path

    def get_code(self, fullname: str) -> CodeType:
        with open(self.source_path, encoding="utf-8") as handle:
            return compile(handle.read(), self.path, "exec", dont_inherit=True)


class _MutantFinder(importlib.abc.MetaPathFinder):
    def __init__(self, module: str, path: str, source_path: str) -> None:
        self.module, self.path, self.source_path = module, path, source_path

    def find_spec(self, fullname: str, path: object = None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.module:
            return None
        loader = _MutantLoader(fullname, self.path, self.source_path)
        return importlib.util.spec_from_file_location(fullname, self.path, loader=loader)


def install(module: str, path: str, source: str) -> None:
    """Import `module` (whose file is `path`) from the file `source` from now on."""
    sys.modules.pop(module, None)
    sys.meta_path.insert(0, _MutantFinder(module, path, source))


def _install_from_environment() -> None:
    module = os.environ.get("RN_MUTANT_MODULE")
    path = os.environ.get("RN_MUTANT_FILE")
    source = os.environ.get("RN_MUTANT_SOURCE")
    if module and path and source:
        install(module, path, source)


_install_from_environment()
