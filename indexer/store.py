"""Index stage: where an index lives and how a rebuilt one replaces it (the index-store protocol).

`build_index` speaks only this protocol: lock, tell whether an index exists, stage a fresh location for a
rebuild, promote it atomically (readers of the old one keep answering), discard a failed one, and read or
write the manifest naming what built an index. `FolderStore` is the local implementation (a symlink swapped
in one rename, a lock file beside it, a JSON manifest inside the folder); a server engine for the scale-out
path would bring its own store (an alias swap, a lease), and the build loop stays the same.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from indexer.engines.base import IndexLocked

MANIFEST_NAME = "nianbao-index.json"


class IndexStore(Protocol):
    """The lifecycle of one configured index."""

    def lock(self) -> AbstractContextManager[None]:
        """Hold the exclusive build lock (IndexLocked when another build holds it)."""

    def exists(self) -> bool:
        """Whether a live index is there."""

    def current(self) -> Path:
        """The location engines open for the live index."""

    def stage(self) -> Path:
        """A fresh location for a rebuild, not yet seen by readers."""

    def promote(self, staged: Path) -> None:
        """Make `staged` the live index in one step; the previous one goes."""

    def discard(self, staged: Path) -> None:
        """Drop a staged location whose build failed."""


def read_manifest(location: Path) -> dict | None:
    """The manifest of the index at `location`; None when there is none or it cannot be read."""
    try:
        data = json.loads((Path(location) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def write_manifest(location: Path, data: dict) -> None:
    """Record what built the index at `location` (engine, analysis, vocabulary)."""
    (Path(location) / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")


def has_manifest(location: Path) -> bool:
    return (Path(location) / MANIFEST_NAME).exists()


class FolderStore:
    """An index in a local folder: `path` is a symlink to the live folder, swapped atomically on promote."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @contextmanager
    def lock(self) -> Iterator[None]:
        # A file beside the index, not inside it: a rebuild replaces the folder.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(f".{self.path.name}.lock"), "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexLocked(f"the index at {self.path} is being written by another process; "
                                  "try again when it has finished") from None
            yield

    def exists(self) -> bool:
        return self.path.is_dir() and any(self.path.iterdir())

    def current(self) -> Path:
        return self.path

    def stage(self) -> Path:
        return self.path.with_name(f"{self.path.name}.{time.time_ns():x}")

    def promote(self, staged: Path) -> None:
        """Point the index path (a symlink) at `staged` in one atomic rename; drop the previous folder.

        Readers that opened the previous folder keep their open files; new readers see the new one.
        """
        previous = self.path.resolve() if self.path.is_symlink() else None
        if self.path.exists() and not self.path.is_symlink():  # a plain folder from an older layout
            previous = self.path.with_name(f"{self.path.name}.old")
            shutil.rmtree(previous, ignore_errors=True)
            self.path.rename(previous)
        link = self.path.with_name(f".{self.path.name}.link")
        link.unlink(missing_ok=True)
        link.symlink_to(Path(staged).name)
        os.replace(link, self.path)
        if previous is not None and previous != Path(staged):
            shutil.rmtree(previous, ignore_errors=True)

    def discard(self, staged: Path) -> None:
        shutil.rmtree(staged, ignore_errors=True)
