"""Search engines behind one small interface (`Engine`), found by name: every subpackage of this folder is an
engine (`whoosh`, `tantivy`, `reference`, …), chosen by `[index] engine` in config.toml and configured by its
own table `[index.<name>]`.

An engine package exports `Options` (its settings dataclass, declared in nianbao/config.py beside the other
tables: the keys its `[index.<name>]` table may hold, with defaults) and `open_engine(path, *, create, options)`. Importing the package must stay light: the search library is
imported by `open_engine`, not before. A new engine is "pass tests/engines/contract against the reference".
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from indexer.engines.base import Engine, EngineError, IndexLocked, RebuildNeeded, SectionDoc

__all__ = ["Engine", "EngineError", "IndexLocked", "RebuildNeeded", "SectionDoc", "check_engine_name",
           "engine_names", "engine_options", "open_engine"]


def engine_names() -> tuple[str, ...]:
    """Every engine this build has: the subpackages of indexer/engines (listed, not imported)."""
    return tuple(sorted(module.name for module in pkgutil.iter_modules(__path__) if module.ispkg))


def check_engine_name(name: str) -> None:
    """Raise EngineError (one line for the user) unless `name` is an engine this build knows."""
    if name not in engine_names():
        raise EngineError(f"unknown search engine '{name}' (available: {', '.join(engine_names())})")


def _package(name: str) -> ModuleType:
    check_engine_name(name)
    return importlib.import_module(f"{__name__}.{name}")


def engine_options(name: str) -> type:
    """The `Options` dataclass of engine `name` (what its `[index.<name>]` table may hold)."""
    return _package(name).Options


def open_engine(name: str, path: Path, *, create: bool = False, options: object | None = None) -> Engine:
    """Open (or with `create`, make anew) the index at `path` with the named engine and its options."""
    package = _package(name)
    return package.open_engine(Path(path), create=create, options=options or package.Options())
