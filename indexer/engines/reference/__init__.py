"""The reference engine: the query language answered by a linear scan of every section (no index structure).

The oracle the contract suite (tests/engines/contract) holds every other engine to, and `nianbao bench`'s
baseline; also usable for tiny corpora (`[index] engine = "reference"`). Config table `[index.reference]`.
"""
from __future__ import annotations

from pathlib import Path

from nianbao.config import ReferenceSettings

Options = ReferenceSettings  # the `[index.reference]` table (nianbao/config.py)


def open_engine(path: Path, *, create: bool, options: Options):
    """The reference index at `path` (two JSON-lines files)."""
    from indexer.engines.reference.engine import ReferenceEngine

    return ReferenceEngine(path, create=create)
