"""The home page in a real headless Chromium at desktop (1280 px) and phone (390 px) width: the overview,
browsing province → city → county and by year, no sideways scrolling, a visible keyboard focus."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import ARTIFACTS, browser_page  # noqa: F401  (the shared Chromium page fixture)

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=sorted(WIDTHS))
def sized_page(request, browser_page):  # noqa: F811
    """The shared Chromium page at the parameter's width; yields (page, width, console errors)."""
    page, errors = browser_page
    width = WIDTHS[request.param]
    page.set_viewport_size({"width": width, "height": 900})
    return page, width, errors


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_home_overview_and_browsing_province_city_county(server, sized_page):
    page, width, console_errors = sized_page
    page.goto(server + "/")
    expect(page.locator(".totals")).to_contain_text("5 份报告")
    expect(page.locator(".first-run")).to_contain_text("随程序附带的示例数据")
    expect(page.locator("#add-portal pre").first).to_contain_text('name = "pingtan"')
    page.screenshot(path=str(ARTIFACTS / f"home-{width}.png"), full_page=True)
    no_sideways_scroll(page, width)

    page.get_by_role("link", name="列出宁夏回族自治区的全部 5 份报告").click()
    expect(page).to_have_url(re.compile(r"province=.*sort=year"))
    expect(page.locator("#summary")).to_contain_text("共 5 份报告")
    expect(page.locator(".chip", has_text="省份：宁夏回族自治区")).to_be_visible()
    page.go_back()

    tree = page.locator(".region-tree")
    tree.locator("summary", has_text="银川市").click()
    tree.get_by_role("link", name=re.compile("金凤区")).click()
    expect(page).to_have_url(re.compile(r"county=%E9%87%91%E5%87%A4%E5%8C%BA"))
    expect(page.locator("#summary")).to_contain_text("共 1 份报告")
    expect(page.locator(".hit h3 a")).to_have_text("银川市金凤区审批服务管理局2020年政府信息公开工作年度报告")
    page.screenshot(path=str(ARTIFACTS / f"home-browse-county-{width}.png"), full_page=True)
    no_sideways_scroll(page, width)
    assert not console_errors


def test_home_year_links_list_that_years_reports(server, sized_page):
    page, width, console_errors = sized_page
    page.goto(server + "/")
    page.locator(".year-list").get_by_role("link", name=re.compile("2020 年")).click()
    expect(page).to_have_url(re.compile(r"year=2020"))
    expect(page.locator("#summary")).to_contain_text("共 2 份报告")
    expect(page.locator(".chip", has_text="年度：2020")).to_be_visible()
    no_sideways_scroll(page, width)
    assert not console_errors


def test_home_browsing_works_from_the_keyboard_with_a_visible_focus(server, sized_page):
    page, width, _ = sized_page
    page.goto(server + "/")
    page.locator("#q").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.region-tree') !== null"
                         " && document.activeElement.textContent.includes('银川市')"):
            break
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")  # opens 银川市
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "列出银川市的全部 2 份报告" to 金凤区
    assert "金凤区" in page.evaluate("document.activeElement.textContent")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.screenshot(path=str(ARTIFACTS / f"home-keyboard-{width}.png"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"county="))
    expect(page.locator("#summary")).to_contain_text("共 1 份报告")
