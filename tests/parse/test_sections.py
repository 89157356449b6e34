"""Canonical sections across heading variants, and the text repairs that come before them."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from indexer.read.cleanup import clean_text
from indexer.read.sections import section_key, split_sections


@pytest.mark.parametrize("heading, key", [
    ("一、总体情况", "overview"), ("一.概述", "overview"), ("一、概 述", "overview"), ("# 一、总体情况", "overview"),
    ("**一、总体情况**", "overview"), ("### **二、主动公开政府信息情况**", "proactive"),
    ("第三部分 收到和处理政府信息公开申请情况", "requests"), ("三、政府信息依申请公开工作情况", "requests"),
    ("四、因政府信息公开申请提起行政复议、行政诉讼的情况", "review"), ("四、行政机关政府信息公开行政复议、行政诉讼情况", "review"),
    ("五、政府信息公开的收费及减免情况", "fees"), ("五、存在的主要问题及改进情况", "problems"),
    ("四、存在的问题及2018年工作思路", "problems"), ("五、回应社会关切情况", "consultation"),
    ("六、其他需要报告的事项", "other"), ("七、政府信息公开情况统计表", "statistics"),
])
def test_heading_variants_map_to_canonical_keys(heading, key):
    sections = split_sections(f"前言文字。\n{heading}\n正文。")
    assert [s.key for s in sections] == ["preamble", key]
    assert sections[1].text == "正文。"


def test_subheadings_and_table_rows_do_not_start_sections():
    text = ("一、总体情况\n（一）主动公开情况\n文字。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t3\n四、结转下年度继续办理\n四、政府信息公开行政复议、行政诉讼情况\n无。")
    assert [s.key for s in split_sections(text)] == ["overview", "proactive", "requests", "review"]


def test_heading_inside_a_table_row_with_empty_cells():
    text = "一、总体情况\n甲。\n二、主动公开政府信息情况\t\t\n信息内容\t本年制发件数\n规章\t0"
    sections = split_sections(text)
    assert [(s.key, s.heading) for s in sections] == [("overview", "一、总体情况"), ("proactive", "二、主动公开政府信息情况")]
    assert sections[1].text == "信息内容\t本年制发件数\n规章\t0"


def test_bold_heading_with_text_on_the_same_line():
    sections = split_sections("**一、总体情况**2020年，我局推进公开。\n**二、主动公开政府信息情况**公开12条。")
    assert [(s.key, s.heading, s.text) for s in sections] == [
        ("overview", "一、总体情况", "2020年，我局推进公开。"), ("proactive", "二、主动公开政府信息情况", "公开12条。")]


def test_unknown_heading_stays_with_the_section_before_it():
    sections = split_sections("一、概述\n甲。\n二、主动公开政府信息情况\n乙。\n三、重点领域政府信息公开工作情况\n丙。")
    assert [s.key for s in sections] == ["overview", "proactive"]
    assert "三、重点领域政府信息公开工作情况\n丙。" in sections[1].text


def test_reports_without_numbered_headings_use_bare_ones():
    text = "某局2010年政府信息公开工作年度报告\n概述\n本年度。\n1、主动公开政府信息情况\n公开10条，主动公开情况良好。\n依申请公开情况\n无。"
    sections = split_sections(text)
    assert [(s.key, s.heading) for s in sections] == [
        ("preamble", ""), ("overview", "概述"), ("proactive", "1、主动公开政府信息情况"), ("requests", "依申请公开情况")]


def test_section_key_of_unrelated_heading_is_none():
    assert section_key("三、重点领域工作") is None


_HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "（一）予以公开",
             "四、政府信息公开行政复议、行政诉讼情况", "## 五、存在的主要问题及改进情况", "**六、其他需要报告的事项**",
             "附件：政府信息公开情况统计表", "三、重点领域", "一、本年新收\t1\t2"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_HEADINGS), st.text(min_size=0, max_size=30)), max_size=30))
def test_every_character_lands_in_exactly_one_section(lines):
    text = "\n".join(lines)
    joined = "".join(s.heading + s.text for s in split_sections(text))
    assert re.sub(r"[\s#*]+", "", joined) == re.sub(r"[\s#*]+", "", text)


def test_page_break_inside_a_sentence_is_repaired():
    assert clean_text("推动转变政府职能、深化简政放\n\n权，创新监管方式。") == "推动转变政府职能、深化简政放权，创新监管方式。"


def test_paragraphs_and_headings_are_not_joined():
    text = "一、总体情况\n\n2020年，我局推进公开。\n\n二、主动公开政府信息情况"
    assert clean_text(text) == text


def test_spaces_widths_brackets_and_page_numbers():
    text = "号 ， 邮 编 ： 223100\n- 4 -\n全年公开２０２０ 年 信息１２条\n(一) 主动公开\n第 5 页"
    assert clean_text(text) == "号，邮编：223100\n全年公开2020年信息12条\n（一）主动公开"


def test_table_rows_keep_their_cells():
    assert clean_text("规章\t0\t 0 \t3\n行政 许可\t５") == "规章\t0\t0\t3\n行政许可\t5"
