"""Serve stage, operator console: a Flask blueprint at /admin (login, portals, runs, reports, statistics).

Disabled — every page says how to enable it — until a password hash is configured (`webui.admin.auth`).
Every POST carries a CSRF token (Flask-WTF, checked only here: the public site has no forms that post).
The session cookie is scoped to /admin, so public pages never carry it; and they never link here.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from webui.admin.auth import LoginThrottle, password_hash, secret_key, session_store
from webui.admin.views import blueprint

THROTTLE = "nianbao_login_throttle"
SESSIONS = "nianbao_sessions"


def register(app: Flask) -> None:
    """Add the console to `app`: blueprint, session secret, CSRF protection, login throttle."""
    settings = app.config["NIANBAO"]
    app.register_blueprint(blueprint)
    app.extensions[THROTTLE] = LoginThrottle()
    app.extensions[SESSIONS] = session_store(settings)
    if password_hash(settings):
        app.secret_key = secret_key(settings)
    app.config.update(WTF_CSRF_CHECK_DEFAULT=False, SESSION_COOKIE_PATH="/admin", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.web.session_hours))
    CSRFProtect(app)
