"""Building blocks of a generated portal: the site (routes + truth), page shells, report bodies, files.

A `Site` collects routes for `PortalServer` and remembers its truth as it is built: `reports` (every URL
path a crawler should store: report pages and their attachments) and `noise` (pages that look close to a
report but are not one: 工作要点, 指南, notices about reports). Pages are encoded as the portal's `Encoding`
says: UTF-8 with the charset in the header, or GBK with the charset only in `<meta>`, or nowhere at all.
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

from tests.crawler.portals import docx_bytes
from tests.crawler.server import Resource, sorted_query

LAST_MODIFIED = "Mon, 04 Mar 2024 08:00:00 GMT"
EDITED = "Tue, 05 Mar 2024 08:00:00 GMT"
FILE_TYPES = {"pdf": "application/pdf", "doc": "application/msword", "wps": "application/kswps",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class Encoding:
    """How a portal's pages are encoded and where (if anywhere) it says so."""

    name: str = "utf-8"         # utf-8 | gbk
    in_header: bool = True      # charset in Content-Type
    in_meta: bool = True        # <meta charset> in the page

    @property
    def label(self) -> str:
        where = "header" if self.in_header else "meta" if self.in_meta else "none"
        return f"{self.name}/{where}"


UTF8 = Encoding()
GBK_META = Encoding("gbk", in_header=False, in_meta=True)
GBK_BARE = Encoding("gbk", in_header=False, in_meta=False)


@dataclass
class Site:
    """Routes of one generated portal, and its truth."""

    name: str
    agency: str                       # the portal's own government, e.g. 青山县人民政府
    encoding: Encoding = UTF8
    nav: list[tuple[str, str]] = field(default_factory=list)  # header links on every page
    routes: dict[str, Resource] = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)     # path → title
    noise: set[str] = field(default_factory=set)
    disallowed: set[str] = field(default_factory=set)         # report paths robots.txt forbids
    dynamic: dict = field(default_factory=dict)               # path → function of the query (CMS endpoints)
    searchable: list = field(default_factory=list)            # items the site search finds (reports and noise)

    def page(self, path: str, body: str) -> None:
        """Serve an HTML page in the portal's encoding (query parameters in any order)."""
        self.routes[_route(path)] = self.html(body)

    def html(self, body: str) -> Resource:
        """An HTML page in the portal's encoding, the charset in the header only if the portal says it there."""
        encoding = self.encoding
        content_type = f"text/html; charset={encoding.name}" if encoding.in_header else "text/html"
        return Resource(body.encode(encoding.name, "xmlcharrefreplace"), content_type, last_modified=LAST_MODIFIED)

    def file(self, path: str, data: bytes, suffix: str) -> None:
        """Serve an attachment."""
        self.routes[path] = Resource(data, FILE_TYPES[suffix], last_modified=LAST_MODIFIED)

    def head(self, title: str, extra: str = "") -> str:
        charset = f'<meta http-equiv="Content-Type" content="text/html; charset={self.meta_charset}">' \
            if self.encoding.in_meta else ""
        return f"<!DOCTYPE html><html><head>{charset}<title>{esc(title)}</title>{extra}</head><body>"

    @property
    def meta_charset(self) -> str:
        return "gb2312" if self.encoding.name == "gbk" else "utf-8"

    def header(self, crumbs: list[tuple[str, str]] = ()) -> str:
        """Site chrome: logo, the navigation bar and a breadcrumb (links every page carries)."""
        links = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in self.nav)
        trail = " &gt; ".join(f'<a href="{href}">{esc(text)}</a>' for href, text in [("/", "首页"), *crumbs])
        return (f'<div class="header"><a href="/" class="logo">{esc(self.agency)}</a>'
                f'<ul class="nav">{links}</ul></div><div class="crumb">当前位置：{trail}</div>')

    def footer(self) -> str:
        return (f'<div class="footer">主办：{esc(self.agency)}办公室 网站标识码 3300000001 '
                '<a href="/wzdt/">网站地图</a> <a href="/lxwm/">联系我们</a></div></body></html>')

    def report(self, path: str, title: str) -> None:
        """Count `path` as a report the crawler must store."""
        self.reports[path] = title

    def robots(self, disallow: list[str], crawl_delay: float) -> None:
        lines = ["User-agent: *", *(f"Disallow: {d}" for d in disallow), f"Crawl-delay: {crawl_delay:g}", ""]
        self.routes["/robots.txt"] = Resource("\n".join(lines).encode(), "text/plain")


def _route(path: str) -> str:
    bare, _, query = path.partition("?")
    return f"{bare}?{sorted_query(query)}" if query else bare


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def report_title(agency: str, year: int) -> str:
    return f"{agency}{year}年度政府信息公开工作年度报告"


def report_text(agency: str, year: int, extra: str = "") -> list[str]:
    """A report in the 2019 template: the six statutory sections, one or two sentences each."""
    return [f"根据《中华人民共和国政府信息公开条例》要求，现公布{agency}{year}年度政府信息公开工作年度报告。",
            "一、总体情况", f"{year}年，{agency}认真贯彻落实政府信息公开工作要求，推进政务公开标准化规范化。{extra}",
            "二、主动公开政府信息情况", f"{year}年主动公开政府信息{(year * 7 + len(agency)) % 900 + 100}条。",
            "三、收到和处理政府信息公开申请情况", f"{year}年共收到政府信息公开申请{(year + len(agency)) % 40}件。",
            "四、政府信息公开行政复议、行政诉讼情况", "本年度未发生因政府信息公开引起的行政复议、行政诉讼。",
            "五、存在的主要问题及改进情况", "公开内容的及时性和解读质量有待提高。",
            "六、其他需要报告的事项", "无。"]


def pdf_bytes(lines: list[str]) -> bytes:
    """A small real PDF with a text layer (reportlab, built-in Chinese CID font; byte-identical each time)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        for start in range(0, len(line), 40):
            pdf.drawString(50, y, line[start:start + 40])
            y -= 18
    pdf.save()
    return buffer.getvalue()


def file_bytes(suffix: str, lines: list[str]) -> bytes:
    """An attachment: a real PDF, or a DOCX (portals serve many `.doc`/`.wps` files that are DOCX inside)."""
    return pdf_bytes(lines) if suffix == "pdf" else docx_bytes("。".join(lines))
