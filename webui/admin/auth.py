"""Serve stage, console access: the configured password hash, the session secret, and a login throttle.

Traps for the next engineer: the throttle lives in process memory (one `nianbao serve` process with many
threads: right; several processes behind a balancer would each count separately), and it counts failed
logins per client address, which behind a reverse proxy is the proxy's (one shared budget, still safe).
"""
from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from werkzeug.security import check_password_hash

from nianbao.config import Settings

PASSWORD_ENV = "NIANBAO_ADMIN_PASSWORD_HASH"
SECRET_ENV = "NIANBAO_SECRET_KEY"
SECRET_FILE = "console-secret.key"


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
