"""In a real headless Chromium at desktop (1280 px) and phone (390 px) width: the compare view of 洪泽区's 2023
and 2024 reports, reached from the report page, and the search page's feed link read by feedparser."""
from __future__ import annotations

import re

import feedparser
import pytest
from playwright.sync_api import expect

from tests.compare.conftest import report_ids
from tests.web.conftest import serving
from tests.web.test_browser import ARTIFACTS, chromium_page

WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def real_server(real_config):
    yield from serving(real_config)


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def browser_page(request, tmp_path):
    """A fresh Chromium profile at the parametrised width; console errors collected."""
    with chromium_page(tmp_path / "profile", request.param) as (page, errors):
        yield page, request.param, errors


def test_the_compare_view_of_hongze_2023_and_2024(real_server, real_engine, browser_page):
    page, width, console_errors = browser_page
    report = report_ids(real_engine, "agency:洪泽区")[("淮安市洪泽区人民政府", 2024)]
    page.goto(f"{real_server}/reports/{report}")
    page.get_by_role("link", name=re.compile("与 2023 年报告比较")).click()
    expect(page).to_have_url(re.compile(rf"/reports/{report}/compare\?with="))
    expect(page.locator("h1")).to_have_text("淮安市洪泽区人民政府：2023 年与 2024 年报告比较")
    expect(page.locator(".carried-total")).to_contain_text(re.compile(r"7\d%"))

    removed = page.locator("#c-overview del", has_text="2023").first
    added = page.locator("#c-overview ins", has_text="2024").first
    expect(removed).to_be_visible()
    expect(added).to_be_visible()
    # Marked by line and sign, not by colour alone.
    assert "line-through" in removed.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in added.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert added.locator(".sign").inner_text() == "＋" and removed.locator(".sign").inner_text() == "－"
    page.screenshot(path=str(ARTIFACTS / f"compare-{width}.png"), full_page=False)

    # The section list works from the keyboard.
    page.get_by_role("link", name="依申请公开").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#c-requests$"))
    expect(page.locator("#ch-requests")).to_be_in_viewport()
    expect(page.locator("#ch-requests .share")).to_contain_text("沿用")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not console_errors


def test_the_search_page_offers_its_feed_and_a_feed_reader_reads_it(real_server, browser_page):
    page, width, console_errors = browser_page
    page.goto(f"{real_server}/?q=洪泽区")
    link = page.get_by_role("link", name="订阅新报告（Atom）")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href == page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    response = page.request.get(real_server + href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo and feed.feed.title == "年报搜索 · “洪泽区”"
    assert sorted((e.author, re.search(r"20\d\d年", e.title).group()) for e in feed.entries) == [
        ("淮安市洪泽区人民政府", "2023年"), ("淮安市洪泽区人民政府", "2024年")]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not console_errors
