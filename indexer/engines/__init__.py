"""Search engines behind one small interface (`Engine`), chosen by `[index] engine` in config.toml."""
from __future__ import annotations

from pathlib import Path

from indexer.engines.base import Engine, EngineError, IndexLocked, RebuildNeeded, SectionDoc

__all__ = ["Engine", "EngineError", "IndexLocked", "RebuildNeeded", "SectionDoc", "check_engine_name", "open_engine"]

ENGINE_NAMES = ("whoosh", "tantivy")


def check_engine_name(name: str) -> None:
    """Raise EngineError (one line for the user) unless `name` is an engine this build knows."""
    if name not in ENGINE_NAMES:
        raise EngineError(f"unknown search engine '{name}' (available: {', '.join(ENGINE_NAMES)})")


def open_engine(name: str, path: Path, *, create: bool = False) -> Engine:
    """Open (or with `create`, make anew) the index at `path` with the named engine."""
    if name == "whoosh":
        from indexer.engines.whoosh.engine import WhooshEngine

        return WhooshEngine(Path(path), create=create)
    if name == "tantivy":
        from indexer.engines.tantivy.engine import TantivyEngine

        return TantivyEngine(Path(path), create=create)
    raise EngineError(f"unknown search engine '{name}' (available: whoosh, tantivy)")
