"""The operator console at /admin: disabled without a password, login, rate limit, CSRF, recrawl → daemon run."""
from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from crawler.state import CrawlState
from nianbao.config import load_settings
from nianbao.status import Operations
from tests.ops.conftest import runs_of, start_daemon, write_ops_config
from webui import create_app
from webui.admin.auth import PASSWORD_ENV

PASSWORD = "correct horse battery staple"
YEARLY = "0 3 1 1 *"


@pytest.fixture(autouse=True)
def no_password_from_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.delenv("NIANBAO_SECRET_KEY", raising=False)


@pytest.fixture
def console(tmp_path, portal_a):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    config = write_ops_config(tmp_path, {"qingshan": (portal_a, YEARLY)}, web=web)
    settings = load_settings(config)
    app = create_app(settings, operations=Operations(settings))
    app.testing = True
    return config, settings, app


def csrf_token(client, path: str = "/admin/login") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def log_in(client) -> None:
    response = client.post("/admin/login", data={"password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.location == "/admin/"


def admin_urls(app) -> dict[str, tuple[str, set[str]]]:
    """endpoint → (an URL for it, its methods), for every console route."""
    samples = {"run_id": 1, "name": "qingshan"}
    urls = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.") and rule.endpoint != "admin.login":
            path = rule.rule
            for argument in rule.arguments:
                path = re.sub(rf"<(?:\w+:)?{argument}>", str(samples[argument]), path)
            urls[rule.endpoint] = (path, rule.methods - {"HEAD", "OPTIONS"})
    return urls


def pending(settings) -> list:
    with CrawlState(settings.paths.state) as state:
        return state.pending_requests()


def test_every_console_route_redirects_to_login_without_a_session(console):
    _config, settings, app = console
    client = app.test_client()
    urls = admin_urls(app)
    assert {"admin.dashboard", "admin.runs", "admin.run", "admin.portal", "admin.recrawl", "admin.stats",
            "admin.logout"} <= set(urls)
    token = csrf_token(client)
    for endpoint, (path, methods) in urls.items():
        for method in methods:
            data = {"csrf_token": token} if method == "POST" else None
            response = client.open(path, method=method, data=data)
            assert response.status_code == 302, (endpoint, method, response.status_code)
            assert response.location.startswith("/admin/login"), endpoint
    assert pending(settings) == []


def test_console_is_disabled_without_a_password_and_says_how_to_enable_it(tmp_path, portal_a):
    settings = load_settings(write_ops_config(tmp_path, {"qingshan": (portal_a, YEARLY)}))
    app = create_app(settings)
    client = app.test_client()
    for path in ("/admin/", "/admin/login", "/admin/runs", "/admin/portals/qingshan"):
        response = client.get(path)
        assert response.status_code == 503
        assert "nianbao password-hash" in response.text and PASSWORD_ENV in response.text
    assert client.post("/admin/login", data={"password": ""}).status_code == 503
    assert client.post("/admin/portals/qingshan/recrawl").status_code == 503
    assert pending(settings) == []


def test_console_without_the_operations_service_says_so_and_the_site_still_works(tmp_path, portal_a):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    app = create_app(load_settings(write_ops_config(tmp_path, {"qingshan": (portal_a, YEARLY)}, web=web)))
    client = app.test_client()
    for path in ("/admin/", "/admin/login", "/admin/runs"):
        response = client.get(path)
        assert response.status_code == 503 and "运维服务未接入" in response.text
    assert client.get("/").status_code == 200


def test_wrong_passwords_are_rate_limited_per_client(console):
    _config, _settings, app = console
    client = app.test_client()
    token = csrf_token(client)
    for _ in range(5):
        response = client.post("/admin/login", data={"password": "guess", "csrf_token": token})
        assert response.status_code == 401 and "密码不正确" in response.text
    blocked = client.post("/admin/login", data={"password": PASSWORD, "csrf_token": token})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "/admin/" not in (blocked.location or "")
    assert client.get("/admin/").status_code == 302  # still not logged in
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    log_in(other)


def test_post_without_csrf_token_is_refused(console):
    _config, settings, app = console
    client = app.test_client()
    assert client.post("/admin/login", data={"password": PASSWORD}).status_code == 400
    log_in(client)
    refused = client.post("/admin/portals/qingshan/recrawl")
    assert refused.status_code == 400 and "CSRF" in refused.text
    forged = client.post("/admin/portals/qingshan/recrawl", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert pending(settings) == []
    accepted = client.post("/admin/portals/qingshan/recrawl", data={"csrf_token": csrf_token(client, "/admin/")})
    assert accepted.status_code == 302 and len(pending(settings)) == 1


def test_recrawl_now_is_run_by_the_daemon_and_shown_in_the_console(console):
    config, settings, app = console
    first = start_daemon(config, "--once")
    assert first.wait(timeout=120) == 0, first.communicate()
    client = app.test_client()
    log_in(client)
    queued = client.post("/admin/portals/qingshan/recrawl", data={"csrf_token": csrf_token(client, "/admin/")})
    assert queued.status_code == 302
    page = client.get(queued.location)
    assert "排队中，等待调度程序" in page.text and len(runs_of(config, "qingshan")) == 1  # nothing crawled in the request
    second = start_daemon(config, "--once")
    assert second.wait(timeout=120) == 0, second.communicate()
    latest, _ = runs_of(config, "qingshan")
    assert latest.outcome == "completed"
    page = client.get("/admin/portals/qingshan")
    assert f'/admin/runs/{latest.id}"' in page.text and "排队中，等待调度程序" not in page.text
    assert pending(settings) == []


def test_console_pages_show_runs_failures_reports_and_statistics_escaped(console):
    config, settings, app = console
    first = start_daemon(config, "--once")
    assert first.wait(timeout=120) == 0, first.communicate()
    with CrawlState(settings.paths.state) as state:
        run_id = state.start_run("qingshan")
        state.log_fetch(run_id, "qingshan", "http://x.invalid/<b>", "failed", http_status=500,
                        reason="HTTP 500 <script>alert(1)</script>")
        state.finish_run(run_id, {"failed": 1}, "completed")
    client = app.test_client()
    log_in(client)
    dashboard = client.get("/admin/").text
    assert "qingshan 测试门户" in dashboard and re.search(rf"#{run_id} <span[^>]*>已完成</span>", dashboard)
    run_page = client.get(f"/admin/runs/{run_id}").text
    assert "HTTP 500 &lt;script&gt;alert(1)&lt;/script&gt;" in run_page and "<script>alert" not in run_page
    reports = client.get("/admin/portals/qingshan").text
    assert reports.count("年政府信息公开工作年度报告") >= 4
    stats = client.get("/admin/stats").text
    assert "已索引报告" in stats and "已是最新" in stats
    assert client.get("/admin/runs/99999").status_code == 404


def test_login_only_redirects_inside_the_console_and_logout_ends_the_session(console):
    _config, _settings, app = console
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/admin/login?next=https://evil.example/", data={"password": PASSWORD, "csrf_token": token})
    assert response.location == "/admin/"
    logout = client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    assert logout.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_public_pages_never_link_to_the_console_or_set_its_cookie(console):
    _config, _settings, app = console
    client = app.test_client()
    for path in ("/", "/search?q=一窗受理", "/kwic?q=一窗受理"):
        response = client.get(path)
        assert "/admin" not in response.text
        assert "Set-Cookie" not in response.headers


def test_password_hash_command_prints_a_hash_the_console_accepts(tmp_path):
    import subprocess
    import sys

    from werkzeug.security import check_password_hash

    from tests.conftest import REPO

    made = subprocess.run([sys.executable, "-m", "nianbao.cli", "password-hash"], input=f"{PASSWORD}\n{PASSWORD}\n",
                          capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(REPO)}, timeout=60)
    assert made.returncode == 0, made.stderr
    hashed = made.stdout.strip().splitlines()[-1]
    assert check_password_hash(hashed, PASSWORD) and PASSWORD not in made.stdout
    short = subprocess.run([sys.executable, "-m", "nianbao.cli", "password-hash"], input="short\nshort\n",
                           capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(REPO)}, timeout=60)
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
