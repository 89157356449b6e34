"""Serve stage, operator console pages: the guard (disabled / login / CSRF) and one view per page.

Portals are looked up in the operations service's settings, which follow config.toml as it changes (edits
from the console's portal form, `webui.admin.portal_views`, or by hand), not in the settings the app started with.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from webui.admin import wording
from webui.admin.auth import PASSWORD_ENV, password_hash, password_matches, session_marker
from webui.views import settings
from webui.views.errors import render_error

blueprint = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
OPEN_ENDPOINTS = ("admin.login",)
OPERATIONS = "nianbao_operations"


def operations():
    """The operations service the shell injected into `create_app` (see `webui.admin.ConsoleOperations`)."""
    return current_app.extensions[OPERATIONS]


@blueprint.before_request
def guard():
    """Disabled console → explanation; no operations service → 503; POST → CSRF check; no session → login."""
    if not password_hash(settings()):
        return render_template("admin/disabled.html", env=PASSWORD_ENV), 503
    if operations() is None:
        return render_error(503, "运维服务未接入：控制台需要由 nianbao serve（或 make run）启动的网站；"
                                 "在代码中创建网站时，请传入 create_app(operations=Operations(settings))。")
    if request.method == "POST":
        current_app.extensions["csrf"].protect()
    if request.endpoint not in OPEN_ENDPOINTS and not logged_in():
        return redirect(url_for("admin.login", next=request.path))
    return None


@blueprint.errorhandler(CSRFError)
def csrf_refused(_error: CSRFError):
    """A POST without a valid token changes nothing and says why."""
    return render_error(400, "表单的安全令牌（CSRF）缺失或已过期：没有做任何修改。请刷新页面后重试。")


def logged_in() -> bool:
    """True when this session is known to the server and was opened with the password configured now."""
    return current_app.extensions["nianbao_sessions"].valid(session.get("sid"), session_marker(settings()))


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """The login form; failed attempts are rate-limited per client."""
    throttle = current_app.extensions["nianbao_login_throttle"]
    client = request.remote_addr or "unknown"
    target = _safe_next(request.args.get("next"))
    if request.method == "GET":
        return render_template("admin/login.html", target=target, error=None)
    wait = throttle.retry_after(client)
    if wait:
        message = f"登录失败次数过多，请 {wait} 秒后再试。"
        return render_template("admin/login.html", target=target, error=message), 429, {"Retry-After": str(wait)}
    if not password_matches(settings(), request.form.get("password", "")):
        throttle.failed(client)
        return render_template("admin/login.html", target=target, error="密码不正确。"), 401
    throttle.succeeded(client)
    session.clear()
    session.permanent = True
    session["sid"] = current_app.extensions["nianbao_sessions"].start(session_marker(settings()))
    return redirect(target)


def _safe_next(target: str | None) -> str:
    """Only console paths are followed after login (no open redirect)."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.dashboard")


@blueprint.post("/logout")
def logout():
    """End the session on the server too: a copy of the cookie opens nothing afterwards."""
    current_app.extensions["nianbao_sessions"].end(session.get("sid"))
    session.clear()
    return redirect(url_for("admin.login"))


@blueprint.context_processor
def console_words() -> dict:
    """Chinese words and local times for every console template (see `webui.admin.wording`)."""
    zone = configured().schedule.timezone if operations() is not None else "UTC"
    return {"when": lambda stamp: wording.local_time(stamp, zone), "zone_label": wording.zone_label(zone),
            "reason_zh": wording.reason_zh, "outcomes": wording.OUTCOMES, "url_statuses": wording.URL_STATUSES,
            "url_kinds": wording.URL_KINDS, "daemon_states": wording.DAEMON_STATES}


def configured():
    """The settings as config.toml holds them now (the operations service re-reads the file when it changes)."""
    return operations().settings


@blueprint.get("/")
def dashboard():
    """Portals with status, schedule in words, last run and next due time; the daemon; corpus and index totals."""
    return render_template("admin/dashboard.html", status=operations().status(),
                           contracts=operations().contract_states())


@blueprint.get("/runs")
def runs():
    """Run history, newest first (optionally one portal's)."""
    portal = request.args.get("portal") or None
    return render_template("admin/runs.html", runs=operations().run_history(portal, limit=100), portal=portal)


@blueprint.get("/runs/<int:run_id>")
def run(run_id: int):
    """One run: counts, outcome, and every failed URL with its reason."""
    record, failures = operations().run_detail(run_id)
    if record is None:
        abort(404, f"没有编号为 {run_id} 的运行记录。")
    return render_template("admin/run.html", run=record, failures=failures, visits=operations().run_visits(run_id))


@blueprint.get("/portals/<name>")
def portal(name: str):
    """A portal's discovered reports, recent runs and recrawl requests."""
    portal = portal_or_404(name)
    [status] = [p for p in operations().status().portals if p.name == name] or [None]
    return render_template("admin/portal.html", portal=portal, status=status, reports=operations().portal_reports(name),
                           runs=operations().run_history(name, limit=20),
                           requests=operations().recrawl_requests(name),
                           contract=operations().contract_states().get(name))


@blueprint.post("/portals/<name>/recrawl")
def recrawl(name: str):
    """Queue a run for the daemon (`nianbao schedule`); nothing is crawled inside this request.

    A disabled portal is refused with the reason (409): the daemon would otherwise crawl a portal the
    operator switched off, or the request would wait for ever.
    """
    configured_portal = portal_or_404(name)
    try:
        request_id = operations().queue_recrawl(name, by="console")
    except ValueError as refused:  # nianbao.status.RecrawlRefused: the reason is written for the operator
        flash(str(refused), "error")
        return portal(name), 409
    flash(f"已加入队列（请求 #{request_id}）：「{configured_portal.title}」将在调度程序（nianbao schedule）下次检查时抓取。")
    return redirect(url_for("admin.portal", name=name))


@blueprint.get("/stats")
def stats():
    """Corpus and index statistics, and whether the index is behind the corpus."""
    return render_template("admin/stats.html", status=operations().status())


def portal_or_404(name: str):
    """The configured portal called `name`, else a 404 page."""
    portal = configured().portal(name)
    if portal is None:
        abort(404, f"没有名为 {name} 的门户。")
    return portal
