"""Serve stage, console access: the configured password hash, the session secret, server-side sessions,
and a login throttle.

Sessions are kept on the server (`SessionStore`, a small SQLite file beside the crawl state): the signed
cookie carries only a random session id, so logging out deletes the session for every copy of the cookie,
and a session opened under another password hash is refused and deleted. Lifetime: `[web] session_hours`.

Traps for the next engineer: the throttle lives in process memory (one `nianbao serve` process with many
threads: right; several processes behind a balancer would each count separately), and it counts failed
logins per client address, which behind a reverse proxy is the proxy's (one shared budget, still safe).
"""
from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path

from werkzeug.security import check_password_hash

from nianbao.config import Settings

PASSWORD_ENV = "NIANBAO_ADMIN_PASSWORD_HASH"
SECRET_ENV = "NIANBAO_SECRET_KEY"
SECRET_FILE = "console-secret.key"
SESSIONS_FILE = "console-sessions.sqlite3"


def password_hash(settings: Settings) -> str:
    """The console password hash: environment first, then `[web] admin_password_hash`; empty = disabled."""
    return (os.environ.get(PASSWORD_ENV) or settings.web.admin_password_hash).strip()


def password_matches(settings: Settings, password: str) -> bool:
    """True when `password` matches the configured hash (werkzeug's constant-time check)."""
    stored = password_hash(settings)
    if not stored:
        return False
    try:
        return check_password_hash(stored, password)
    except (ValueError, TypeError):  # a malformed hash in the config never matches
        return False


def session_marker(settings: Settings) -> str:
    """Stored in the session at login: changing the password hash logs every session out."""
    return hashlib.sha256(password_hash(settings).encode("utf-8")).hexdigest()[:16]


def secret_key(settings: Settings) -> str:
    """The session-signing secret: environment, config, else one generated once and kept beside the state."""
    configured = os.environ.get(SECRET_ENV) or settings.web.secret_key
    if configured:
        return configured
    path = Path(settings.paths.state).parent / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another thread or process made it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(value)
    return value


class SessionStore:
    """Console sessions by id; only a hash of each id is stored (a copied database opens no session)."""

    def __init__(self, path: Path, lifetime_seconds: float):
        self.path, self.lifetime = Path(path), lifetime_seconds

    def start(self, marker: str) -> str:
        """A new session for the password whose `session_marker` is `marker`; returns its id for the cookie."""
        session_id = secrets.token_urlsafe(32)
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE expires <= ?", (time.time(),))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (_digest(session_id), marker, time.time() + self.lifetime))
        return session_id

    def valid(self, session_id: str | None, marker: str) -> bool:
        """True while the session exists, has not expired and was opened under the current password."""
        if not session_id:
            return False
        with self._connect() as db:
            row = db.execute("SELECT marker, expires FROM sessions WHERE id = ?", (_digest(session_id),)).fetchone()
            if row is not None and (row[0] != marker or row[1] <= time.time()):
                db.execute("DELETE FROM sessions WHERE id = ?", (_digest(session_id),))
                return False
        return row is not None

    def end(self, session_id: str | None) -> None:
        """Delete the session: the cookie, wherever it was copied, opens nothing any more."""
        if session_id:
            with self._connect() as db:
                db.execute("DELETE FROM sessions WHERE id = ?", (_digest(session_id),))

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, marker TEXT NOT NULL, expires REAL NOT NULL)")
        return db


def session_store(settings: Settings) -> SessionStore:
    """The store of `settings`: beside the crawl state, sessions lasting `[web] session_hours`."""
    return SessionStore(Path(settings.paths.state).parent / SESSIONS_FILE, settings.web.session_hours * 3600)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii", "replace")).hexdigest()


class LoginThrottle:
    """At most `limit` failed logins per client within `window` seconds; then refuse until they age out."""

    def __init__(self, limit: int = 5, window: float = 300.0):
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds until `client` may try again; 0 when allowed now."""
        with self.lock:
            recent = self._recent(client)
            if len(recent) < self.limit:
                return 0
            return max(1, int(recent[0] + self.window - time.monotonic()) + 1)

    def failed(self, client: str) -> None:
        """Count one failed login."""
        with self.lock:
            self._recent(client).append(time.monotonic())

    def succeeded(self, client: str) -> None:
        """Forget the client's failures."""
        with self.lock:
            self.failures.pop(client, None)

    def _recent(self, client: str) -> deque[float]:
        recent = self.failures.setdefault(client, deque())
        while recent and recent[0] <= time.monotonic() - self.window:
            recent.popleft()
        return recent
