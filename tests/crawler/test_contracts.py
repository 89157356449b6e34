"""Portal contracts and budgets (issue 14): config keys, `nianbao check-portal`, a layout change turning the
contract red in `nianbao status` and the console, and the exploration limits."""
from __future__ import annotations

import json
import re

import pytest
from werkzeug.security import generate_password_hash

from crawler.crawl import crawl
from crawler.state import CrawlState
from nianbao.config import ConfigError, load_settings
from nianbao.status import Operations
from tests.crawler.conftest import CRAWLER_TABLE, write_crawl_config
from tests.crawler.portalgen import build_portal
from tests.crawler.server import Resource
from tests.test_config import run_cli
from webui import create_app

PASSWORD = "contract console password"
CONTRACT = 'expect_min_reports = 12\nexpect_families = ["trs"]\nexpect_years = [2023, 2012]\n'
COLUMN = "/zwgk/zfxxgk/fdzdgknr/zfxxgknb/"


@pytest.fixture(autouse=True)
def no_password_from_environment(monkeypatch):
    monkeypatch.delenv("NIANBAO_ADMIN_PASSWORD_HASH", raising=False)
    monkeypatch.delenv("NIANBAO_SECRET_KEY", raising=False)


@pytest.fixture
def trs_portal():
    portal = build_portal("trs-hub-gbk")
    with portal.serve() as server:
        yield portal, server


def config_with(tmp_path, server, portal_keys: str = CONTRACT, web: str = ""):
    path = write_crawl_config(tmp_path, {"qingshan": server}, crawler_table=web + CRAWLER_TABLE)
    path.write_text(path.read_text(encoding="utf-8") + portal_keys, encoding="utf-8")
    return path


@pytest.mark.parametrize("keys, expected", [
    ('expect_families = ["trs", "wordpress"]\n', "'portals.expect_families' must be a list of trs, hanweb, plain"),
    ("expect_years = [20]\n", "'portals.expect_years' must be a list of years"),
    ('expect_min_reports = "many"\n', "'portals.expect_min_reports' must be an integer"),
    ("max_pages = 0\n", "'portals.max_pages' must be at least 1"),
])
def test_contract_and_budget_keys_are_validated_with_file_and_line(tmp_path, keys, expected):
    path = tmp_path / "config.toml"
    path.write_text(f'[[portals]]\nname = "a"\ntitle = "A"\nstart_urls = ["http://a/"]\n{keys}', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert f"config.toml:5: {expected}" in str(error.value)


def test_check_portal_says_what_it_found_and_leaves_the_corpus_alone(tmp_path, trs_portal):
    _portal, server = trs_portal
    config = config_with(tmp_path, server)
    result = run_cli("--config", str(config), "check-portal", "qingshan")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "families: trs" in result.stdout and "14 reports found" in result.stdout
    assert f"{server.url(COLUMN)}  (column: 政府信息公开年报, depth 4)" in result.stdout
    assert "reports per year: 2023 1 · 2022 1" in result.stdout and "契约 contract: holds" in result.stdout
    assert "skipped (robots)" in result.stdout
    assert not (tmp_path / "corpus").exists()
    as_json = json.loads(run_cli("--config", str(config), "check-portal", "qingshan", "--json").stdout)
    assert as_json["holds"] and as_json["families"] == ["trs"] and as_json["years"]["2012"] == 1
    status = run_cli("--config", str(config), "status")
    assert "contract: holds (check-portal" in status.stdout


def test_a_layout_change_that_empties_the_column_turns_the_contract_red(tmp_path, trs_portal):
    portal, server = trs_portal
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    settings = load_settings(config_with(tmp_path, server, web=web))
    [before] = crawl(settings)
    assert before.contract["ok"]

    empty = "<html><head><title>政府信息公开年报</title></head><body><ul class='list'></ul></body></html>"
    for path in [COLUMN, COLUMN + "index.html", COLUMN + "index_1.html", COLUMN + "index_2.html"]:
        server.routes[path] = Resource(empty.encode(), "text/html; charset=utf-8", last_modified="Wed, 06 Mar 2024 08:00:00 GMT")
    [after] = crawl(settings)
    assert not after.contract["ok"]
    broken = {c["name"]: c for c in after.contract["checks"] if not c["ok"]}
    assert broken["min_reports"]["found"] == 0 and set(broken) == {"min_reports", "families", "years"}

    status = run_cli("--config", str(settings.source), "status")
    assert "contract: BROKEN (crawl" in status.stdout and "min_reports expected 12, found 0" in status.stdout
    as_json = json.loads(run_cli("--config", str(settings.source), "status", "--json").stdout)
    assert as_json["portals"][0]["contract"]["ok"] is False
    check = run_cli("--config", str(settings.source), "check-portal", "qingshan")
    assert check.returncode == 1 and "契约 contract: BROKEN" in check.stdout

    client = logged_in_console(settings)
    dashboard = client.get("/admin/").text
    assert "契约未满足" in dashboard
    page = client.get("/admin/portals/qingshan").text
    assert "✗ 报告数不少于：" in page and "实际 0" in page
    run = client.get(f"/admin/runs/{after.run_id}").text
    assert "公开目录「政府信息公开」" in run and "年报栏目「政府信息公开年报」" in run and "跳过（robots.txt）" in run


def logged_in_console(settings):
    app = create_app(settings, operations=Operations(settings))
    app.testing = True
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text).group(1)
    assert client.post("/admin/login", data={"password": PASSWORD, "csrf_token": token}).status_code == 302
    return client


def test_the_page_budget_and_depth_limit_bound_exploration_and_are_reported(tmp_path, trs_portal):
    _portal, server = trs_portal
    settings = load_settings(config_with(tmp_path, server, "max_pages = 4\n"))
    [summary] = crawl(settings)
    assert summary.pages == 4 and summary.budget["not_visited"] > 0 and "page budget reached" in summary.message
    assert [v["kind"] for v in summary.visits] == ["start", "hub", "hub", "hub"]

    shallow = load_settings(config_with(tmp_path, server, "max_depth = 2\n"))
    [summary] = crawl(shallow)
    assert summary.discovered == 0 and summary.budget["too_deep"] > 0
    assert max(v["depth"] for v in summary.visits) == 2
    with CrawlState(shallow.paths.state) as state:
        assert [v.kind for v in state.visits(summary.run_id)] == [v["kind"] for v in summary.visits]
        assert state.run(summary.run_id).max_depth == 2
