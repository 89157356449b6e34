"""Metadata variants real portals show: title sources, year phrasing, agency abbreviations, regions."""
from __future__ import annotations

import pytest

from indexer.read.extract import extract
from indexer.read.region import Region
from indexer.read.report import parse_extracted, parse_report

BODY = "一、总体情况\n本年度我单位推进政务公开。\n二、主动公开政府信息情况\n主动公开信息12条。"


def _html(head: str, body: str) -> bytes:
    return f"<html><head>{head}</head><body><div class='TRS_Editor'>{body}</div></body></html>".encode()


@pytest.mark.parametrize("text, title, agency, year", [
    ("广东省人民政府办公厅2020年政府信息公开工作年度报告\n" + BODY,
     "广东省人民政府办公厅2020年政府信息公开工作年度报告", "广东省人民政府办公厅", 2020),
    ("杭州市西湖区人民政府\n２０２１年政府信息公开工作年度报告\n" + BODY,
     "杭州市西湖区人民政府2021年政府信息公开工作年度报告", "杭州市西湖区人民政府", 2021),
    ("南京市鼓楼区教育局2017年度政府信息公开工作年度报告\n" + BODY,
     "南京市鼓楼区教育局2017年度政府信息公开工作年度报告", "南京市鼓楼区教育局", 2017),
    ("成都市武侯区人民政府二〇一九年度政府信息公开工作年度报告\n" + BODY,
     "成都市武侯区人民政府2019年度政府信息公开工作年度报告", "成都市武侯区人民政府", 2019),
    ("2022年度信阳市平桥区财政局政府信息公开工作年度报告\n" + BODY,
     "2022年度信阳市平桥区财政局政府信息公开工作年度报告", "信阳市平桥区财政局", 2022),
    ("青铜峡市2020年政府信息公开工作年度报告\n" + BODY,
     "青铜峡市2020年政府信息公开工作年度报告", "青铜峡市人民政府", 2020),
])
def test_title_agency_and_year_from_the_body(text, title, agency, year):
    report = parse_report(text, source="r.txt")
    assert (report.title, report.agency, report.year) == (title, agency, year)


@pytest.mark.parametrize("text, province, city, county", [
    ("广东省人民政府办公厅2020年政府信息公开工作年度报告\n" + BODY, "广东省", None, None),
    ("杭州市西湖区人民政府2021年政府信息公开工作年度报告\n" + BODY, "浙江省", "杭州市", "西湖区"),
    ("南京市鼓楼区教育局2017年度政府信息公开工作年度报告\n" + BODY, "江苏省", "南京市", "鼓楼区"),
    ("内蒙古自治区发展和改革委员会2020年政府信息公开工作年度报告\n" + BODY, "内蒙古自治区", None, None),
    ("北京市海淀区人民政府2020年政府信息公开工作年度报告\n" + BODY, "北京市", None, "海淀区"),  # municipalities: province + district, no city
])
def test_region_inferred_from_the_agency(text, province, city, county):
    report = parse_report(text, source="r.txt")
    assert (report.region.province, report.region.city, report.region.county) == (province, city, county)


def test_portal_region_wins_and_expands_the_abbreviated_agency():
    text = ("2020年政府信息公开工作年度报告\n本报告由市审批服务管理局编制，所列数据统计期限为2020年1月1日至2020年12月31日。\n"
            + BODY)
    region = Region("宁夏回族自治区", "吴忠市", "青铜峡市")
    report = parse_report(text, source="r.txt", region=region)
    assert report.region == region
    assert (report.agency, report.year) == ("青铜峡市审批服务管理局", 2020)


def test_year_from_the_period_sentence_when_the_title_has_none():
    text = "某某县商务局政府信息公开工作年度报告\n本报告所列数据统计期限为２０２０年１月１日至１２月３１日。\n" + BODY
    assert parse_report(text, source="r.txt").year == 2020


def test_year_guessed_from_publish_date_says_so():
    report = parse_report("某某县商务局政府信息公开工作年度报告\n" + BODY, source="r.txt", published="2018-01-15")
    assert report.year == 2017
    assert "report year guessed from the publish date" in report.warnings


def test_trs_page_meta_title_publish_date_and_site_suffix():
    page = _html('<meta name="ArticleTitle" content="福州市鼓楼区人民政府2023年度政府信息公开工作年度报告">'
                 '<meta name="PubDate" content="2024-01-19 09:30"><title>年报 - 鼓楼区人民政府</title>',
                 "<p>根据《条例》编制本报告。</p><p>一、总体情况</p><p>全区推进公开。</p>")
    report = parse_extracted(extract(page, "t20240119_1.html"), source="t.html")
    assert (report.agency, report.year, report.published) == ("福州市鼓楼区人民政府", 2023, "2024-01-19")
    assert (report.region.province, report.region.city) == ("福建省", "福州市")


def test_html_title_with_site_suffix_and_publish_date_in_the_text():
    page = _html("<title>长沙县2021年政府信息公开工作年度报告 - 长沙县人民政府</title>",
                 "<p>发布日期：2022-01-20</p><p>一、总体情况</p><p>全县推进政务公开，信息公开平台运行良好。</p>")
    report = parse_extracted(extract(page, "a.html"), source="a.html")
    assert (report.title, report.agency, report.year) == ("长沙县2021年政府信息公开工作年度报告", "长沙县人民政府", 2021)
    assert report.published == "2022-01-20"
    assert report.region.province == "湖南省"


def test_word_split_over_spans_stays_one_word():
    page = _html("", "<p><span>平潭综合实验区</span></p><p><span>201</span><span>4年度</span>"
                     "<span>政府信息公开工作年度报告</span></p><p>一、概述</p><p>文字。</p>")
    report = parse_extracted(extract(page, "a.html"), source="a.html")
    assert (report.title, report.year) == ("平潭综合实验区2014年度政府信息公开工作年度报告", 2014)


def test_heading_outside_the_body_container_gives_the_title():
    page = ("<html><head><title>某某区人民政府</title></head><body><h1>武汉市江岸区发展和改革局2022年政府信息公开工作年度报告</h1>"
            "<div id='zoom'><p>一、总体情况</p><p>本局坚持公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。</p>"
            "<p>二、主动公开政府信息情况</p><p>主动公开政府信息120条，其中规范性文件3件。</p></div></body></html>").encode()
    report = parse_extracted(extract(page, "a.html"), source="a.html")
    assert (report.agency, report.year, report.region.city) == ("武汉市江岸区发展和改革局", 2022, "武汉市")


@pytest.mark.parametrize("title, agency", [
    ("上海市浦东新区2020年政府信息公开工作年度报告", "上海市浦东新区人民政府"),
    ("苏州工业园区2020年政府信息公开工作年度报告", "苏州工业园区"),
    ("长沙县星沙街道2020年政府信息公开工作年度报告", "长沙县星沙街道办事处"),
    ("关于印发《广州市天河区2020年政府信息公开工作年度报告》的通知", "广州市天河区人民政府"),
])
def test_agency_named_by_a_bare_place(title, agency):
    assert parse_report(title + "\n" + BODY, source="r.txt").agency == agency


def test_page_chrome_above_a_year_first_title_is_not_part_of_it():
    text = "发布时间：2021-01-20\n来源：本站\n泰州市海陵区人民政府\n2020年政府信息公开工作年度报告\n" + BODY
    report = parse_report(text, source="r.txt")
    assert (report.title, report.agency) == ("泰州市海陵区人民政府2020年政府信息公开工作年度报告", "泰州市海陵区人民政府")


def test_sidebar_named_content_loses_to_the_article_paragraphs():
    sidebar = "<div class='content'><ul>" + "".join(f"<li>第{n}条新闻标题很长很长很长的通知公告</li>" for n in range(12)) + "</ul></div>"
    article = "".join(f"<p>本机关第{n}项工作持续推进政务公开，严格落实条例要求，做好政府信息公开。</p>" for n in range(6))
    page = (f"<html><body>{sidebar}<div class='wrap'><div><p>宜兴市审计局2021年政府信息公开工作年度报告</p>"
            f"<p>一、总体情况</p>{article}</div></div></body></html>").encode()
    extracted = extract(page, "a.html")
    assert "新闻标题" not in extracted.text
    assert parse_extracted(extracted, source="a.html").agency == "宜兴市审计局"


def test_catalogue_metadata_table_gives_publisher_and_date():
    text = ("索引号：\t11320000/2021-00012\n发布机构：\t无锡市梁溪区民政局\n生成日期：\t2021-01-25\n"
            "2020年政府信息公开工作年度报告\n" + BODY)
    report = parse_report(text, source="r.txt")
    assert (report.agency, report.year, report.published) == ("无锡市梁溪区民政局", 2020, "2021-01-25")
    assert report.region.county == "梁溪区"


def test_abbreviated_agency_expanded_from_the_body_without_a_portal_region():
    text = ("2020年政府信息公开工作年度报告\n本报告由市审批服务管理局编制。\n一、总体情况\n"
            "青铜峡市审批服务管理局全面推进政务公开。")
    report = parse_report(text, source="r.txt")
    assert report.agency == "青铜峡市审批服务管理局"
    assert report.region.county == "青铜峡市"


def test_portal_region_without_county_is_completed_when_inference_agrees():
    text = "南京市鼓楼区教育局2017年度政府信息公开工作年度报告\n" + BODY
    report = parse_report(text, source="r.txt", region=Region("江苏省", "南京市", None))
    assert report.region == Region("江苏省", "南京市", "鼓楼区")
    other = parse_report(text, source="r.txt", region=Region("福建省", None, None))
    assert other.region == Region("福建省", None, None)


def test_year_in_brackets_and_meta_title_naming_the_report():
    page = _html('<meta name="title" content="某某网"><meta property="og:title" content="郑州市金水区财政局政府信息公开工作年度报告（2021）">',
                 "<p>一、总体情况</p><p>全局推进公开。</p>")
    report = parse_extracted(extract(page, "a.html"), source="a.html")
    assert (report.agency, report.year, report.region.county) == ("郑州市金水区财政局", 2021, "金水区")


def test_publish_date_from_the_info_line_outside_the_body():
    page = ("<html><body><div class='info'>发布时间：2022-01-18 10:20 来源：本站</div><div class='TRS_Editor'>"
            "<p>宜兴市审计局2021年政府信息公开工作年度报告</p><p>一、总体情况</p><p>全局推进公开。</p></div></body></html>").encode()
    assert parse_extracted(extract(page, "a.html"), source="a.html").published == "2022-01-18"
