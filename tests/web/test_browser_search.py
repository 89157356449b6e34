"""A citizen's search in a real headless Chromium, at desktop (1280 px) and phone (390 px) width: a place name
read as a removable filter chip, and two years picked in the facet."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import ARTIFACTS, chromium_page

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, tmp_path):
    """(page, console errors, width) in a fresh Chromium profile at the parametrised viewport."""
    width, height = WIDTHS[request.param]
    with chromium_page(tmp_path / "profile", width, height) as (page, errors):
        yield page, errors, width


def test_citizen_finds_the_county_report_with_the_filter_chip(server, sized_page):
    page, console_errors, width = sized_page
    page.goto(server + "/")
    page.get_by_label("搜索政府信息公开年度报告").fill("金凤区 申请")
    page.keyboard.press("Enter")
    expect(page.locator("#summary")).to_contain_text("共 1 份报告")
    expect(page.locator(".hit h3 a").first).to_contain_text("金凤区")
    chip = page.locator(".chip", has_text="地区：金凤区")
    expect(chip).to_be_visible()
    expect(chip).to_have_attribute("title", re.compile("当作文字搜索"))
    page.screenshot(path=str(ARTIFACTS / f"search16-chip-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    chip.focus()
    page.keyboard.press("Enter")  # removing the chip searches 金凤区 as text
    expect(page).to_have_url(re.compile(r"literal="))
    expect(page.locator(".chip", has_text="地区：金凤区")).to_have_count(0)
    expect(page.locator("#summary")).to_contain_text("份报告")
    assert not console_errors


def test_two_years_picked_in_the_facet(server, sized_page):
    page, console_errors, width = sized_page
    page.goto(server + "/?q=公开")
    years = page.locator("#facet-year ~ ul a.facet-value")
    years.filter(has_text="2017").click()
    expect(page).to_have_url(re.compile(r"year=2017"))
    expect(page.locator("#summary")).to_contain_text("共 1 份报告")
    other = page.locator("#facet-year ~ ul a.facet-value", has_text="2020")
    expect(other).to_be_visible()  # the other years stay listed with their counts
    expect(other.locator(".count")).to_have_text("2")
    other.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"year=2017&year=2020"))
    expect(page.locator("#summary")).to_contain_text("共 3 份报告")
    expect(page.locator("#facet-year ~ ul a.facet-value.selected")).to_have_count(2)
    expect(page.locator(".chip", has_text="年度：2017")).to_be_visible()
    expect(page.locator(".chip", has_text="年度：2020")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"search16-years-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not console_errors
