"""Shell, the scheduler's heartbeat: `nianbao schedule` records one row in the crawl database at every poll,
so the console and `nianbao status` can say whether the daemon is alive, stale or stopped.

Kept apart from `crawler.state` (the crawl's own tables): the heartbeat belongs to the daemon process that the
shell starts, not to a crawl. One row (id 1): the latest daemon wins, and only one runs per database anyway
(`crawler.daemon.DaemonLock`). A beat is "stale" after three polls plus a grace period without a new one:
the process was killed (kill -9 leaves no stop record) or hangs.
"""
from __future__ import annotations

import os
import socket
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

GRACE_SECONDS = 30.0
_TABLE = """CREATE TABLE IF NOT EXISTS daemon_heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, started_at TEXT NOT NULL,
    beat_at TEXT NOT NULL, poll_seconds REAL NOT NULL, stopped_at TEXT)"""


@dataclass(frozen=True)
class Heartbeat:
    """The latest daemon's last sign of life (UTC ISO times)."""

    pid: int
    host: str
    started_at: str
    beat_at: str
    poll_seconds: float
    stopped_at: str | None = None

    def state(self, now: datetime) -> str:
        """`running`, `stale` (no beat for three polls and a grace period) or `stopped`."""
        if self.stopped_at:
            return "stopped"
        late = timedelta(seconds=3 * self.poll_seconds + GRACE_SECONDS)
        return "running" if now - datetime.fromisoformat(self.beat_at) <= late else "stale"


class HeartbeatRecorder:
    """What the daemon process calls: `beat()` at every poll, `stopped()` on a clean exit."""

    def __init__(self, state_path: Path, poll_seconds: float):
        self.path, self.poll_seconds = Path(state_path), poll_seconds
        self.started_at = _now()

    def beat(self) -> None:
        """Record that the daemon is alive now."""
        with closing(_connect(self.path)) as db:
            db.execute("INSERT OR REPLACE INTO daemon_heartbeat VALUES (1, ?, ?, ?, ?, ?, NULL)",
                       (os.getpid(), socket.gethostname(), self.started_at, _now(), self.poll_seconds))

    def stopped(self) -> None:
        """Record a clean stop (SIGTERM, or the end of `--once`)."""
        with closing(_connect(self.path)) as db:
            db.execute("UPDATE daemon_heartbeat SET stopped_at = ? WHERE pid = ?", (_now(), os.getpid()))


def last_heartbeat(state_path: Path) -> Heartbeat | None:
    """The latest daemon's heartbeat, or None when no daemon ever ran on this database."""
    if not Path(state_path).exists():
        return None
    with closing(_connect(Path(state_path))) as db:
        row = db.execute("SELECT pid, host, started_at, beat_at, poll_seconds, stopped_at FROM daemon_heartbeat "
                         "WHERE id = 1").fetchone()
    return Heartbeat(*row) if row else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute(_TABLE)
    return db
