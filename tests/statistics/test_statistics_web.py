"""What people see of the statistics: the report viewer's tables (failed checks marked on cells and explained),
the /data page with its chart, CSV and JSON, and the API — through Flask and in a real Chromium (desktop, 390 px)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from crawler.corpus import doc_id_for, write_document
from nianbao.config import load_settings
from tests.conftest import write_config
from tests.statistics.test_statsdb import PORTAL, report
from tests.test_config import run_cli
from tests.web.conftest import serving
from tests.web.test_browser import ARTIFACTS, chromium_page
from webui import create_app

WRONG_URL = "http://testland.invalid/2022.txt"


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("statsweb")
    corpus = folder / "corpus"
    for year in (2020, 2021):
        write_document(corpus, "testland", f"http://testland.invalid/{year}.txt", report(year, new=12 + year - 2020),
                       content_type="text/plain", extension="txt")
    no_tables = "某某局2019年政府信息公开工作年度报告\n一、总体情况\n本年度未收到申请。"  # a year with nothing to read
    write_document(corpus, "testland", "http://testland.invalid/2019.txt", no_tables.encode(), content_type="text/plain",
                   extension="txt")
    wrong = report(2022).decode().replace("（七）总计\t7\t1\t0\t0\t0\t0\t8", "（七）总计\t7\t1\t0\t0\t0\t0\t9")
    wrong = wrong.replace("二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0", "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t")
    write_document(corpus, "testland", WRONG_URL, wrong.encode(), content_type="text/plain", extension="txt")
    path = write_config(folder, corpus, PORTAL)
    assert run_cli("--config", str(path), "index").returncode == 0
    return path


@pytest.fixture(scope="module")
def client(config):
    return create_app(load_settings(config)).test_client()


def test_report_viewer_shows_tables_and_explains_failed_checks(client):
    page = client.get(f"/reports/{doc_id_for(WRONG_URL)}").get_data(as_text=True)
    assert page.count('<table class="stat-table">') == 3  # tables 2, 3 and 4
    assert "表三 收到和处理政府信息公开申请情况" in page and "<th scope=\"col\">社会公益组织</th>" in page
    failed = re.findall(r'<td class="kind-number failed">9 <a class="check-ref" href="#check-(\d+)"', page)
    assert failed, "the wrong total is marked on its cell"
    explanation = re.search(rf'<li id="check-{failed[0]}" class="check-fail">(.*?)</li>', page, re.S).group(1)
    assert "不符" in explanation and "相差 1" in explanation


def test_data_page_table_csv_and_json_agree(client):
    page = client.get("/data?measure=new").get_data(as_text=True)
    assert "<caption>本年新收申请（件）" in page and "某某局" in page
    assert re.search(r">12</a></td>\s*<td><a [^>]+>13</a></td>", page)
    table = client.get("/api/data?measure=new").get_json()
    assert table["years"] == [2019, 2020, 2021, 2022]
    assert table["rows"][0]["values"] == {"2019": None, "2020": 12, "2021": 13, "2022": 12}  # unknown, not 0
    raw = client.get("/data.csv?measure=new")
    assert raw.headers["Content-Type"].startswith("text/csv") and raw.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig"))))
    assert rows[1][:4] == ["乙县某某局", "测试省", "甲市", "乙县"] and rows[1][4:] == ["", "12", "13", "12"]


def test_data_filters_sorting_and_errors(client):
    assert client.get("/api/data?measure=failed_checks").get_json()["rows"][0]["values"]["2022"] >= 1
    assert client.get("/api/data?province=别的省").get_json()["rows"] == []
    assert client.get("/api/data?year=2021..2022").get_json()["years"] == [2021, 2022]
    assert client.get("/api/data?measure=failed_checks").get_json()["rows"][0]["values"]["2019"] is None
    assert client.get("/data?measure=nonsense").status_code == 400
    assert "年份" in client.get("/data?year=abc").get_data(as_text=True)
    page = client.get("/data?measure=new&sort=-2021").get_data(as_text=True)
    assert "2021 ↓" in page


def test_chart_is_an_svg_that_runs_no_script(client):
    response = client.get("/data/chart.svg?measure=review")
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_api_report_statistics_and_openapi(client):
    data = client.get(f"/api/reports/{doc_id_for(WRONG_URL)}/statistics").get_json()
    assert data["totals"]["total"] == 9 and any(c["status"] == "FAIL" for c in data["checks"])
    assert any(c["id"] == "years.carry" for c in data["checks"])  # paired with the 2021 report
    assert client.get("/api/reports/nope/statistics").status_code == 404
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/data", "/api/reports/{report_id}/statistics"} <= set(paths)


@pytest.fixture(scope="module")
def server(config):
    yield from serving(config)


@pytest.mark.parametrize("width", [1280, 390])
def test_tables_and_data_page_in_a_browser(server, tmp_path, width):
    with chromium_page(tmp_path / "profile", width) as (page, errors):
        page.goto(f"{server}/reports/{doc_id_for(WRONG_URL)}")
        assert page.locator("td.kind-blank").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # wide tables scroll in place
        failed = page.locator("tr:has(th:text-is('（七）总计')) td.failed").first
        expect(failed).to_be_visible()
        failed.locator("a.check-ref").first.click()
        expect(page.locator("li.check-fail:target")).to_contain_text("相差 1")
        page.locator(".statistics").screenshot(path=str(ARTIFACTS / f"stats-report-{width}.png"))

        page.goto(f"{server}/data")
        page.get_by_label("指标").select_option("review")
        page.get_by_role("button", name="查看").click()
        expect(page.locator("table.data-table caption")).to_contain_text("行政复议")
        assert page.locator(".data-chart img").evaluate("img => img.complete && img.naturalWidth > 0")
        page.screenshot(path=str(ARTIFACTS / f"stats-data-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.keyboard.press("Tab")
        assert not errors
