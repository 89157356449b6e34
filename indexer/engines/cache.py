"""Open engines shared by a long-running process (the web app owns one `EngineCache` and closes it on shutdown).

One engine per index target: `nianbao index --rebuild` builds a new folder and swaps the index path to it, so
the first request after a swap opens the new index and the cache lets go of the old engine (its files are
released when the last request using it ends), instead of every old index staying open for good.
"""
from __future__ import annotations

import threading
from pathlib import Path

from indexer.engines import Engine, open_engine


class EngineCache:
    """The engine of one configured index, reopened when the index path points somewhere new."""

    def __init__(self, name: str, path: Path, options: object | None = None):
        self.name, self.path, self.options = name, Path(path), options
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._target: Path | None = None

    def engine(self) -> Engine:
        """The engine of the index the path points at now (opened on first use and after a swap)."""
        target = self.path.resolve()
        with self._lock:
            if self._engine is None or self._target != target:
                stale, self._engine = self._engine, open_engine(self.name, self.path, options=self.options)
                self._target = target
                if stale is not None:
                    stale.close()
            return self._engine

    def close(self) -> None:
        """Release the open engine (the app is shutting down)."""
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine, self._target = None, None
