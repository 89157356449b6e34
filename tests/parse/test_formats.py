"""Formats the real files don't cover, built in the test: GBK page over HTTP, DOCX with a table, PDFs."""
from __future__ import annotations

import http.server
import threading
from io import BytesIO
from pathlib import Path

import pytest
import requests

from indexer.read.extract import ExtractError, NeedsOCR, UnsupportedFormat, extract
from indexer.read.report import parse_extracted

REPORT_HTML = """<html><head><title>同心县人民政府2019年政府信息公开工作年度报告_政府信息公开年报_同心县人民政府</title></head>
<body><div class="nav">首页 | 无障碍 | 网站地图</div>
<div id="zoom"><p>宁夏回族自治区同心县人民政府2019年政府信息公开工作年度报告</p>
<p>本报告所列数据统计期限为2019年1月1日至2019年12月31日。</p><p>一、总体情况</p><p>全县深化简政放权。</p>
<table><tr><td>信息内容</td><td>本年新制作数量</td></tr><tr><td>规章</td><td>0</td></tr></table>
<p>二、主动公开政府信息情况</p><p>主动公开信息1200条。</p></div>
<div class="footer">版权所有 宁ICP备00000000号</div></body></html>"""


class _GbkHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        body = REPORT_HTML.encode("gbk")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")  # no charset, as many portals serve it
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def gbk_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _GbkHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/report.html"
    server.shutdown()
    server.server_close()


def test_gbk_page_without_charset_decodes_and_parses(gbk_server):
    response = requests.get(gbk_server, timeout=10)
    assert response.encoding.lower() == "iso-8859-1"  # what requests guesses: the trap
    extracted = extract(response.content, "report.html", charset=response.encoding)
    report = parse_extracted(extracted, source="report.html")
    assert report.title == "宁夏回族自治区同心县人民政府2019年政府信息公开工作年度报告"
    assert (report.agency, report.year) == ("宁夏回族自治区同心县人民政府", 2019)
    assert (report.region.province, report.region.city, report.region.county) == ("宁夏回族自治区", "吴忠市", "同心县")
    assert [s.key for s in report.sections] == ["preamble", "overview", "proactive"]
    assert "信息内容\t本年新制作数量" in report.sections[1].text
    assert "无障碍" not in extracted.text and "ICP" not in extracted.text
    assert report.template == "2019"


def test_docx_paragraphs_and_table_in_document_order():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("银川市兴庆区民政局2021年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("我局坚持公开为常态。")
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("信息内容", "本年制发件数", "本年废止件数"), ("规章", "0", "1")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    buffer = BytesIO()
    document.save(buffer)
    report = parse_extracted(extract(buffer.getvalue(), "report.docx"), source="report.docx")
    assert (report.agency, report.year, report.template) == ("银川市兴庆区民政局", 2021, "2021")
    assert [s.key for s in report.sections] == ["preamble", "overview", "proactive", "requests"]
    assert report.sections[2].text == "信息内容\t本年制发件数\t本年废止件数\n规章\t0\t1"
    assert report.region.county == "兴庆区"


def _pdf(pages: list[list[str]], header: str | None = None) -> bytes:
    """A PDF with CJK text lines (reportlab's built-in STSong-Light CID font, no embedding)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, lines in enumerate(pages, 1):
        pdf.setFont("STSong-Light", 16)
        if header:
            pdf.drawString(200, 810, header)
        y = 780
        for line in lines:
            indent = 32 if line.startswith("  ") else 0
            pdf.drawString(72 + indent, y, line.strip())
            y -= 28
        pdf.drawString(290, 40, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_sentence_crossing_a_page_break_is_repaired():
    full = "政务服务改革持续推进全面优化营商环境不断深化简政放"
    data = _pdf([["  江苏省淮安市涟水县人民政府", "  2022年政府信息公开工作年度报告", "  一、总体情况",
                  "  " + full[:23], full[23:] + full[:4]] + [full] * 20 + [full[:25]],
                 ["权，群众满意度明显提升。", "  二、主动公开政府信息情况", "  主动公开信息100条。"]])
    extracted = extract(data, "report.pdf")
    assert "简政放权，群众满意度" in extracted.text
    assert "- 1 -" not in extracted.text and "- 2 -" not in extracted.text
    report = parse_extracted(extracted, source="report.pdf")
    assert (report.agency, report.year) == ("江苏省淮安市涟水县人民政府", 2022)
    assert report.region.county == "涟水县"
    assert [s.key for s in report.sections] == ["preamble", "overview", "proactive"]


def test_pdf_running_header_is_dropped_once_per_page():
    pages = [[f"  第{n}页正文，公开信息{n}条。", f"  本页统计{n}项。"] for n in range(1, 4)]
    text = extract(_pdf(pages, header="涟水县人民政府办公室文件"), "report.pdf").text
    assert "涟水县人民政府办公室文件" not in text
    assert all(f"公开信息{n}条。" in text and f"本页统计{n}项。" in text for n in range(1, 4))


def test_scanned_pdf_is_reported_as_needing_ocr():
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(2):
        pdf.rect(50, 50, 400, 600, fill=1)  # a page that is only a picture
        pdf.showPage()
    pdf.save()
    with pytest.raises(NeedsOCR, match="needs OCR.*2 pages"):
        extract(buffer.getvalue(), "scan.pdf")


def test_ole_file_that_no_tool_can_read_is_unsupported_not_a_crash():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ExtractError, match="doc|wps"):
        extract(data, "report.wps")


def test_unknown_suffix_is_unsupported_format():
    with pytest.raises(UnsupportedFormat, match=r"unsupported format: \.xls"):
        extract(b"\x01\x02binary", "table.xls")


def _rtf(lines: list[str]) -> bytes:
    body = "\\par ".join("".join(f"\\'{b:02x}" for b in line.encode("gbk")) for line in lines)
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fcharset134 SimSun;}}\\f0 " + body + "\\par}").encode()


def test_rtf_published_as_doc_is_read():
    data = _rtf(["淮安市清江浦区人民政府2021年政府信息公开工作年度报告", "一、总体情况", "全区推进公开。"])
    report = parse_extracted(extract(data, "report.doc"), source="report.doc")
    assert (report.agency, report.year, report.region.county) == ("淮安市清江浦区人民政府", 2021, "清江浦区")
    assert [s.key for s in report.sections] == ["preamble", "overview"]


def test_html_published_as_doc_is_read():
    data = REPORT_HTML.encode("utf-8")
    assert parse_extracted(extract(data, "report.doc"), source="report.doc").year == 2019


def test_utf8_page_mislabelled_as_gb2312_still_decodes():
    page = REPORT_HTML.replace("<head>", '<head><meta charset="gb2312">').encode("utf-8")
    assert "同心县人民政府2019年" in extract(page, "a.html").text


def test_word_export_rtf_named_doc_keeps_its_table():
    # Written by AbiWord's "Word document" export, which produces RTF, as many portal .doc files are.
    data = (Path(__file__).parent / "fixtures" / "abiword-rtf-report.doc").read_bytes()
    report = parse_extracted(extract(data, "report.doc"), source="report.doc")
    assert (report.agency, report.year, report.template) == ("吴忠市利通区人民政府", 2019, "2019")
    assert [s.key for s in report.sections] == ["preamble", "overview", "proactive", "requests"]
    assert report.sections[2].text == "信息内容\t本年新制作数量\n规章\t0"


def test_word97_doc_is_read_with_its_table_also_under_a_wps_name():
    # A real Word 97 binary file (LibreOffice's "MS Word 97" export of a python-docx document).
    data = (Path(__file__).parent / "fixtures" / "word97-report.doc").read_bytes()
    for name in ("报告.doc", "报告.wps"):
        extracted = extract(data, name)
        assert extracted.format == "ole"
        assert "推行一窗受理、一网通办，全年办件12345件" in extracted.text
        assert "信息内容\t本年制发件数\t本年废止件数" in extracted.text and "规章\t3\t0" in extracted.text
        report = parse_extracted(extracted, source=name)
        assert (report.agency, report.year, report.template) == ("测试县人民政府", 2021, "2021")
        assert [s.key for s in report.sections][1:] == ["overview", "proactive", "requests"]
