"""The console in a real headless Chromium at desktop (1280 px) and phone (390 px) width: log in, add a portal
with the form, see it in the console's table and in `nianbao status`; nothing scrolls sideways; keyboard works.

Screenshots go to test-artifacts/ (gitignored): console-*.png.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import Expect
from werkzeug.security import generate_password_hash

from tests.conftest import REPO
from tests.ops.conftest import write_ops_config
from tests.ops.test_console import PASSWORD, YEARLY
from tests.web.conftest import serving
from tests.web.test_browser import ARTIFACTS, chromium_page
from webui.admin.auth import PASSWORD_ENV

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
# Patient assertions: the machine is shared, and a dashboard reads the corpus and opens the index. Nothing
# here measures speed; this only keeps a busy machine from failing the test.
expect = Expect()
expect.set_options(timeout=30_000)


@pytest.fixture
def console_site(tmp_path, portal_a, monkeypatch):
    """`nianbao serve` with the console enabled, over a config with one portal (the fixture server)."""
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    config = write_ops_config(tmp_path, {"qingshan": (portal_a, YEARLY)}, web=web)
    for base in serving(config):
        yield config, base


@pytest.fixture(params=sorted(WIDTHS))
def browser(request, tmp_path):
    width, height = WIDTHS[request.param]
    with chromium_page(tmp_path / "profile", width, height, is_mobile=request.param == "phone") as (page, errors):
        page.set_default_timeout(30_000)
        yield page, request.param, width, errors


def log_in_by_keyboard(page, base: str) -> None:
    page.goto(base + "/admin/")
    expect(page).to_have_url(base + "/admin/login?next=/admin/")
    page.get_by_label("密码").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="门户", exact=True)).to_be_visible()


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def status_of(config) -> dict:
    result = subprocess.run([sys.executable, "-m", "nianbao.cli", "--config", str(config), "status", "--json"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    return {p["name"]: p for p in json.loads(result.stdout)["portals"]}


def test_log_in_add_a_portal_and_see_it_in_the_console_and_in_status(console_site, browser):
    config, base = console_site
    page, device, width, errors = browser
    log_in_by_keyboard(page, base)
    no_sideways_scroll(page, width)
    page.get_by_role("navigation", name="运维控制台").get_by_role("link", name="添加门户").click()
    page.get_by_label("标识名").fill("baishui")
    page.get_by_label("门户名称").fill("白水县人民政府")
    page.get_by_label("起始网址").fill("http://127.0.0.1:9/")
    page.get_by_label("抓取计划（cron）").fill("0 3 * * ")  # a typo first: refused in Chinese, beside the field
    page.get_by_role("button", name="添加门户").click()
    expect(page.locator("#schedule-error")).to_contain_text("不是有效的 cron 表达式")
    expect(page.get_by_label("门户名称")).to_have_value("白水县人民政府")  # what was typed is kept
    no_sideways_scroll(page, width)
    page.screenshot(path=str(ARTIFACTS / f"console-form-refused-{device}.png"), full_page=True)
    page.get_by_label("抓取计划（cron）").fill("0 3 * * 1")
    page.get_by_role("button", name="添加门户").click()
    expect(page.locator(".flash")).to_contain_text("已添加门户「白水县人民政府」")
    expect(page.locator("dl.portal-facts")).to_contain_text("每周一 03:00")

    page.get_by_role("link", name="门户", exact=True).click()
    row = page.locator("#portals tr[data-portal=baishui]")
    expect(row).to_contain_text("白水县人民政府")
    expect(row).to_contain_text("每周一 03:00")
    expect(row.locator("code.cron")).to_have_text("0 3 * * 1")
    no_sideways_scroll(page, width)
    page.screenshot(path=str(ARTIFACTS / f"console-portals-{device}.png"), full_page=True)
    listed = status_of(config)
    assert listed["baishui"]["title"] == "白水县人民政府" and listed["baishui"]["schedule_words"] == "每周一 03:00"
    assert not [e for e in errors if "422" not in e]  # the CSP blocked nothing (422: the refused form)


def test_tables_stay_readable_and_disabled_portals_explain_themselves(console_site, browser):
    config, base = console_site
    page, device, width, errors = browser
    log_in_by_keyboard(page, base)
    row = page.locator("#portals tr[data-portal=qingshan]")
    title_cell = row.locator("th")
    # The title keeps its words on one line or two, not one character per line.
    assert title_cell.evaluate("e => e.getBoundingClientRect().width") > (250 if device == "phone" else 100)
    row.get_by_role("button", name="停用").click()
    expect(page.locator(".flash")).to_contain_text("已停用门户")
    expect(row).to_contain_text("已停用")
    expect(row.get_by_role("button", name="立即重抓")).to_have_count(0)
    assert status_of(config)["qingshan"]["enabled"] is False
    page.locator("#portals tr[data-portal=qingshan] th a").click()
    expect(page.locator("dl.portal-facts")).to_contain_text("已停用")
    no_sideways_scroll(page, width)
    page.screenshot(path=str(ARTIFACTS / f"console-disabled-portal-{device}.png"), full_page=True)
    page.goto(base + "/admin/runs")
    no_sideways_scroll(page, width)
    assert not errors


def test_the_console_works_from_the_keyboard(console_site, browser):
    _config, base = console_site
    page, device, _width, _errors = browser
    log_in_by_keyboard(page, base)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "立即重抓":
            break
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # visible focus
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("已加入队列")
    page.screenshot(path=str(ARTIFACTS / f"console-keyboard-recrawl-{device}.png"))
