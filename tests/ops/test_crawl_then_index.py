"""`crawl_then_index` against a real fixture portal: what the crawler calls new, changed or unchanged is what
the index adds, replaces or leaves alone — also for a GBK report page served without any charset."""
from __future__ import annotations

import json

import pytest

from indexer.engines import open_engine
from indexer.search import SearchRequest, search
from nianbao.config import load_settings
from nianbao.pipeline import crawl_then_index, portal_regions
from tests.crawler.portals import html_page
from tests.crawler.server import PortalServer, Resource
from tests.ops import portal
from tests.ops.conftest import write_ops_config
from tests.test_config import run_cli

AGENCY = "海岛县人民政府"
YEAR = 2023
GBK_PHRASE = "海岛渔港公开服务"
EDIT_PHRASE = "新增一窗受理专栏"


def gbk_report(extra: str = "", counter: int = 100) -> Resource:
    """The report page in GBK, with neither a charset header nor a `<meta charset>`."""
    title = f"{AGENCY}{YEAR}年政府信息公开工作年度报告"
    body = portal.report_body(AGENCY, YEAR, GBK_PHRASE + extra)
    return Resource(html_page(title, body, counter=counter, meta="").encode("gbk"), "text/html")


@pytest.fixture
def gbk_portal():
    with PortalServer(portal.ops_portal(AGENCY, years=(YEAR,))) as server:
        server.routes[portal.report_path(YEAR)] = gbk_report()
        yield server


def phrase_urls(settings, phrase: str) -> list[str]:
    engine = open_engine(settings.index.engine, settings.paths.index)
    try:
        return [hit.url for hit in search(engine, SearchRequest(q=f'"{phrase}"')).hits]
    finally:
        engine.close()


def test_recrawl_changes_the_index_exactly_when_the_report_text_changes(tmp_path, gbk_portal):
    settings = load_settings(write_ops_config(tmp_path, {"haidao": (gbk_portal, "0 3 1 1 *")}))
    report_url = gbk_portal.url(portal.report_path(YEAR))

    first = crawl_then_index(settings)
    assert [c.new for c in first.crawls] == [1] and first.index.added == 1
    assert phrase_urls(settings, GBK_PHRASE) == [report_url]

    gbk_portal.routes[portal.report_path(YEAR)] = gbk_report(counter=101)  # only the footer's view counter
    recounted = crawl_then_index(settings)
    assert [(c.changed, c.unchanged) for c in recounted.crawls] == [(0, 1)]
    assert (recounted.index.added, recounted.index.replaced) == (0, 0)

    gbk_portal.routes[portal.report_path(YEAR)] = gbk_report(extra=EDIT_PHRASE, counter=102)
    edited = crawl_then_index(settings)
    assert [c.changed for c in edited.crawls] == [1] and edited.index.replaced == 1
    assert phrase_urls(settings, EDIT_PHRASE) == [report_url]


def test_portal_regions_are_the_configured_ones(tmp_path, gbk_portal):
    settings = load_settings(write_ops_config(tmp_path, {"haidao": (gbk_portal, "0 3 1 1 *")}))
    region = portal_regions(settings)["haidao"]
    assert (region.province, region.city, region.county) == ("福建省", "福州市", "平潭县")


def test_crawl_with_index_keeps_the_json_summary_and_makes_reports_searchable(tmp_path, gbk_portal):
    config = write_ops_config(tmp_path, {"haidao": (gbk_portal, "0 3 1 1 *")})
    result = run_cli("--config", str(config), "crawl", "--index", "--json")
    assert result.returncode == 0, result.stderr
    assert [summary["new"] for summary in json.loads(result.stdout)] == [1]
    assert "indexed: 1 added, 0 replaced, 0 removed, 0 unchanged, 0 failed" in result.stderr
    assert phrase_urls(load_settings(config), GBK_PHRASE) == [gbk_portal.url(portal.report_path(YEAR))]
