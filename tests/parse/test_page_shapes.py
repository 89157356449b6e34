"""Page shapes real portals show around a report: chrome, traditional mirrors, agencies named only in the text."""
from __future__ import annotations

import pytest

from indexer.read.region import Region
from indexer.read.report import parse_report

BODY = "\n一、总体情况\n本年度推进政务公开。\n二、主动公开政府信息情况\n主动公开信息12条。\n"


def read(text: str):
    report = parse_report(text + BODY, source="r.txt")
    return report.agency, report.year, report.region


@pytest.mark.parametrize("chrome", [
    "当前位置：首页 > 政府信息公开 > 政府信息公开年报 > 正文\n",
    "中国政府网 无障碍阅读 长者模式 手机版 繁体\n2021-03-29 星期一\n",
    "索引号|11320000/2021-00012|分类|年报\n发布机构|政府办公室|成文日期|2021-01-25\n",
    "字体：[大 中 小] 浏览次数：35 打印 关闭\n",
])
def test_portal_chrome_above_the_title_is_not_the_title(chrome):
    report = parse_report(chrome + "沙洋县2017年政府信息公开工作年度报告" + BODY, source="r.txt")
    assert (report.title, report.agency, report.year) == ("沙洋县2017年政府信息公开工作年度报告", "沙洋县人民政府", 2017)
    assert report.region == Region("湖北省", "荆门市", "沙洋县")


@pytest.mark.parametrize("opening, agency", [
    ("根据《条例》规定，现公布《南京市江宁区人民政府2024年政府信息公开工作年度报告》。", "南京市江宁区人民政府"),
    ("本报告由河南省发展和改革委员会根据《条例》要求编制而成，统计期限为2022年1月1日至12月31日。", "河南省发展和改革委员会"),
    ("结合2025年天津市宝坻区文化和旅游局政府信息公开工作实际，编制本报告。", "天津市宝坻区文化和旅游局"),
    ("本报告在2018年度太原市各县（市、区）人民政府年度报告的基础上，由太原市人民政府办公室编制。", "太原市人民政府"),
])
def test_agency_named_only_in_the_opening_sentence(opening, agency):
    assert read(opening + "\n2018年，全市推进政务公开。")[0] == agency


def test_traditional_mirror_with_pinyin_glosses_reads_like_the_original():
    text = "當(dāng)前位置：首頁>>工作動態\n內蒙古自治區2012年政府信息公開工作年度報告\n本報告根據《條例》編制。"
    agency, year, region = read(text)
    assert (agency, year, region) == ("内蒙古自治区人民政府", 2012, Region("内蒙古自治区"))


def test_title_split_over_two_lines_with_its_year_first():
    agency, year, _ = read("2023年上海市黄浦区人民政府打浦桥街道办事处\n政府信息公开工作年度报告")
    assert (agency, year) == ("上海市黄浦区人民政府打浦桥街道办事处", 2023)


@pytest.mark.parametrize("text, region", [
    ("北京市朝阳区机关后勤服务中心2020年政府信息公开工作年度报告", Region("北京市", None, "朝阳区")),
    ("教育部2024年政府信息公开工作年度报告\n我部加强网站和公开平台建设。", Region()),
    ("衡南县人民政府办公室2019年政府信息公开工作年度报告\n县政府直属事业机构", Region("湖南省", "衡阳市", "衡南县")),
    ("潜江市人民政府2020年政府信息公开工作年度报告", Region("湖北省", None, "潜江市")),
    ("荔浦市人民政府2021年政府信息公开工作年度报告", Region("广西壮族自治区", "桂林市", "荔浦市")),
])
def test_regions_by_whole_division_names(text, region):
    assert read(text)[2] == region


def test_agency_found_outside_the_title_says_so():
    report = parse_report("2020年政府信息公开工作年度报告\n本报告由青铜峡市审批服务管理局编制。" + BODY, source="r.txt")
    assert report.agency == "青铜峡市审批服务管理局"
    assert "agency from the opening sentence" in report.warnings


def test_year_in_chinese_numerals_and_from_the_period_end():
    assert read("某某县商务局二〇二〇年政府信息公开工作年度报告")[1] == 2020
    report = parse_report("政府信息公开工作年度报告\n本报告所列数据截止2016年12月31日。" + BODY, source="r.txt")
    assert report.year == 2016 and "year from the period sentence" in report.warnings


def test_breadcrumb_that_starts_with_where_you_are_is_not_the_title():
    report = parse_report("您现在所在的位置: 网站首页 > 政府信息公开 > 青山乡人民政府 > 政府信息公开年报\n"
                          "东至县青山乡2021年度政府信息公开工作年度报告" + BODY, source="r.txt")
    assert (report.title, report.agency) == ("东至县青山乡2021年度政府信息公开工作年度报告", "东至县青山乡人民政府")


def test_title_split_after_the_year_on_the_name_line():
    agency, year, _ = read("宁波市自然资源和规划局国家高新区分局2020年\n政府信息公开工作年度报告\n"
                           "结合2020年高新区自然资源和规划分局政府信息公开工作实际编制而成。")
    assert (agency, year) == ("宁波市自然资源和规划局国家高新区分局", 2020)


@pytest.mark.parametrize("text, agency", [
    # a title naming only a place yields to the body of that place the opening names
    ("北京市政府信息公开工作年度报告\n本报告是由北京市统计局、国家统计局北京调查总队编制的2012年度政府信息公开工作年度报告。",
     "北京市统计局"),
    # an abbreviated title is spelled out by the page's own `以下简称`
    ("自治区北部湾办2022年政府信息公开工作年度报告\n本年度报告由广西壮族自治区北部湾经济区规划建设管理办公室"
     "（以下简称自治区北部湾办）编制。", "广西壮族自治区北部湾经济区规划建设管理办公室"),
    # the contact office sits inside the body the page calls `我部`
    ("本报告根据《条例》编制。\n如对本报告有任何疑问，请联络：商务部信息化司综合处，电话：010-65197474。\n"
     "2009年，我部认真贯彻《条例》精神，我部政务公开工作稳步推进。", "商务部"),
    # an address is where the body sits, not how the page names it
    ("现发布《亳州市谯城区芦庙镇2025年政府信息公开工作年度报告》。如有疑问，请与芦庙镇联系"
     "（地址：安徽省亳州市谯城区芦庙镇人民政府院内）。", "亳州市谯城区芦庙镇人民政府"),
    # a body named only as the site it publishes on
    ("本年度报告根据《条例》编制。\n（一）主动公开情况\n及时在天津市河北区人民政府新开河街道办事处信息公开网站公开文件。",
     "天津市河北区人民政府新开河街道办事处"),
])
def test_agency_from_the_page_s_other_namings(text, agency):
    assert read(text)[0] == agency


def test_zones_stand_as_the_county_under_the_name_the_page_writes():
    assert read("石家庄经济技术开发区\n2025年政府信息公开工作年度报告")[2] == Region("河北省", "石家庄市", "石家庄经济技术开发区")
    report = parse_report("根据《条例》，结合重庆市两江新区人民政府大石坝街道办事处2025年政府信息公开工作实际，编制本报告。"
                          + BODY, source="r.txt")
    assert (report.agency, report.region) == ("重庆市两江新区人民政府大石坝街道办事处", Region("重庆市", None, "两江新区"))


def test_a_prefecture_written_short_is_not_the_province_sharing_its_name():
    assert read("海南州人民政府2022年政府信息公开工作年度报告")[2] == Region("青海省", "海南藏族自治州")


def test_a_report_for_the_whole_province_is_its_government_s():
    report = parse_report("2009年年报根据《条例》编制。\n一、概述\n海南省各级政府重视政府信息公开工作，扎实推进全省"
                          "政府信息公开工作。" + BODY, source="r.txt")
    assert (report.agency, report.year) == ("海南省人民政府", 2009)
    assert "agency guessed from the region (`本区`, `我县`)" in report.warnings


def test_a_body_named_without_its_place_takes_the_district_the_page_names():
    report = parse_report("教育局2019年政府信息公开工作年度报告\n一、总体情况\n2019年，教育局坚持以习近平新时代中国特色社会主义"
                          "思想为指导。全年通过东丽区政府信息公开网站主动发布公开信息424件。", source="r.txt")
    assert (report.agency, report.region) == ("天津市东丽区教育局", Region("天津市", None, "东丽区"))
    assert "agency's place taken from the region" in report.warnings


@pytest.mark.parametrize("title", [
    "沙洋县教育局2020年度政府信息\n公开工作年度报告",  # split inside a word
    "沙洋县教育局\n2020年度政府信息\n公开工作年度报告",
    "沙洋县教育局2020政府信息公开工作年度报告",  # the year without 年
])
def test_titles_split_mid_word_or_with_a_bare_year(title):
    assert read(title) == ("沙洋县教育局", 2020, Region("湖北省", "荆门市", "沙洋县"))


@pytest.mark.parametrize("signature", ["\n沙洋县教育局\n二〇二一年一月二十日", "\n沙洋县教育局  2021年1月20日"])
def test_agency_only_in_the_signature_dated_in_words_or_on_one_line(signature):
    report = parse_report("2020年政府信息公开工作年度报告" + BODY + signature, source="r.txt")
    assert (report.agency, report.year) == ("沙洋县教育局", 2020)
    assert "agency guessed from signature" in report.warnings
