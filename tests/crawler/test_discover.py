"""Discovery and change-detection text: pure functions on real and family-shaped pages."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from crawler.discover import (
    Link,
    discover_attachments,
    discover_page,
    discover_pagination,
    is_column_link,
    is_report_title,
)
from crawler.page import content_hash, main_text
from tests.crawler import portals

COLUMN = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def test_real_trs_list_page_yields_its_ten_reports_with_titles():
    html = portals.real_page("zfxxgknb_list_index.html").read_text(encoding="utf-8")
    found = discover_page(html, COLUMN + "index.htm")
    assert len(found.reports) == 10
    assert found.reports[0] == Link(COLUMN + "202603/t20260313_105587.htm", "平潭综合实验区2025年度政府信息公开工作年度报告")
    assert [link.url for link in found.columns] == [COLUMN + "nlist.htm"]
    assert not any("zwgk/yw" in link.url for link in found.reports)


@pytest.mark.parametrize("script, url, expected", [
    ('createPageHTML(3, 0, "index", "html");', "http://a/col/index.html",
     ["http://a/col/index_1.html", "http://a/col/index_2.html"]),
    ("createPageHTML('page_div', 3, 1, 'index', 'shtml', 30);", "http://a/col/index_1.shtml",
     ["http://a/col/index.shtml", "http://a/col/index_2.shtml"]),
    ("var countPage = 3;//共多少页", "http://a/col/", ["http://a/col/index.html", "http://a/col/index_1.html",
                                                    "http://a/col/index_2.html"]),
])
def test_trs_pagination_from_inline_script(script, url, expected):
    family, pages = discover_pagination(f"<html><body><script>{script}</script></body></html>", url)
    assert family == "trs"
    assert sorted(pages) == sorted(expected)


def test_hanweb_datastore_records_and_pagenum_pages():
    html = portals._hanweb_list(portals.HANWEB_TITLES[:3])
    found = discover_page(html, "http://h/col/col2345/index.html")
    assert [link.text for link in found.reports] == [t for _, t in portals.HANWEB_TITLES[:3]]
    assert found.family == "hanweb"
    assert "http://h/col/col2345/index.html?uid=5678&pageNum=3" in found.pages
    assert len(found.pages) == 3


def test_plain_list_last_page_link_expands_to_every_page():
    html = portals.list_page("年报", [("/a/2023.html", "某县2023年政府信息公开工作年度报告")],
                             '<a href="list.html?page=2">下一页</a> <a href="list.html?page=7">尾页</a>')
    family, pages = discover_pagination(html, "http://p/xxgk/list.html")
    assert family == "plain"
    assert {f"http://p/xxgk/list.html?page={n}" for n in range(2, 8)} <= set(pages)


def test_plain_numbered_path_pages():
    html = '<a href="/nb/2.html">2</a><a href="/nb/3.html">下一页</a><a href="/nb/9.html">尾页</a>'
    _, pages = discover_pagination(html, "http://p/nb/1.html")
    assert "http://p/nb/9.html" in pages and "http://p/nb/5.html" in pages


@pytest.mark.parametrize("title, expected", [
    ("平潭综合实验区2023年度政府信息公开工作年度报告", True),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", True),
    ("青山县人民政府2016年政府信息公开年报", True),
    ("2023年政府工作报告", False),
    ("关于开展2023年度企业年报公示工作的通知", False),
    ("政府信息公开年度报告", False),
])
def test_report_titles(title, expected):
    assert is_report_title(title) is expected


def test_column_links_by_words_or_url():
    assert is_column_link(Link("http://a/x/", "政府信息公开年报"))
    assert is_column_link(Link("http://a/zfxxgk/xxgknb/", "更多"))
    assert is_column_link(Link("http://a/module/xxgk/xxgkAnnualReport.jsp?fbtime=2023&area=1", "查看"))
    assert not is_column_link(Link("http://a/zwgk/yw/", "要闻"))


def test_attachments_include_trs_and_download_script_names():
    html = ('<a href="./P020240308385914612345.pdf">附件1</a><a href="/module/download/downfile.jsp?'
            'filename=abc.docx">附件2</a><a href="/x/a.wps">附件3</a><a href="/x/b.jpg">图</a>')
    links = discover_attachments(html, "http://a/col/202403/t20240308_1.htm")
    assert [link.url for link in links] == ["http://a/col/202403/P020240308385914612345.pdf",
                                            "http://a/module/download/downfile.jsp?filename=abc.docx",
                                            "http://a/x/a.wps"]


def test_main_text_of_real_page_keeps_article_and_drops_chrome():
    html = portals.real_page("202403_87885.html").read_text(encoding="utf-8")
    text = main_text(html)
    assert portals.HTML_PHRASE in text
    assert "六、其他需要报告的事项" in text
    assert "网站标识码" not in text and "无障碍浏览" not in text and "主办单位" not in text


def test_changed_footer_or_counter_is_not_a_change_but_changed_article_is():
    page = portals.html_page("某县2023年度政府信息公开工作年度报告", "本年度主动公开信息100条。", counter=5)
    recounted = portals.html_page("某县2023年度政府信息公开工作年度报告", "本年度主动公开信息100条。", counter=6)
    edited = portals.html_page("某县2023年度政府信息公开工作年度报告", "本年度主动公开信息120条。", counter=6)
    assert content_hash(page.encode(), page) == content_hash(recounted.encode(), recounted)
    assert content_hash(page.encode(), page) != content_hash(edited.encode(), edited)


def test_page_without_known_container_drops_footer_blocks():
    page = ('<html><body><div class="top-nav">首页</div><div>正文：主动公开信息100条</div>'
            '<div id="footer">访问次数 {}</div></body></html>')
    assert main_text(page.format(1)) == main_text(page.format(2)) == "正文：主动公开信息100条"


def test_trs_page_count_passed_as_variables():
    html = ('<script>var countPage = 3;var currentPage = 0;'
            'createPageHTML(countPage, currentPage, "index", "html");</script>')
    _, pages = discover_pagination(html, "http://a/nb/index.html")
    assert sorted(pages) == ["http://a/nb/index_1.html", "http://a/nb/index_2.html"]


def test_inside_a_column_cut_titles_and_year_subcolumns_are_followed():
    html = portals.list_page("年报", [("/xxgk/xxgknb/2021/index.html", "白水县2021年政府信息公开工作年..."),
                                     ("/xxgk/xxgknb/y2020/", "2020年度"), ("/news/2021.html", "2021年新闻")])
    found = discover_page(html, "http://p/xxgk/xxgknb/list.html")
    assert [link.url for link in found.reports] == ["http://p/xxgk/xxgknb/2021/index.html"]
    assert [link.url for link in found.columns] == ["http://p/xxgk/xxgknb/y2020/"]


def test_hanweb_unit_id_from_the_datastore_div_and_total_pages_tag():
    html = ('<div id="999"><script type="text/xml"><datastore><totalpage>3</totalpage><recordset>'
            '<record><![CDATA[<li><a href="/art/2024/2/1/art_100_1.html">某县2023年度政府信息公开工作年...</a></li>]]>'
            '</record></recordset></datastore></script></div>')
    found = discover_page(html, "http://h/col/col100/index.html", in_column=True)
    assert [link.url for link in found.reports] == ["http://h/art/2024/2/1/art_100_1.html"]
    assert "http://h/col/col100/index.html?uid=999&pageNum=3" in found.pages


def test_plain_path_pages_are_generated_from_page_two():
    html = '<a href="index_2.html">下一页</a><a href="index_4.html">尾页</a>'
    _, pages = discover_pagination(html, "http://p/xxgk/ndbg/index.html")
    assert sorted(pages) == ["http://p/xxgk/ndbg/index_2.html", "http://p/xxgk/ndbg/index_3.html",
                             "http://p/xxgk/ndbg/index_4.html"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('<>a="/ ?&;:年报度告2019下一页尾createPageHTML(,)[]!CDATAdatastore')),
               max_size=300))
def test_discovery_never_fails_on_arbitrary_markup(markup):
    found = discover_page(markup, "http://a/xxgk/xxgknb/index.html")
    assert len(found.pages) <= 3 * 500
    assert all(link.url.startswith("http") for link in found.reports + found.columns + found.hubs)
