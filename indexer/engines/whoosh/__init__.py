"""The Whoosh engine (pure Python; the design card's default). Config table `[index.whoosh]`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    writer_timeout_seconds: float = 2.0  # how long a write waits for another writer before IndexLocked


def open_engine(path: Path, *, create: bool, options: Options):
    """The Whoosh index at `path`."""
    from indexer.engines.whoosh.engine import WhooshEngine

    return WhooshEngine(path, create=create, writer_timeout=options.writer_timeout_seconds)
