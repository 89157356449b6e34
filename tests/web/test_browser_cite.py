"""In a real Chromium, at desktop (1280 px) and phone (390 px) width: a KWIC line opens the viewer at its own
occurrence, and a batch search's CSV downloads with a BOM and the source address in every row."""
from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import ARTIFACTS, chromium_page

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(params=sorted(WIDTHS))
def sized_page(request, tmp_path):
    """A fresh Chromium profile at desktop or phone size, downloads accepted; (page, width, console errors)."""
    width, height = WIDTHS[request.param]
    with chromium_page(tmp_path / "profile", width, height, accept_downloads=True) as (page, errors):
        yield page, request.param, errors


def test_a_kwic_line_opens_the_viewer_at_that_occurrence(server, sized_page):
    page, size, console_errors = sized_page
    page.goto(server + "/kwic?q=一窗受理")
    lines = page.locator("td.match a")
    assert lines.count() > 3
    third = lines.nth(2)
    left = page.locator("td.left").nth(2).inner_text()
    href = third.get_attribute("href")
    third.click()
    expect(page).to_have_url(re.compile(r"/reports/\w+\?.*offset=\d+.*#occurrence$"))
    cited = page.locator("mark.cited")
    expect(cited).to_have_count(1)
    expect(cited).to_have_text("一窗受理")
    expect(cited).to_be_in_viewport()
    # It is the third line's occurrence: the text just before it is that line's left context.
    before = cited.evaluate("e => { const r = document.createRange(); r.setStart(e.closest('.text'), 0);"
                            " r.setEndBefore(e); return r.toString(); }")
    assert " ".join(before.split()).endswith(left.strip()[-10:])
    # Not the first hit of the report: the viewer did not just jump to #hit-1.
    assert cited.get_attribute("id") != "hit-1" and "offset=" in href
    assert page.evaluate("getComputedStyle(document.querySelector('mark.cited')).outlineStyle") == "solid"
    page.screenshot(path=str(ARTIFACTS / f"cite-kwic-occurrence-{size}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[size][0]
    assert not console_errors


def test_batch_search_and_its_csv(server, sized_page):
    page, size, console_errors = sized_page
    page.goto(server + "/batch")
    page.get_by_label("词语或短语，每行一个").fill("一窗受理\n政府信息公开\n没有这个词语")
    page.get_by_role("button", name="统计").click()
    expect(page).to_have_url(re.compile(r"/batch\?list=[0-9a-f]{16}$"))
    rows = page.locator("table.batch tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("th")).to_have_text("一窗受理")
    expect(rows.nth(2).locator("td.number").first).to_have_text("0")
    page.screenshot(path=str(ARTIFACTS / f"cite-batch-{size}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[size][0]

    with page.expect_download() as download:
        page.locator("#batch-csv").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: a spreadsheet reads the Chinese right
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {row["词条"] for row in table} == {"一窗受理", "政府信息公开"}
    assert all(row["原文链接"].startswith("http") for row in table)

    page.goto(server + page.locator("#batch-permalink").get_attribute("href"))
    expect(page.locator("table.batch tbody tr")).to_have_count(3)  # the permalink reruns the same list
    assert not console_errors
