"""Portals added, edited, enabled and disabled from the console: config.toml stays the source of truth (comments
kept), every change is checked like the file at load, refusals are in Chinese, and status and the daemon see it."""
from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from crawler.state import CrawlState
from nianbao.config import load_settings
from nianbao.status import Operations
from tests.ops.conftest import start_daemon, status_json, wait_until, write_ops_config
from tests.ops.test_console import PASSWORD, YEARLY, csrf_token, log_in
from webui import create_app
from webui.admin.auth import PASSWORD_ENV

COMMENT = "# 运维说明：这条注释必须在控制台修改后保留\n"


@pytest.fixture(autouse=True)
def no_password_from_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


@pytest.fixture
def console(tmp_path, portal_a):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    config = write_ops_config(tmp_path, {"qingshan": (portal_a, YEARLY)}, web=web)
    config.write_text(COMMENT + config.read_text(encoding="utf-8") + "delay_seconds = 0.0  # 保留的行内注释\n",
                      encoding="utf-8")
    settings = load_settings(config)
    app = create_app(settings, operations=Operations(settings))
    client = app.test_client()
    log_in(client)
    return config, settings, client


def new_portal(client, **fields) -> object:
    form = {"name": "baishui", "title": "白水县人民政府", "start_urls": "http://127.0.0.1:9/\n",
            "allowed_hosts": "127.0.0.1:9", "region_province": "福建省", "region_city": "福州市",
            "region_county": "", "schedule": "0 3 * * 1", "enabled": "on",
            "csrf_token": csrf_token(client, "/admin/portals/new"), **fields}
    return client.post("/admin/portals/new", data={k: v for k, v in form.items() if v is not None})


def test_a_portal_added_in_the_console_is_written_to_config_toml_with_its_comments_kept(console):
    config, _settings, client = console
    before = config.read_text(encoding="utf-8")
    added = new_portal(client)
    assert added.status_code == 302 and added.location == "/admin/portals/baishui"
    text = config.read_text(encoding="utf-8")
    assert text.startswith(before) and COMMENT in text and "# 保留的行内注释" in text
    assert 'name = "baishui"' in text and 'region = ["福建省", "福州市"]' in text
    portal = load_settings(config).portal("baishui")
    assert portal.title == "白水县人民政府" and portal.enabled and portal.schedule == "0 3 * * 1"
    page = client.get("/admin/").text
    assert "白水县人民政府" in page and "每周一 03:00" in page
    listed = {p["name"]: p for p in status_json(config)["portals"]}
    assert listed["baishui"]["schedule_words"] == "每周一 03:00" and listed["baishui"]["enabled"] is True
    assert not list(config.parent.glob(".config.toml.*"))  # the temporary file was renamed, none left


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"schedule": "0 3 * *"}, "schedule", "不是有效的 cron 表达式"),
    ({"name": "qingshan"}, "name", "已有同名门户"),
    ({"name": "../etc"}, "name", "只能用字母、数字"),
    ({"name": ""}, "name", "必须填写"),
    ({"title": ""}, "title", "必须填写"),
    ({"start_urls": "www.example.gov.cn"}, "start_urls", "以 http:// 或 https:// 开头"),
    ({"start_urls": ""}, "start_urls", "必须填写"),
    ({"allowed_hosts": "http://bad host/"}, "allowed_hosts", "主机名"),
    ({"region_province": "", "region_city": "福州市"}, "region", "省、市、县"),
])
def test_a_refused_portal_comes_back_with_the_reason_beside_its_field_in_chinese(console, fields, field, message):
    config, _settings, client = console
    before = config.read_text(encoding="utf-8")
    refused = new_portal(client, **fields)
    assert refused.status_code == 422
    error = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', refused.text)
    assert error and message in error[1], refused.text[-3000:]
    assert "没有保存" in refused.text and 'value="白水县人民政府"' in refused.text or fields.get("title") == ""
    assert config.read_text(encoding="utf-8") == before  # nothing written


def test_editing_keeps_the_keys_the_form_does_not_show(console):
    config, _settings, client = console
    token = csrf_token(client, "/admin/portals/qingshan/edit")
    form = client.get("/admin/portals/qingshan/edit").text
    assert 'value="qingshan 测试门户"' in form and "0 3 1 1 *" in form
    url = re.search(r'name="start_urls"[^>]*>([^<]*)</textarea>', form)[1].strip()
    saved = client.post("/admin/portals/qingshan/edit", data={
        "title": "青山县政府门户", "start_urls": url, "allowed_hosts": "", "region_province": "福建省",
        "region_city": "", "region_county": "", "schedule": "0 4 * * *", "enabled": "on", "csrf_token": token})
    assert saved.status_code == 302
    portal = load_settings(config).portal("qingshan")
    assert (portal.title, portal.schedule, portal.allowed_hosts, portal.region) == ("青山县政府门户", "0 4 * * *", (), ("福建省",))
    assert "每天 04:00" in client.get("/admin/portals/qingshan").text


def test_disabling_refuses_recrawl_now_with_a_reason_and_enabling_allows_it(console):
    config, settings, client = console
    token = csrf_token(client, "/admin/")
    assert client.post("/admin/portals/qingshan/enabled", data={"enabled": "0", "csrf_token": token}).status_code == 302
    assert load_settings(config).portal("qingshan").enabled is False
    page = client.get("/admin/").text
    assert "已停用" in page and "/admin/portals/qingshan/recrawl" not in page  # no button to press
    refused = client.post("/admin/portals/qingshan/recrawl", data={"csrf_token": token})
    assert refused.status_code == 409 and "已停用，不能立即重抓" in refused.text
    with CrawlState(settings.paths.state) as state:
        assert state.pending_requests() == []
    assert status_json(config)["portals"][0]["enabled"] is False
    client.post("/admin/portals/qingshan/enabled", data={"enabled": "1", "csrf_token": token})
    queued = client.post("/admin/portals/qingshan/recrawl", data={"csrf_token": token})
    assert queued.status_code == 302 and "已加入队列" in client.get(queued.location).text


def test_changes_need_a_login_and_a_csrf_token(console, tmp_path):
    config, settings, client = console
    before = config.read_text(encoding="utf-8")
    assert new_portal(client, csrf_token="forged").status_code == 400
    assert client.post("/admin/portals/qingshan/enabled", data={"enabled": "0"}).status_code == 400
    stranger = create_app(settings, operations=Operations(settings)).test_client()
    token = csrf_token(stranger)
    assert stranger.post("/admin/portals/qingshan/enabled", data={"enabled": "0", "csrf_token": token}).status_code == 302
    assert stranger.get("/admin/portals/new").location.startswith("/admin/login")
    assert config.read_text(encoding="utf-8") == before


def test_a_config_that_cannot_be_written_is_named_and_nothing_is_lost(console):
    config, _settings, client = console
    before = config.read_text(encoding="utf-8")
    # A config whose folder cannot take the temporary file: the folder is replaced by a path under a file.
    # (Tests run as root, so permissions alone would not stop the write.)
    blocker = config.parent / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    moved = blocker / "config.toml"
    config.rename(config.parent / "real.toml")
    config.symlink_to(moved)
    try:
        refused = new_portal(client)
    finally:
        config.unlink()
        (config.parent / "real.toml").rename(config)
    assert refused.status_code == 422 and "没有保存" in refused.text
    assert re.search(r"读不到配置文件|无法写入配置文件", refused.text)
    assert config.read_text(encoding="utf-8") == before


def test_the_running_daemon_picks_up_a_portal_enabled_in_the_console(console, portal_b):
    config, settings, client = console
    token = csrf_token(client, "/admin/")
    client.post("/admin/portals/qingshan/enabled", data={"enabled": "0", "csrf_token": token})
    daemon = start_daemon(config)
    try:
        wait_until(lambda: Operations(settings).daemon().state == "running", daemon, what="a heartbeat")
        assert "调度程序：<span class=\"state\">运行中</span>" in client.get("/admin/").text
        added = new_portal(client, start_urls=portal_b.url("/"), allowed_hosts=f"127.0.0.1:{portal_b.port}",
                           schedule="0 3 1 1 *")
        assert added.status_code == 302
        wait_until(lambda: _runs(settings, "baishui"), daemon, limit=90, what="the new portal's first run")
        assert not _runs(settings, "qingshan")  # disabled in the console: never started
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)
    assert Operations(settings).daemon().state == "stopped"
    assert "已停止" in client.get("/admin/").text


def _runs(settings, portal: str) -> list:
    with CrawlState(settings.paths.state) as state:
        return state.runs(portal)
