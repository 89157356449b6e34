"""Fixture portals of the three CMS families, as routes for `PortalServer`.

- TRS: the real 平潭 list page and report pages at their real paths, a second list page (GBK, charset
  only in `<meta>`), JS pagination via `createPageHTML`, a robots.txt with Disallow and Crawl-delay, a
  report behind a redirect, a 503 that succeeds on retry, a GBK report page with no charset anywhere,
  and a report with a real PDF and a DOCX attachment.
- Hanweb: list items in `<datastore>` CDATA, `?uid=…&pageNum=N` pages announced by totalRecord/perPage,
  `#zoom` detail pages, a report that is a PDF download, a GBK list page without any charset.
- Plain: `下一页`/`尾页` links with `?page=N`, a page that times out, a response over the size limit,
  an off-host redirect, and a link that 404s.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.conftest import shared_file
from tests.crawler.server import Resource

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PINGTAN = FIXTURES / "pingtan"
# The real pages and PDF are read from ../shared/real at test time (a test needing them skips without it).
REAL_PDF = ("real", "pdf", "hzq2023_working.pdf")


def real_page(name: str) -> Path:
    """A real 平潭 page from ../shared/real/pingtan."""
    return shared_file("real", "pingtan", name)
TRS_COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
PDF_PHRASE = "洪泽湖大道"        # only inside the real PDF attachment (淮安市洪泽区, 2023)
HTML_PHRASE = "台湾地区标准题录数据库"  # only inside the real 2023 report page
GBK_PHRASE = "海岛渔港公开服务"       # only inside the GBK report page served without any charset
TEXT_TYPE = "text/html"  # no charset: requests would guess ISO-8859-1


def html_page(title: str, body: str, *, container: str = 'class="TRS_Editor"', counter: int = 100,
              extra: str = "", meta: str = '<meta charset="utf-8">') -> str:
    """A report page: chrome (header, nav, footer with a view counter) around the article."""
    return (f"<!DOCTYPE html><html><head>{meta}<meta name=\"ArticleTitle\" content=\"{title}\">"
            f"<title>{title}</title></head><body><div class=\"header\"><a href=\"/\">首页</a></div>"
            f"<h1>{title}</h1><div {container}><p>{body}</p></div>{extra}"
            f"<div class=\"footer\">访问量：{counter} 版权所有 网站标识码 3500000001</div></body></html>")


def list_page(title: str, items: list[tuple[str, str]], extra: str = "", meta: str = '<meta charset="utf-8">') -> str:
    """A plain list page: one `<li><a>` per (href, text)."""
    lis = "".join(f'<li><a href="{href}" title="{text}">{text}</a><span>2024-01-01</span></li>' for href, text in items)
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body><ul class=\"list\">{lis}</ul>"
            f"{extra}</body></html>")


def docx_bytes(text: str) -> bytes:
    """A minimal valid DOCX holding `text`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml",
                      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                      '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                      '</Types>')
        docx.writestr("_rels/.rels",
                      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                      'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
                      '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        docx.writestr("word/document.xml",
                      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                      f'2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')
    return buffer.getvalue()


def _utf8(text: str, content_type: str = "text/html; charset=utf-8", **kwargs) -> Resource:
    return Resource(text.encode("utf-8"), content_type, **kwargs)


def _real_report_paths() -> dict[str, Path]:
    rows = (PINGTAN / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    paths = {}
    for row in rows:
        name, _title, _year, url, *_ = row.split("\t")
        if url.startswith("https://"):
            paths["/" + url.split("/", 3)[3]] = real_page(name)
    return paths


def trs_portal() -> dict[str, Resource]:
    """The TRS fixture portal; start URL `/`."""
    first = real_page("zfxxgknb_list_index.html").read_text(encoding="utf-8")
    first = first.replace("</body>", '<script>createPageHTML(2, 0, "index", "htm");</script></body>')
    second = list_page("政府信息公开年报_第2页", [
        ("./201402/t20140225_80774.htm", "平潭综合实验区地方税务局2013年信息公开年度报告"),
        ("./201204/t20120420_80678.htm", "平潭综合实验区2011年政府信息公开工作年度报告"),
        ("/zwgk/private/t20150101_1.htm", "平潭综合实验区2014年度政府信息公开工作年度报告（内部稿）"),
    ], extra='<script>createPageHTML(2, 1, "index", "htm");</script>',
        meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    pdf = shared_file(*REAL_PDF).read_bytes()
    attachments = ('<div class="fj"><p>附件：<a href="./P020200120385914612345.pdf">2019年度报告（PDF版）.pdf</a></p>'
                   '<p><a href="./P020200120385914699999.docx">统计表.docx</a></p></div>')
    routes = {
        "/robots.txt": _utf8("User-agent: *\nDisallow: /zwgk/private/\nCrawl-delay: 0.05\n", "text/plain"),
        "/": _utf8(list_page("平潭综合实验区", [("/zwgk/", "政务公开"), ("/news/1.html", "平潭新闻")])),
        "/zwgk/": _utf8(list_page("政务公开", [("/zwgk/zfxxgk/", "政府信息公开"), ("/zwgk/yw/", "要闻")])),
        "/zwgk/zfxxgk/": _utf8(list_page("政府信息公开", [(TRS_COLUMN, "政府信息公开年报"),
                                                           ("/zwgk/zfxxgk/zfxxgkzn/", "政府信息公开指南")])),
        TRS_COLUMN: _utf8(first),
        TRS_COLUMN + "index.htm": _utf8(first),
        TRS_COLUMN + "nlist.htm": _utf8(first),
        TRS_COLUMN + "index_1.htm": Resource(second.encode("gbk"), TEXT_TYPE),
        TRS_COLUMN + "202302/t20230220_80629.htm": _utf8(html_page(
            "平潭综合实验区2022年度政府信息公开工作年度报告", "2022年，平潭综合实验区主动公开政府信息。"), statuses=[503]),
        TRS_COLUMN + "202202/t20220208_80613.htm": Resource(status=302, location=TRS_COLUMN + "202202/moved_80613.htm"),
        TRS_COLUMN + "202202/moved_80613.htm": _utf8(html_page(
            "平潭综合实验区2021年度政府信息公开工作年度报告", "2021年，平潭综合实验区持续推进政务公开。")),
        TRS_COLUMN + "202103/t20210305_80595.htm": Resource(html_page(
            "平潭综合实验区2020年度政府信息公开工作年度报告",
            f"2020年，平潭综合实验区围绕{GBK_PHRASE}开展工作，全年主动公开政府信息一万余条。" * 3,
            meta="").encode("gbk"), TEXT_TYPE),
        TRS_COLUMN + "202001/t20200120_80576.htm": _utf8(html_page(
            "平潭综合实验区2019年度政府信息公开工作年度报告", "2019年度报告全文见附件。", extra=attachments)),
        TRS_COLUMN + "202001/P020200120385914612345.pdf": Resource(pdf, "application/pdf"),
        TRS_COLUMN + "202001/P020200120385914699999.docx": Resource(
            docx_bytes("2019年政府信息公开统计表"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        TRS_COLUMN + "201801/t20180123_80506.htm": _utf8(html_page(
            "平潭综合实验区2017年度政府信息公开工作年度报告", "2017年，平潭综合实验区政务公开工作稳步推进。")),
        "/zwgk/private/t20150101_1.htm": _utf8(html_page("内部稿", "不应被抓取")),
    }
    for path, file in _real_report_paths().items():
        routes[path] = Resource(file.read_bytes(), "text/html; charset=utf-8")
    return routes


TRS_REPORTS = 12  # 10 on page one + 2 fetchable on page two (+1 disallowed by robots.txt)
TRS_ATTACHMENTS = 2


def _hanweb_record(href: str, title: str) -> str:
    return f'<record><![CDATA[<li><a href="{href}" title="{title}" target="_blank">{title[:14]}…</a><b>2024-01-15</b></li>]]></record>'


def _hanweb_list(records: list[tuple[str, str]], meta: str = '<meta charset="utf-8">') -> str:
    store = "".join(_hanweb_record(h, t) for h, t in records)
    return (f"<html><head>{meta}<title>政府信息公开年度报告</title></head><body><div id=\"5678\">"
            f"<script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?"
            f"page=1&webid=1&path=/&columnid=2345&unitid=5678&webname=县&permissiontype=0\"></a>]]></nextgroup>"
            f"<recordset>{store}</recordset></datastore></script></div>"
            "<script>var jpage = {totalRecord: 7, perPage: 3, unitid: 5678};</script></body></html>")


HANWEB_TITLES = [(f"/art/{y + 1}/1/15/art_2345_{90000 + y}.html", f"青山县人民政府{y}年度政府信息公开工作年度报告")
                 for y in range(2023, 2017, -1)]
HANWEB_PDF = ("/module/download/downfile.jsp?classid=0&filename=1701151234567.pdf", "青山县人民政府2016年政府信息公开年报")


def hanweb_portal() -> dict[str, Resource]:
    """The Hanweb/大汉 fixture portal; start URL `/`; no robots.txt (404)."""
    records = HANWEB_TITLES + [HANWEB_PDF]
    routes = {
        # The homepage teases the newest report; the crawler must still go on to find the whole column.
        "/": _utf8(list_page("青山县人民政府", [HANWEB_TITLES[0], ("/col/col2001/index.html", "信息公开"),
                                             ("/art/2024/5/1/art_1_1.html", "县长调研")])),
        "/col/col2001/index.html": _utf8(list_page("信息公开", [("/col/col2345/index.html", "政府信息公开年度报告")])),
        "/col/col2345/index.html": _utf8(_hanweb_list(records[:3])),
        "/col/col2345/index.html?uid=5678&pageNum=2": _utf8(_hanweb_list(records[3:6])),
        "/col/col2345/index.html?uid=5678&pageNum=3": Resource(_hanweb_list(records[6:], meta="").encode("gbk"), TEXT_TYPE),
        HANWEB_PDF[0]: Resource(shared_file(*REAL_PDF).read_bytes(), "application/pdf"),
    }
    for href, title in HANWEB_TITLES:
        routes[href] = _utf8(html_page(title, f"{title}正文。本年度主动公开信息若干条。", container='id="zoom"'))
    return routes


HANWEB_REPORTS = 7


def plain_portal() -> dict[str, Resource]:
    """The plain-list fixture portal; start URL `/`; failures scripted on pages 2 and 3."""
    report = "/xxgk/xxgknb/{y}/index.html"
    title = "白水县{y}年政府信息公开工作年度报告"
    pages = {
        1: [(report.format(y=y), title.format(y=y)) for y in (2023, 2022, 2021)],
        2: [(report.format(y=y), title.format(y=y)) for y in (2020, 2019, 2018)],
        3: [(report.format(y=y), title.format(y=y)) for y in (2017, 2016, 2015)],
    }
    nav = {1: '<a href="list.html?page=2">下一页</a> <a href="list.html?page=3">尾页</a>',
           2: '<a href="list.html?page=1">上一页</a> <a href="list.html?page=3">下一页</a>', 3: ""}
    routes = {
        "/robots.txt": _utf8("User-agent: *\nDisallow: /admin/\n", "text/plain"),
        "/": _utf8(list_page("白水县人民政府", [("/xxgk/xxgknb/list.html", "政府信息公开年度报告"), ("/admin/", "管理")])),
        "/xxgk/xxgknb/list.html": _utf8(list_page("年度报告", pages[1], nav[1])),
        "/xxgk/xxgknb/list.html?page=1": _utf8(list_page("年度报告", pages[1], nav[1])),
        "/xxgk/xxgknb/list.html?page=2": _utf8(list_page("年度报告", pages[2], nav[2])),
        "/xxgk/xxgknb/list.html?page=3": _utf8(list_page("年度报告", pages[3], nav[3])),
    }
    for items in pages.values():
        for href, text in items:
            routes[href] = _utf8(html_page(text, f"{text}。本年度共受理政府信息公开申请若干件。", container='class="content"'))
    routes[report.format(y=2019)] = Resource(b"slow", delay=2.0)
    routes[report.format(y=2018)] = Resource(stream_bytes=3_000_000)
    routes[report.format(y=2017)] = Resource(status=302, location="http://localhost:{port}/xxgk/xxgknb/2016/index.html")
    del routes[report.format(y=2015)]  # listed but 404
    return routes


PLAIN_STORED = {2023, 2022, 2021, 2020, 2016}
PLAIN_FAILED = {2019: "timed out", 2018: "too large", 2017: "not an allowed host", 2015: "HTTP 404"}
