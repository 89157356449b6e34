"""Crawl the fixture TRS portal → `nianbao index` → `nianbao search` finds what only the crawl brought in."""
from __future__ import annotations

import json

import pytest

from tests.crawler import portals
from tests.test_config import run_cli


@pytest.fixture
def crawled_and_indexed(trs_settings):
    config = str(trs_settings.source)
    crawled = run_cli("--config", config, "crawl", "--json")
    assert crawled.returncode == 0, crawled.stderr
    indexed = run_cli("--config", config, "index", "--json")
    assert indexed.returncode == 0, indexed.stderr
    return config


def search(config: str, phrase: str) -> dict:
    result = run_cli("--config", config, "search", f'"{phrase}"', "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_phrase_inside_crawled_html_report_is_found(crawled_and_indexed, trs_server):
    found = search(crawled_and_indexed, portals.HTML_PHRASE)
    assert [hit["url"] for hit in found["hits"]] == [trs_server.url(portals.TRS_COLUMN + "202403/t20240308_87885.htm")]
    assert found["hits"][0]["year"] == 2023
    gbk = search(crawled_and_indexed, portals.GBK_PHRASE)
    assert [hit["url"] for hit in gbk["hits"]] == [trs_server.url(portals.TRS_COLUMN + "202103/t20210305_80595.htm")]


def test_phrase_inside_crawled_pdf_attachment_is_found(crawled_and_indexed, trs_server):
    found = search(crawled_and_indexed, portals.PDF_PHRASE)
    pdf = trs_server.url(portals.TRS_COLUMN + "202001/P020200120385914612345.pdf")
    assert [hit["url"] for hit in found["hits"]] == [pdf]
