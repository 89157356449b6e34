"""The home page: what the index holds, browsing without a query, the first-run steps, honest "原文" links."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from crawler.corpus import write_document
from nianbao.config import load_settings
from nianbao.pipeline import index_corpus
from tests.conftest import REPO, write_config
from webui import create_app
from webui.views.home import PORTAL_EXAMPLE


def links(page: str, css_class: str | None = None) -> dict[str, str]:
    """Link text (tags and spaces removed) → href, of the page's links (with `css_class`, only those)."""
    found = {}
    for attributes, body in re.findall(r"<a ([^>]*)>(.*?)</a>", page, re.S):
        if css_class and f'class="{css_class}"' not in attributes:
            continue
        href = re.search(r'href="([^"]*)"', attributes)
        if href:
            found[re.sub(r"<[^>]+>|\s+", "", body)] = html.unescape(href.group(1))
    return found


def listed_titles(page: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h3><a [^>]*>([^<]*)</a>', page)


def test_home_page_says_what_is_inside_the_bundled_corpus(demo):
    page = demo.get("/").get_data(as_text=True)
    totals = re.sub(r"<[^>]+>|\s+", "", re.search(r'<ul class="totals">(.*?)</ul>', page, re.S).group(1))
    assert totals == "5份报告5个机构5个地区4个年度（2017–2022）33个章节"
    assert "这是随程序附带的示例数据" in page and "每个机构只有一个年度" in page
    assert "“原文”链接指向发布门户的首页" in page
    newest = re.search(r'<ol class="newest-list">(.*?)</ol>', page, re.S).group(1)
    assert newest.count("<li>") == 5 and "中宁县审批服务管理局2022年" in newest and "抓取于 2026-11-23" in newest


def test_region_tree_links_list_reports_without_a_query(demo):
    page = demo.get("/").get_data(as_text=True)
    counties = links(page, "region-leaf")
    assert set(counties) == {"中宁县1份", "沙坡头区1份", "金凤区1份", "青铜峡市1份"}
    listing = demo.get(counties["金凤区1份"]).get_data(as_text=True)
    assert listed_titles(listing) == ["银川市金凤区审批服务管理局2020年政府信息公开工作年度报告"]
    province = links(page, "browse-all")["列出宁夏回族自治区的全部5份报告"]
    titles = listed_titles(demo.get(province).get_data(as_text=True))
    assert len(titles) == 5 and titles[0].startswith("中宁县审批服务管理局2022")  # newest first
    assert "另有 1 份未注明下一级地区" in page  # 银川市's own agency has no county


def test_year_and_agency_links_list_their_reports(demo):
    page = demo.get("/").get_data(as_text=True)
    year = links(page)["2020年2份"]
    assert len(listed_titles(demo.get(year).get_data(as_text=True))) == 2
    agency = links(page)["银川市行政审批服务局1份"]
    assert listed_titles(demo.get(agency).get_data(as_text=True)) == ["银川市行政审批服务局2017年政府信息公开工作年度报告"]


@pytest.mark.parametrize("engine", ["whoosh", "tantivy", "reference"])
def test_an_empty_query_with_filters_lists_reports_in_every_engine(engine, tmp_path):
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    settings = load_settings(write_config(tmp_path, tmp_path / "corpus", engine=engine))
    index_corpus(settings)
    client = create_app(settings).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "<strong>5</strong> 份报告" in page
    listing = client.get(links(page, "region-leaf")["青铜峡市1份"]).get_data(as_text=True)
    assert listed_titles(listing) == ["青铜峡市审批服务管理局2020年政府信息公开工作年度报告"]
    assert len(listed_titles(client.get("/?year=2018..2022&sort=year").get_data(as_text=True))) == 4


def test_home_page_follows_a_new_crawl_and_index_without_restart(tmp_path):
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    settings = load_settings(write_config(tmp_path, tmp_path / "corpus"))
    index_corpus(settings)
    client = create_app(settings).test_client()
    assert "<strong>5</strong> 份报告" in client.get("/").get_data(as_text=True)
    write_document(tmp_path / "corpus", "yinchuan", "http://www.yinchuan.gov.cn/2021.txt",
                   "一、总体情况\n\n本年推行一网通办。\n".encode(), content_type="text/plain", extension="txt",
                   link_title="银川市行政审批服务局2021年政府信息公开工作年度报告")
    index_corpus(settings)
    page = client.get("/").get_data(as_text=True)
    assert "<strong>6</strong> 份报告" in page and "这是随程序附带的示例数据" not in page
    assert 'class="first-run"' not in page  # 银川市行政审批服务局 now has two years: nothing is missing
    assert "2021年1份" in links(page)


def test_home_page_without_an_index_shows_the_steps(tmp_path):
    settings = load_settings(write_config(tmp_path, tmp_path / "corpus"))
    response = create_app(settings).test_client().get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "索引暂不可用" in page
    assert "nianbao crawl --portal pingtan" in page and "nianbao index" in page


def test_the_shown_portal_entry_is_a_valid_config_and_the_readme_shows_the_same(demo, tmp_path):
    page = html.unescape(demo.get("/").get_data(as_text=True))
    assert PORTAL_EXAMPLE in page
    for command in ("nianbao check-portal pingtan", "nianbao crawl --portal pingtan", "nianbao index",
                    "nianbao password-hash"):
        assert command in page
    assert "/admin" not in page  # public pages never point at the console (security review); the README does
    settings = load_settings(write_config(tmp_path, tmp_path / "corpus", PORTAL_EXAMPLE))
    assert settings.portal("pingtan").title == "平潭综合实验区党工委管委会"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_run = readme.split("### First run", 1)[1].split("\n## ", 1)[0]
    assert PORTAL_EXAMPLE in re.sub(r"(?m)^   ", "", first_run)  # the entry sits indented in a numbered list
    for command in ("nianbao crawl --portal pingtan", "nianbao index", "nianbao password-hash", "/admin"):
        assert command in first_run


def test_original_links_to_a_portal_home_page_say_the_address_is_unknown(demo):
    listing = demo.get("/?q=一窗受理").get_data(as_text=True)
    assert "门户首页（原文网址不详）" in listing and ">原文链接<" not in listing
    report = links(listing)["青铜峡市审批服务管理局2020年政府信息公开工作年度报告"].split("#")[0]
    viewer = demo.get(report).get_data(as_text=True)
    assert "这是发布门户的首页：本报告自身的网址不详" in viewer


def test_an_index_where_no_agency_reports_twice_says_what_it_cannot_show(tmp_path):
    write_document(tmp_path / "corpus", "yinchuan", "http://www.yinchuan.gov.cn/2021.txt",
                   "一、总体情况\n\n本年推行一网通办。\n".encode(), content_type="text/plain", extension="txt",
                   link_title="银川市行政审批服务局2021年政府信息公开工作年度报告")
    settings = load_settings(write_config(tmp_path, tmp_path / "corpus"))
    index_corpus(settings)
    page = create_app(settings).test_client().get("/").get_data(as_text=True)
    assert "目前没有一个机构有两份以上的报告" in page and "示例数据" not in page


def test_original_links_to_a_report_page_stay_plain(hostile):
    listing = hostile.get("/?q=公开&agency=第1机构局").get_data(as_text=True)
    assert ">原文链接<" in listing and "原文网址不详" not in listing


def test_home_page_needs_no_query_parameters(demo):
    for url in ("/", "/?q=", "/?q=+&sort=year"):
        page = demo.get(url).get_data(as_text=True)
        assert 'id="overview-title"' in page and 'class="hit"' not in page, url


def test_repo_corpus_is_still_the_five_samples():
    assert sorted(p.name for p in (REPO / "corpus").iterdir() if p.is_dir()) == [
        "jinfeng", "qingtongxia", "shapotou", "yinchuan", "zhongning"]
    assert all(len(list(Path(p).iterdir())) == 1 for p in (REPO / "corpus").iterdir() if p.is_dir())
