"""Shell: checks made before a command starts work, each failing with one line that says what and how to fix it.

A busy port, an unwritable index or state folder and a missing corpus used to surface as a traceback after
"serving on …" had been printed; `serve`, `demo`, `index` and `crawl` call these first instead.
"""
from __future__ import annotations

import errno
import tempfile
from pathlib import Path

from nianbao.config import Settings


class StartupError(Exception):
    """The command cannot start; the message is one line for the operator."""


def require_corpus(settings: Settings) -> None:
    """The corpus folder exists (the indexer reads it)."""
    corpus = Path(settings.paths.corpus)
    if not corpus.is_dir():
        raise StartupError(f"corpus folder not found: {corpus} (run `nianbao crawl` first, or set [paths] corpus "
                           f"in {settings.source})")


def require_writable(folder: Path, what: str, key: str, settings: Settings) -> None:
    """`folder` exists or can be made, and a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise StartupError(f"the {what} folder {folder} is not writable ({exc.strerror or exc}): fix its "
                           f"permissions, or set [paths] {key} in {settings.source} to a writable place") from None


def require_index_writable(settings: Settings) -> None:
    require_writable(Path(settings.paths.index).parent, "index", "index", settings)


def require_state_writable(settings: Settings) -> None:
    require_writable(Path(settings.paths.state).parent, "state", "state", settings)


def create_server(app, host: str, port: int, threads: int):
    """A waitress server bound to `host:port`, or a StartupError naming the port and what to do."""
    import waitress

    try:
        return waitress.create_server(app, host=host, port=port, threads=threads, ident="nianbao")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(f"port {port} on {host} is already in use (another `nianbao serve`?): stop that "
                               f"process, or choose another port with --port or the PORT variable") from None
        if exc.errno == errno.EACCES:
            raise StartupError(f"not allowed to listen on port {port}: ports below 1024 need root; choose another "
                               f"with --port or the PORT variable") from None
        raise StartupError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): check [web] host and port") from None
