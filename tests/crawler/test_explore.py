"""Discovery for exploration (issue 14): hubs, units, notices about reports, modules and dataproxy pages.
Pure functions on family-shaped pages."""
from __future__ import annotations

import pytest

from crawler.discover import (
    Link,
    detect_family,
    discover_embedded,
    discover_listing,
    discover_page,
    discover_search,
    is_hub_link,
    is_report_title,
    is_unit_name,
)
from nianbao.config import FAMILIES
from tests.crawler.portalgen import build_portal


@pytest.mark.parametrize("text, url, expected", [
    ("政府信息公开", "http://a/zfxxgk/index.html", True),
    ("法定主动公开内容", "http://a/col/col200/index.html", True),
    ("乡镇（街道）信息公开", "http://a/zwgk/xzxxgk/", True),
    ("", "http://a/xxgk/", True),                       # an image link: its address names a hub
    ("政府信息公开指南", "http://a/zfxxgk/zn/", False),
    ("政务公开工作要点", "http://a/zwgk/gzyd/", False),
    ("机构职能", "http://a/zwgk/zfxxgk/fdzdgknr/jgzn/", False),  # below a hub is not a hub
    ("新闻中心", "http://a/news/", False),
])
def test_hub_links(text, url, expected):
    assert is_hub_link(Link(url, text)) is expected


@pytest.mark.parametrize("text, expected", [
    ("教育局", True), ("石门县城关镇", True), ("河街街道", True), ("县卫生健康委员会", True),
    ("新闻中心", False), ("政务服务中心", False), ("首页", False), ("2023年度", False),
])
def test_unit_names(text, expected):
    assert is_unit_name(text) is expected


@pytest.mark.parametrize("title", [
    "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知",
    "图解：青山县2023年政府信息公开工作年度报告",
    "青山县2023年政务公开工作要点",
])
def test_notices_and_readings_about_reports_are_not_reports(title):
    assert not is_report_title(title)


def test_units_are_links_on_a_directory_page_only():
    html = ('<html><head><title>部门信息公开</title></head><body><a href="/news/">新闻中心</a>'
            '<a href="/bm/jyj/">教育局</a><a href="/bm/czj/">财政局</a></body></html>')
    found = discover_page(html, "http://a/zwgk/bmxxgk/index.html")
    assert [link.url for link in found.units] == ["http://a/bm/jyj/", "http://a/bm/czj/"]
    assert not discover_page(html.replace("部门信息公开", "通知公告"), "http://a/tz/index.html").units


def test_hanweb_module_page_expands_to_every_unit_and_year():
    site = build_portal("hanweb-module").site
    module = site.dynamic["/module/xxgk/xxgkAnnualReport.jsp"]
    html = module({"area": "11330100MB0000002X", "fbtime": "2022"}).body.decode()
    found = discover_page(html, "http://h" + module.url("11330100MB0000002X", 2022))
    generated = [p for p in found.pages if "xxgkAnnualReport" in p]
    assert len(generated) == 5 * 4 - 1 and found.family == "hanweb"
    assert "http://h/module/xxgk/xxgkAnnualReport.jsp?area=11330100MB0000005X&fbtime=2020" in generated
    assert [link.text for link in found.reports] == ["东平县教育局2022年度政府信息公开工作年度报告"]


def test_hanweb_dataproxy_windows_follow_the_first_group():
    site = build_portal("hanweb-module").site
    html = site.routes["/col/col502/index.html"].body.decode()
    found = discover_page(html, "http://h/col/col502/index.html")
    assert len(found.reports) == 9
    [window] = found.pages
    assert "dataproxy.jsp?" in window and "columnid=502" in window and "startrecord=10&endrecord=13" in window


def test_families_detected_are_the_configured_ones():
    trs = detect_family('<div class="TRS_Editor">', ["http://a/202401/t20240115_1.html"])
    hanweb = detect_family("", ["http://a/art/2024/1/15/art_1_2.html"])
    assert (trs, hanweb, detect_family("<ul></ul>")) == ("trs", "hanweb", "plain")
    assert {trs, hanweb, "plain"} == set(FAMILIES)


def test_site_search_form_becomes_a_results_url():
    html = ('<form action="/login" method="post"><input name="q"></form>'
            '<form action="/s/search.jsp?site=1"><input type="hidden" name="col" value="all">'
            '<input type="text" name="keyword"><input type="submit" name="go" value="搜索"></form>')
    assert discover_search(html, "http://a/") == ("http://a/s/search.jsp?site=1&col=all&keyword=%E5%B9%B4%E5%BA%A6"
                                                  "%E6%8A%A5%E5%91%8A")
    assert discover_search('<form><input name="username"></form>', "http://a/") is None


def test_redirecting_home_pages_and_frames_stand_for_their_targets():
    refresh = '<meta http-equiv="refresh" content="0; url=/index.html">'
    assert discover_embedded(refresh, "http://a/") == ["http://a/index.html"]
    script = "<script>window.location.href='/col/col1/index.html';</script>"
    assert discover_embedded(script, "http://a/") == ["http://a/col/col1/index.html"]
    framed = '<iframe src="list.html"></iframe><iframe src="/files/a.pdf"></iframe><iframe src="file:///etc/passwd">'
    assert discover_embedded(framed, "http://a/xxgk/") == ["http://a/xxgk/list.html"]


def test_hanweb_module_units_from_an_area_select():
    html = ('<select name="area"><option value="001">县政府</option><option value="002">县教育局</option></select>'
            '<select name="fbtime"><option value="2023">2023</option><option value="2022">2022</option></select>')
    found = discover_page(html, "http://h/module/xxgk/xxgkAnnualReport.jsp?area=001&fbtime=2023")
    assert sorted(found.pages) == sorted(f"http://h/module/xxgk/xxgkAnnualReport.jsp?area={a}&fbtime={y}"
                                         for a in ("001", "002") for y in (2023, 2022)
                                         if (a, y) != ("001", 2023))


def test_a_page_listing_reports_is_told_from_a_report():
    site = build_portal("trs-years-utf8").site
    listing = site.routes["/xxgk/ndbg/2020nd/index.html"].body.decode()
    found = discover_listing(listing, "http://b/xxgk/ndbg/2020nd/")
    assert found is not None and len(found.reports) == 4
    report = site.routes["/xxgk/ndbg/2020nd/202102/t20210210_0.html"].body.decode()
    assert discover_listing(report, "http://b/xxgk/ndbg/2020nd/report.html") is None
