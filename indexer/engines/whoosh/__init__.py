"""The Whoosh engine (pure Python; the design card's default). Config table `[index.whoosh]`."""
from __future__ import annotations

from pathlib import Path

from nianbao.config import WhooshSettings

Options = WhooshSettings  # the `[index.whoosh]` table (nianbao/config.py)


def open_engine(path: Path, *, create: bool, options: Options):
    """The Whoosh index at `path`."""
    from indexer.engines.whoosh.engine import WhooshEngine

    return WhooshEngine(path, create=create, writer_timeout=options.writer_timeout_seconds)
