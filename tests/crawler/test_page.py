"""One reading of a page: the crawler's "changed" decision and the reader's text come from the same decoding
and the same main-content extractor, so they cannot disagree."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.page import content_hash, decode_bytes, decode_page, main_text
from indexer.read.extract import extract
from tests.conftest import shared_file
from tests.crawler import portals

GOLDEN = Path(__file__).resolve().parents[1] / "parse" / "golden"
TITLE = "某县2023年度政府信息公开工作年度报告"
BODY = "一、总体情况</p><p>本年度主动公开政府信息一百二十条，依申请公开办结八十一件，海岛渔港公开服务持续推进。"


def crawler_hash(data: bytes, charset: str | None = None) -> str:
    """What the crawler compares between two fetches of a report page."""
    return content_hash(data, decode_page(data, charset))


def reader_text(data: bytes) -> str:
    """What the reader indexes from the stored bytes."""
    return extract(data, "report.html").text


def page(body: str = BODY, *, counter: int = 5, extra: str = "", encoding: str = "utf-8", meta: str = "") -> bytes:
    return portals.html_page(TITLE, body, counter=counter, extra=extra, meta=meta).encode(encoding)


VARIANTS = {
    "view counter": (page(counter=5), page(counter=6)),
    "footer and counter in a GBK page without any charset": (page(counter=5, encoding="gbk"),
                                                             page(counter=977, encoding="gbk")),
    "share bar after the article": (page(), page(extra='<div class="share">分享到：微信 微博</div>')),
    "body edit": (page(), page(BODY.replace("一百二十条", "一百三十条"))),
    "body edit in a GBK page without any charset": (page(encoding="gbk"),
                                                   page(BODY + "新增一窗受理专栏。", encoding="gbk")),
    "new paragraph": (page(), page(BODY + "</p><p>二、主动公开政府信息情况")),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_crawler_calls_a_page_changed_exactly_when_the_indexed_text_changes(name):
    before, after = VARIANTS[name]
    assert (crawler_hash(before) != crawler_hash(after)) == (reader_text(before) != reader_text(after))


def test_footer_and_counter_changes_are_not_changes_and_a_body_edit_is():
    assert crawler_hash(page(counter=5)) == crawler_hash(page(counter=6))
    assert crawler_hash(page()) != crawler_hash(page(BODY.replace("八十一件", "八十二件")))


def test_gbk_page_without_any_charset_reads_the_same_in_both_stages():
    data = page(encoding="gbk")
    assert "海岛渔港公开服务" in main_text(decode_page(data))
    assert extract(data, "report.html").original == main_text(decode_page(data))


@pytest.mark.parametrize("charset", [None, "gbk", "GB2312", "ISO-8859-1"])
def test_gb2312_labels_read_as_gb18030_and_requests_latin1_guess_is_ignored(charset):
    text = "年度报告：𠀀字与䶮字照常显示"  # outside GB2312 and GBK: only GB18030 has them
    assert decode_page(text.encode("gb18030"), charset) == text


def test_header_charset_decides_before_meta_unless_the_bytes_are_valid_utf8():
    big5 = '<meta charset="gbk"><p>年度報告</p>'.encode("big5")
    assert "年度報告" in decode_page(big5, "big5")
    assert "年度报告" in decode_page('<meta charset="gbk"><p>年度报告</p>'.encode(), "gbk")


def test_plain_text_mixing_gbk_and_utf8_lines_decodes_both_and_says_so():
    decoded = decode_bytes("第一行 年度报告\n".encode("gbk") + "第二行 年度报告".encode())
    assert decoded.text == "第一行 年度报告\n第二行 年度报告"
    assert decoded.warnings == ("mixed encodings: 1 lines GB18030, 1 lines UTF-8",)


# The real pingtan pages are read from ../shared/real (never copied); their expected JSON names them.
PINGTAN_PAGES = sorted(p.stem for p in GOLDEN.glob("20*_*.json"))


@pytest.mark.parametrize("name", PINGTAN_PAGES)
def test_real_report_pages_have_one_main_text_for_crawler_and_reader(name):
    path = shared_file("real", "pingtan", f"{name}.html")
    data = path.read_bytes()
    assert extract(data, path.name).original == main_text(decode_page(data))
