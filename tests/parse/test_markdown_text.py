"""Reports saved as Markdown-flavoured text: markup must not split phrases or show in snippets."""
from __future__ import annotations

from indexer.read.extract import extract
from tests.conftest import REPO


def test_bold_heading_and_link_marks_are_removed_text_kept():
    source = ("## 一、总体情况\n\n**（四）推行“一窗受理”改革。**制定下发方案。\n"
              "- 1、网站 [www.qtx.gov.cn/](http://www.qtx.gov.cn/) 与 <http://www.spt.gov.cn>\n")
    text = extract(source.encode("utf-8"), "report.md").text
    assert "改革。制定下发方案" in text
    assert "一、总体情况" in text.splitlines()[0]
    assert "网站www.qtx.gov.cn/与http://www.spt.gov.cn" in text.replace(" ", "")
    assert not any(mark in text for mark in ("**", "##", "](", "- 1、"))


def test_bundled_sample_reads_as_plain_text():
    sample = next((REPO / "corpus" / "qingtongxia").glob("*/original.txt"))
    text = extract(sample.read_bytes(), sample.name).text
    assert "集成服务”改革。制定下发" in text
    assert "**" not in text and "#" not in text
