"""Serve stage, operator console: a Flask blueprint at /admin (login, portals, runs, reports, statistics).

Disabled — every page says how to enable it — until a password hash is configured (`webui.admin.auth`).
Every POST carries a CSRF token (Flask-WTF, checked only here: the public site has no forms that post).
The session cookie is scoped to /admin, so public pages never carry it; and they never link here.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from webui.admin import portal_views  # noqa: F401 - adds the portal form's routes to the blueprint
from webui.admin.auth import LoginThrottle, password_hash, secret_key, session_store
from webui.admin.views import OPERATIONS, blueprint

THROTTLE = "nianbao_login_throttle"
SESSIONS = "nianbao_sessions"


class ConsoleOperations(Protocol):
    """What the console needs from the shell's operations service (`nianbao.status.Operations`)."""

    def status(self): ...
    def run_history(self, portal: str | None = None, limit: int = 50) -> list: ...
    def run_detail(self, run_id: int) -> tuple: ...
    def portal_reports(self, portal: str) -> list: ...
    def queue_recrawl(self, portal: str, by: str | None = None) -> int: ...
    def recrawl_requests(self, portal: str | None = None, limit: int = 20) -> list: ...
    def daemon(self): ...
    def add_portal(self, values: dict): ...
    def update_portal(self, name: str, values: dict): ...
    def set_enabled(self, name: str, enabled: bool): ...
    settings: object  # the config as on disk now (re-read when config.toml changes)


def register(app: Flask, operations: ConsoleOperations | None) -> None:
    """Add the console to `app`: blueprint, operations service, session secret, CSRF protection, login throttle."""
    settings = app.config["NIANBAO"]
    app.register_blueprint(blueprint)
    app.extensions[OPERATIONS] = operations
    app.extensions[THROTTLE] = LoginThrottle()
    app.extensions[SESSIONS] = session_store(settings)
    if password_hash(settings):
        app.secret_key = secret_key(settings)
    app.config.update(WTF_CSRF_CHECK_DEFAULT=False, SESSION_COOKIE_PATH="/admin", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.web.session_hours))
    CSRFProtect(app)
