"""The tantivy engine (Rust; large corpora). Config table `[index.tantivy]`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    writer_heap_mb: int = 256     # tantivy's indexing memory budget
    analysis_workers: int = 0     # processes analysing text while tantivy indexes; 0: one per core


def open_engine(path: Path, *, create: bool, options: Options):
    """The tantivy index at `path`."""
    from indexer.engines.tantivy.engine import TantivyEngine

    return TantivyEngine(path, create=create, analysis_workers=options.analysis_workers or None,
                         writer_heap_bytes=options.writer_heap_mb * 1_000_000)
