"""Acceptance on every generated portal (issue 14), each crawled from its home page only: every report
found, no noise taken, robots.txt and the per-host delay respected (the server's own log proves it); a
second crawl is all conditional requests answered 304; an edited report is exactly one `changed`."""
from __future__ import annotations

import itertools
import json

import pytest

from crawler.crawl import crawl
from nianbao.config import load_settings
from tests.crawler.conftest import write_crawl_config
from tests.crawler.portalgen import PORTAL_NAMES, build_portal
from tests.crawler.portalgen.score import OFF_LIMITS, stored_paths
from tests.test_config import run_cli


@pytest.mark.parametrize("name", PORTAL_NAMES)
def test_generated_portal_crawled_from_its_home_page(tmp_path, name):
    portal = build_portal(name)
    with portal.serve() as server:
        settings = load_settings(write_crawl_config(tmp_path, {name: server}))
        [first] = crawl(settings)
        assert first.outcome == "completed" and first.failed == 0, first.failures
        stored = stored_paths(settings)
        assert stored == portal.reports and not stored & portal.noise

        paths = [r.path for r in server.log]
        assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
        assert not set(paths) & portal.disallowed
        skipped_reports = [s.url for s in first.skips if "/search/" not in s.url]  # most robots.txt bar the search
        assert sorted(skipped_reports) == sorted(server.url(p) for p in portal.disallowed)
        assert all(s.reason == "robots" for s in first.skips)
        arrivals = [r.at for r in server.log]
        assert min(b - a for a, b in itertools.pairwise(arrivals)) >= portal.crawl_delay
        assert not [p for p in paths if p.startswith(OFF_LIMITS)], "left the disclosure area"

        validated = {r.path for r in server.log if r.status == 200 and r.path != "/robots.txt"}
        mark = len(server.log)
        [second] = crawl(settings)
        again = [r for r in server.log[mark:] if r.path != "/robots.txt"]
        assert {r.path for r in again} == validated
        assert all(r.conditional and r.status == 304 for r in again)
        assert (second.fetched, second.new, second.changed, second.not_modified) == (0, 0, 0, len(portal.reports))

        edited = portal.editable_report()
        server.routes[edited] = portal.edited(edited, "一窗受理改革")
        [third] = crawl(settings)
        assert (third.changed, third.new, third.fetched, third.unchanged) == (1, 0, 1, 0)


def test_an_edited_report_on_a_mixed_gbk_portal_is_searchable_after_index(tmp_path):
    portal = build_portal("issue-mixed")
    with portal.serve() as server:
        config = str(write_crawl_config(tmp_path, {"mixed": server}))
        assert run_cli("--config", config, "crawl").returncode == 0
        edited = portal.editable_report()
        server.routes[edited] = portal.edited(edited, "首创一窗通办清单")
        crawled = run_cli("--config", config, "crawl", "--json")
        [summary] = json.loads(crawled.stdout)
        assert summary["changed"] == 1 and summary["new"] == 0
    indexed = run_cli("--config", config, "index")
    assert indexed.returncode == 0, indexed.stderr
    found = json.loads(run_cli("--config", config, "search", '"首创一窗通办清单"', "--json").stdout)
    assert [hit["url"] for hit in found["hits"]] == [server.url(edited)]
    pdf = json.loads(run_cli("--config", config, "search", '"青铜县人民政府2015年度"', "--json").stdout)
    assert any(hit["url"].endswith(".pdf") for hit in pdf["hits"])


def test_reports_only_the_site_search_knows_are_found_through_it(tmp_path):
    portal = build_portal("search-archive")
    with portal.serve() as server:
        [summary] = crawl(load_settings(write_crawl_config(tmp_path, {"archive": server})))
    searches = [v for v in summary.visits if v["kind"] == "search"]
    assert searches[0]["via"] == "年度报告" and "searchword=" in searches[0]["url"] and "siteid=1" in searches[0]["url"]
    assert len(searches) >= 3 and searches[1]["reports"] == 4  # result pages followed; the notice among them not taken
    assert summary.new == len(portal.reports) == 11


def test_score_command_prints_the_table():
    result = run_cli_module("score", "plain-attachments")
    assert result.returncode == 0, result.stderr
    assert "| plain-attachments | plain | 1 | gbk/meta | 9 | 9 | 0 | 0 |" in result.stdout


def run_cli_module(*args: str):
    import subprocess
    import sys

    from tests.conftest import REPO

    return subprocess.run([sys.executable, "-m", "tests.crawler.portalgen", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
