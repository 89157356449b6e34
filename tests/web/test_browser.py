"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): what a person sees.

Screenshots go to test-artifacts/ (gitignored); look at them after a UI change.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Chromium as root in a container: no sandbox, no GPU, and nothing that phones home.
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium_page(profile: Path, width: int, height: int = 900, **options):
    """(page, console errors) in a fresh headless Chromium profile at `width`×`height` (zh-CN); `options` go to
    Playwright's launch_persistent_context (e.g. `is_mobile`, `accept_downloads`). Every browser test opens
    its page here."""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height}, locale="zh-CN", **options)
        errors: list[str] = []
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        try:
            yield page, errors
        finally:
            context.close()


@pytest.fixture()
def browser_page(tmp_path):
    """A fresh Chromium profile with a 390-px-wide (phone) viewport."""
    with chromium_page(tmp_path / "profile", 390, 844) as (page, errors):
        yield page, errors


def test_phrase_search_facet_and_report_highlight_on_a_phone(server, browser_page):
    page, console_errors = browser_page
    page.goto(server + "/")
    page.get_by_label("搜索政府信息公开年度报告").fill('"一窗受理"')
    page.keyboard.press("Enter")
    expect(page.locator("#summary")).to_contain_text("共 1 份报告")
    expect(page.locator(".snippet mark").first).to_have_text("一窗受理")
    page.screenshot(path=str(ARTIFACTS / "1-results-390.png"), full_page=True)

    page.locator("#facet-year ~ ul a.facet-value", has_text="2020").click()
    expect(page).to_have_url(re.compile(r"year=2020"))
    expect(page.locator(".chip", has_text="年度：2020")).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("共 1 份报告")

    page.locator(".hit h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/reports/[0-9a-f]+\?.*#hit-1$"))
    first_hit = page.locator("#hit-1")
    expect(first_hit).to_have_text("一窗受理")
    expect(first_hit).to_be_in_viewport()
    assert first_hit.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 226, 138)"
    page.screenshot(path=str(ARTIFACTS / "2-report-390.png"))

    # Nothing overflows sideways at 390 px, and the CSP blocked nothing (no inline code).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not console_errors


def test_facets_and_results_work_from_the_keyboard(server, browser_page):
    page, _ = browser_page
    page.goto(server + "/?q=审批")
    page.locator("#q").focus()
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.className + ' ' + document.activeElement.textContent"))
        if "facet-value" in focused[-1] and "2020" in focused[-1]:
            break
    assert "facet-value" in focused[-1]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # visible focus
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"year=2020"))
    page.screenshot(path=str(ARTIFACTS / "3-keyboard-facet-390.png"), full_page=True)


def test_kwic_page_renders_chart(server, browser_page):
    page, console_errors = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/kwic?q=审批")
    expect(page.locator("svg.chart rect").first).to_be_visible()
    expect(page.locator("table.kwic tbody tr").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "4-kwic-1280.png"))
    assert not console_errors


# WCAG relative luminance and contrast ratio of two "rgb(r, g, b)" strings.
CONTRAST_JS = """([fg, bg]) => {
  const lum = c => { const v = c.match(/\\d+/g).slice(0, 3).map(Number).map(x => x / 255)
    .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""
# The background an element's text sits on: the first ancestor with an opaque background.
BACKGROUND_JS = """e => { for (let n = e; n; n = n.parentElement) {
  const c = getComputedStyle(n).backgroundColor; if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; }
  return 'rgb(255, 255, 255)'; }"""


def test_text_contrast_meets_wcag_aa(server, browser_page):
    page, _ = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/?q=审批&year=2020")
    page.screenshot(path=str(ARTIFACTS / "5-results-1280.png"))
    checked = 0
    for selector in ("body", ".meta", ".count", ".hit h3 a", ".snippet", ".snippet mark", ".section", ".chip",
                     ".facet-value.selected", "form.search button", ".syntax summary", "footer.site", ".brand small"):
        element = page.locator(selector).first
        color = element.evaluate("e => getComputedStyle(e).color")
        ratio = page.evaluate(CONTRAST_JS, [color, element.evaluate(BACKGROUND_JS)])
        assert ratio >= 4.5, (selector, color, ratio)
        checked += 1
    assert checked == 13


def test_report_opened_without_fragment_scrolls_to_first_hit(server, browser_page):
    page, console_errors = browser_page
    page.goto(server + "/?q=" + "政务服务")
    href = page.locator(".hit h3 a").first.get_attribute("href").split("#")[0]
    page.goto(server + href)
    expect(page.locator("#hit-1")).to_be_in_viewport()  # static/report.js, allowed by the CSP
    assert page.evaluate("window.scrollY") > 0
    page.goto(server + href.split("?")[0])
    expect(page.locator(".report-meta")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "6-report-top-390.png"))
    assert not console_errors
