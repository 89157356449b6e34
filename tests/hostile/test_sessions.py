"""Console sessions end on the server: a cookie copied before logout, or before a password change, opens nothing."""
from __future__ import annotations

import time

import pytest
from werkzeug.security import generate_password_hash

from nianbao.config import load_settings
from nianbao.status import Operations
from tests.ops.conftest import portal_a, write_ops_config  # noqa: F401 - portal_a is a fixture
from tests.ops.test_console import PASSWORD, YEARLY, csrf_token, log_in
from webui import create_app
from webui.admin.auth import PASSWORD_ENV


@pytest.fixture(autouse=True)
def no_password_from_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.delenv("NIANBAO_SECRET_KEY", raising=False)


def console(folder, portal, password: str = PASSWORD, extra: str = ""):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(password)}"\n{extra}'
    settings = load_settings(write_ops_config(folder, {"qingshan": (portal, YEARLY)}, web=web))
    app = create_app(settings, operations=Operations(settings))
    app.testing = True
    return app


def replay(app, cookie: str) -> int:
    """GET /admin/ from a fresh client that only has the copied cookie; the status code."""
    other = app.test_client()
    other.set_cookie("session", cookie, path="/admin")
    return other.get("/admin/").status_code


def test_a_cookie_copied_before_logout_is_refused_after_it(tmp_path, portal_a):
    app = console(tmp_path, portal_a)
    client = app.test_client()
    log_in(client)
    copied = client.get_cookie("session", path="/admin").value
    assert replay(app, copied) == 200
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    assert replay(app, copied) == 302  # to the login page


def test_changing_the_password_ends_every_session(tmp_path, portal_a):
    client = console(tmp_path, portal_a).test_client()
    log_in(client)
    copied = client.get_cookie("session", path="/admin").value
    assert replay(console(tmp_path, portal_a, "another password entirely"), copied) == 302


def test_session_lifetime_is_configured(tmp_path, portal_a):
    app = console(tmp_path, portal_a, extra="session_hours = 0.5\n")
    client = app.test_client()
    log_in(client)
    cookie = client.get_cookie("session", path="/admin")
    assert 25 * 60 < cookie.expires.timestamp() - time.time() <= 30 * 60
