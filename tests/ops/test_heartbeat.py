"""The scheduler's heartbeat: `nianbao schedule` beats at every poll; the console and `nianbao status` say
whether it is running, not responding (killed or hung) or stopped, with the last beat in the configured zone."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.security import generate_password_hash

from nianbao.config import load_settings
from nianbao.heartbeat import Heartbeat, HeartbeatRecorder
from nianbao.status import Operations
from tests.conftest import REPO
from tests.ops.conftest import start_daemon, status_json, write_ops_config
from tests.ops.test_console import PASSWORD, YEARLY, log_in
from webui import create_app
from webui.admin.auth import PASSWORD_ENV

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def no_password_from_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


def beat(seconds_ago: float, stopped: bool = False) -> Heartbeat:
    at = (NOW - timedelta(seconds=seconds_ago)).isoformat(timespec="seconds")
    return Heartbeat(pid=1, host="h", started_at=at, beat_at=at, poll_seconds=30.0, stopped_at=at if stopped else None)


def test_a_beat_is_stale_after_three_polls_and_a_grace_period():
    assert beat(10).state(NOW) == "running"
    assert beat(3 * 30 + 29).state(NOW) == "running"
    assert beat(3 * 30 + 31).state(NOW) == "stale"
    assert beat(10, stopped=True).state(NOW) == "stopped"


@pytest.fixture
def console(tmp_path, portal_a):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    config = write_ops_config(tmp_path, {"qingshan": (portal_a, YEARLY)}, web=web)
    settings = load_settings(config)
    client = create_app(settings, operations=Operations(settings)).test_client()
    log_in(client)
    return config, settings, client


def test_never_started_then_once_then_stale_as_the_console_and_status_show_it(console):
    config, settings, client = console
    assert "调度程序：<span class=\"state\">从未启动</span>" in client.get("/admin/").text
    assert status_json(config)["daemon"]["state"] == "never"
    once = start_daemon(config, "--once")
    assert once.wait(timeout=120) == 0, once.communicate()
    page = client.get("/admin/").text
    assert "调度程序：<span class=\"state\">已停止</span>" in page and "最近一次心跳" in page
    assert status_json(config)["daemon"]["state"] == "stopped"

    HeartbeatRecorder(settings.paths.state, poll_seconds=1.0).beat()  # a daemon that beat, then went silent
    with closing(sqlite3.connect(settings.paths.state)) as db, db:
        db.execute("UPDATE daemon_heartbeat SET beat_at = '2026-01-01T00:00:00+00:00'")
    page = client.get("/admin/").text
    assert "调度程序：<span class=\"state\">无响应</span>" in page and "已超过三个检查周期没有心跳" in page
    assert "2026-01-01 00:00" in page
    text = subprocess.run([sys.executable, "-m", "nianbao.cli", "--config", str(config), "status"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert "scheduler: NOT RESPONDING" in text.stdout
