"""Batch term lists as people paste or save them: one term a line, errors that name the line."""
from __future__ import annotations

import pytest

from indexer.batch import MAX_TERMS, decode_terms_file, parse_terms
from indexer.query import QueryError


def test_blank_lines_comments_quotes_and_repeats_are_dropped():
    text = '\ufeff一窗受理\r\n\r\n# 注释\n  “一网通办” \n一窗受理\n"最多跑一次"\n'
    assert parse_terms(text) == ("一窗受理", "一网通办", "最多跑一次")


def test_an_unusable_line_is_named():
    with pytest.raises(QueryError) as error:
        parse_terms("一窗受理\n" + "长" * 101)
    assert error.value.message.startswith("第 2 行：短语过长")


def test_empty_and_oversized_lists_are_refused_in_chinese():
    with pytest.raises(QueryError, match="请输入要统计的词语"):
        parse_terms("\n  \n# 只有注释\n")
    assert len(parse_terms("\n".join(f"词{n}" for n in range(MAX_TERMS)))) == MAX_TERMS
    with pytest.raises(QueryError, match=f"共 {MAX_TERMS + 1} 条，上限 {MAX_TERMS} 条"):
        parse_terms("\n".join(f"词{n}" for n in range(MAX_TERMS + 1)))


def test_files_in_utf8_gbk_and_csv_are_read():
    assert decode_terms_file("一窗受理\n".encode("utf-8-sig")) == "一窗受理\n"
    assert decode_terms_file("一窗受理\n".encode("gbk")) == "一窗受理\n"
    assert decode_terms_file('"一窗受理",3\n一网通办\n'.encode(), "list.CSV") == "一窗受理\n一网通办"
    with pytest.raises(QueryError, match="文件过大"):
        decode_terms_file(b"x" * (300 * 1024))
