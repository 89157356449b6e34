"""The tantivy engine (Rust; large corpora). Config table `[index.tantivy]`."""
from __future__ import annotations

from pathlib import Path

from nianbao.config import TantivySettings

Options = TantivySettings  # the `[index.tantivy]` table (nianbao/config.py)


def open_engine(path: Path, *, create: bool, options: Options):
    """The tantivy index at `path`."""
    from indexer.engines.tantivy.engine import TantivyEngine

    return TantivyEngine(path, create=create, writer_heap_bytes=options.writer_heap_mb * 1_000_000,
                         aggregation_buckets=options.aggregation_buckets)
