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
