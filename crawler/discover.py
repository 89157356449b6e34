"""Crawl stage, discovery: pure functions, a page's HTML and URL in → links out. No I/O.

Portals run a handful of CMS products, so knowledge is per family, never per site (DESIGN §3):

- TRS: list pages `index.html`, `index_1.html` … announced by `createPageHTML(n, i, "index", "html")`
  (some versions put an element id first) or `var countPage = n`; details `tYYYYMMDD_NNN.html`.
- Hanweb/大汉: list items are HTML inside `<script type="text/xml"><datastore>…<record><![CDATA[<li>…]]>`,
  invisible to an HTML parser; pages are `?uid=…&pageNum=N`, totals in `totalRecord`/`perPage`/`totalPage`.
- Plain lists: `下一页` / `尾页` / numbered links, `?page=N`, `index_N.html`, `/N.html`.

What counts as an annual report: a link whose text (or `title`, since list text is often truncated)
names a year and `年度报告`/`年报` (or `信息公开…报告`). An annual-report *column* is a link saying
`年报`/`年度报告` without a year, or whose URL carries `zfxxgknb`, `xxgknb`, `ndbg`, `AnnualReport`, ….
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

ATTACHMENT_SUFFIXES = ("pdf", "doc", "docx", "wps")
MAX_GENERATED_PAGES = 500
PAGE_PARAMS = ("pagenum", "page", "pageno", "pageindex", "currentpage", "curpage", "pn", "p", "pageid")

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
_YEAR_ONLY = re.compile(r"^\s*(?:19[89]\d|20[0-4]\d)\s*年?度?\s*$")
_REPORT_WORDS = re.compile(r"年度报告|年报|信息公开.{0,8}报告")
_NOT_REPORTS = re.compile(r"企业年度报告|企业年报|年报公示|统计年报|年报系统|工商年报")
_COLUMN_WORDS = re.compile(r"年度报告|年报")
_COLUMN_URL = re.compile(r"zfxxgknb|xxgknb|gknb|ndbg|annualreport|nianbao|/nb/", re.IGNORECASE)
_HUB_WORDS = re.compile(r"信息公开|政务公开|政府公开|公开目录|公开专栏")
_HUB_URL = re.compile(r"zfxxgk|xxgk|zwgk|/gk/|opennessTarget|xxgkml", re.IGNORECASE)
_DETAIL_URL = re.compile(r"/t\d{8}_\d+\.\w+$|/art_\d+_\d+\.\w+$|/art/\d{4}/|/content_\d+|/\d{5,}\.s?html?$")
_ATTACHMENT_URL = re.compile(rf"\.(?:{'|'.join(ATTACHMENT_SUFFIXES)})(?:$|[?&#])", re.IGNORECASE)
_NEXT_WORDS = {"下一页", "下页", "后一页", "尾页", "末页", "最后一页", "最末页", ">", ">>", "›", "»", "next", "last"}
_COLUMN_PAGE = re.compile(r"<title>[^<]*(?:年度报告|年报)[^<]*</title>"  # the page says it is the column
                          r"|name=[\"']?ColumnName[\"']?\s+content=[\"'][^\"']*(?:年度报告|年报)", re.IGNORECASE)
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_TRS_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_TRS_COUNT = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
_TOTAL_PAGES = re.compile(r"(?:totalpage|pagecount|totalpages|pagecounts)\W{0,4}(\d+)", re.IGNORECASE)
_TOTAL_RECORDS = re.compile(r"totalrecord\W{0,4}(\d+)", re.IGNORECASE)
_DATASTORE_DIV = re.compile(r"<div[^>]*\bid=[\"']?(\d+)[\"']?[^>]*>\s*<script[^>]*text/xml", re.IGNORECASE)
_UNIT_ID = re.compile(r"unitid\W{0,3}(\d+)", re.IGNORECASE)
_PER_PAGE = re.compile(r"(?:perpage|pagesize)\W{0,4}(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A link on a page: absolute URL (no fragment) and its visible text (or title)."""

    url: str
    text: str


@dataclass(frozen=True)
class Discovery:
    """What one page offers the crawler."""

    reports: tuple[Link, ...] = ()
    columns: tuple[Link, ...] = ()
    pages: tuple[str, ...] = ()
    hubs: tuple[Link, ...] = ()
    family: str = "plain"


def discover_page(html: str, url: str, *, in_column: bool = False) -> Discovery:
    """Classify every link on a page: reports, annual-report columns, further list pages, hubs.

    `in_column`: the page is known to be an annual-report list (reached as one); then detail-shaped
    links naming a year count as reports even when their text was cut short.
    """
    links = discover_links(html, url)
    in_column = in_column or is_column_url(url) or bool(_COLUMN_PAGE.search(html[:20000]))
    reports, columns, hubs = [], [], []
    column_dir = posixpath.dirname(urlsplit(url).path) + "/"
    for link in links:
        if link.url == url:
            continue
        if in_column and _YEAR_ONLY.match(link.text) and not is_attachment_url(link.url):
            columns.append(link)  # a per-year sub-column such as "2023年度"
        elif is_report_link(link) or (in_column and _looks_like_detail(link, column_dir)):
            reports.append(link)
        elif is_column_link(link):
            columns.append(link)
        elif _HUB_WORDS.search(link.text) or _HUB_URL.search(urlsplit(link.url).path):
            hubs.append(link)
    family, pages = discover_pagination(html, url, links)
    return Discovery(tuple(_unique(reports)), tuple(_unique(columns)), pages, tuple(_unique(hubs)), family)


def discover_links(html: str, url: str) -> list[Link]:
    """Every http(s) link of a page, including Hanweb list items hidden in CDATA records."""
    fragments = [html, "\n".join(_CDATA.findall(html))]
    links = []
    for fragment in fragments:
        soup = BeautifulSoup(fragment, "lxml")
        base = soup.find("base", href=True)
        page_base = urljoin(url, base["href"]) if base else url
        for anchor in soup.find_all("a", href=True):
            target = _absolute(page_base, anchor["href"])
            if target:
                links.append(Link(target, _link_text(anchor)))
    return _unique(links)


def discover_attachments(html: str, url: str) -> list[Link]:
    """Links to PDF/DOC/DOCX/WPS files on a report page (TRS `P0202…pdf` names included)."""
    return [link for link in discover_links(html, url) if is_attachment_url(link.url)]


def discover_pagination(html: str, url: str, links: Iterable[Link] = ()) -> tuple[str, tuple[str, ...]]:
    """The CMS family that announced the pagination, and the other list pages of this list."""
    links = list(links) or discover_links(html, url)
    for family, adapter in _PAGINATION_ADAPTERS:
        pages = [p for p in adapter(html, url, links) if p != url]
        if pages:
            return family, tuple(dict.fromkeys(pages))
    return "plain", ()


def is_report_link(link: Link) -> bool:
    """A link whose text names an annual report and a year."""
    return is_report_title(link.text)


def is_report_title(text: str) -> bool:
    """True for titles like `平潭综合实验区2023年度政府信息公开工作年度报告`."""
    return bool(_YEAR.search(text) and _REPORT_WORDS.search(text) and not _NOT_REPORTS.search(text))


def report_year(text: str) -> int | None:
    """The first plausible year named in a title."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def is_column_link(link: Link) -> bool:
    """A link to an annual-report column: report words without a year, or a column-like URL."""
    if _NOT_REPORTS.search(link.text) or is_attachment_url(link.url):
        return False
    if _COLUMN_WORDS.search(link.text) and not _YEAR.search(link.text):
        return True
    return is_column_url(link.url)


def is_column_url(url: str) -> bool:
    """URLs such as `/zfxxgk/zfxxgknb/`, `/xxgk/xxgknb/`, `xxgkAnnualReport.jsp?fbtime=…`."""
    parts = urlsplit(url)
    return bool(_COLUMN_URL.search(parts.path + "?" + parts.query))


def is_attachment_url(url: str) -> bool:
    """True for URLs of PDF/DOC/DOCX/WPS files, also when the name sits in the query."""
    return bool(_ATTACHMENT_URL.search(url))


def _looks_like_detail(link: Link, column_dir: str) -> bool:
    """Inside a report column: a link naming a year (titles are often cut short) that is shaped like a
    detail page (TRS/Hanweb URL), an attachment, or lives below the column's own folder."""
    path = urlsplit(link.url).path
    shaped = _DETAIL_URL.search(path) or is_attachment_url(link.url) or (
        path.startswith(column_dir) and path != column_dir and _page_number(link.url) is None)
    return bool(_YEAR.search(link.text) and shaped)


def _trs_pages(html: str, url: str, links: list[Link]) -> list[str]:
    count, prefix, suffix = None, "index", _suffix_of(url)
    call = _TRS_CALL.search(html)
    if call:
        args = [a.strip().strip("'\"") for a in call.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        words = [a for a in args if a and not a.isdigit()]
        count = numbers[0] if numbers else None
        if len(words) >= 2:
            prefix, suffix = words[-2], words[-1]
    if not count and _TRS_COUNT.search(html):  # createPageHTML(countPage, currentPage, "index", "html")
        count = int(_TRS_COUNT.search(html).group(1))
    if not count:
        return []
    directory = posixpath.dirname(urlsplit(url).path) + "/"
    names = [f"{prefix}.{suffix}"] + [f"{prefix}_{i}.{suffix}" for i in range(1, min(count, MAX_GENERATED_PAGES))]
    return [urljoin(url, directory + name) for name in names]


def _hanweb_pages(html: str, url: str, links: list[Link]) -> list[str]:
    if "<datastore" not in html.lower() and "/col/col" not in url:
        return []
    total = _total_pages(html)
    if not total:
        return []
    # Page N of a column is `index.html?uid=<unit>&pageNum=N`; the unit id sits in the jpage script.
    unit = (dict(parse_qsl(urlsplit(url).query)).get("uid") or next(iter(_UNIT_ID.findall(html)), None)
            or next(iter(_DATASTORE_DIV.findall(html)), None))
    base = _with_query(url, "uid", int(unit)) if unit and unit.isdigit() else url
    return [_with_query(base, "pageNum", n) for n in range(1, min(total, MAX_GENERATED_PAGES) + 1)]


def _plain_pages(html: str, url: str, links: list[Link]) -> list[str]:
    pages, last = [], None
    for link in links:
        if not _same_list(link.url, url):
            continue
        text = link.text.strip().lower()
        numbered = _page_number(link.url) is not None
        if text in _NEXT_WORDS or (text.isdigit() and numbered):
            pages.append(link.url)
            if text in {"尾页", "末页", "最后一页", "最末页", "last", ">>", "»"} and numbered:
                last = link.url
    total = _total_pages(html)
    template = last or next((p for p in pages if _page_number(p) is not None), None)
    if template:
        top = max(_page_number(template) or 0, total or 0)
        # `list_1.html` is page 2 on some CMSs and missing on others: only explicit links name it.
        first = 1 if _page_in_query(template) else 2
        pages += [_page_url(template, n) for n in range(first, min(top, MAX_GENERATED_PAGES) + 1)]
    return pages


_PAGINATION_ADAPTERS: tuple[tuple[str, Callable[[str, str, list[Link]], list[str]]], ...] = (
    ("trs", _trs_pages), ("hanweb", _hanweb_pages), ("plain", _plain_pages))


def _total_pages(html: str) -> int | None:
    pages = _TOTAL_PAGES.search(html)
    if pages and int(pages.group(1)) > 0:
        return int(pages.group(1))
    records, per_page = _TOTAL_RECORDS.search(html), _PER_PAGE.search(html)
    if records and per_page and int(per_page.group(1)) > 0:
        return -(-int(records.group(1)) // int(per_page.group(1)))
    return None


def _page_in_query(url: str) -> bool:
    return any(k.lower() in PAGE_PARAMS and v.isdigit() for k, v in parse_qsl(urlsplit(url).query))


def _page_number(url: str) -> int | None:
    """The page number a list URL carries: `?page=N` (and kin), `…_N.html`, or `/N.html`."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return int(value)
    match = re.search(r"(?:_|/)(\d{1,3})\.s?html?$", parts.path)
    return int(match.group(1)) if match else None


def _page_url(template: str, number: int) -> str:
    parts = urlsplit(template)
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return _with_query(template, key, number)
    path = re.sub(r"(_|/)(\d{1,3})(\.s?html?)$", lambda m: f"{m.group(1)}{number}{m.group(3)}", parts.path)
    return urlunsplit(parts._replace(path=path))


def _same_list(candidate: str, url: str) -> bool:
    a, b = urlsplit(candidate), urlsplit(url)
    return a.netloc == b.netloc and posixpath.dirname(a.path) == posixpath.dirname(b.path)


def _with_query(url: str, key: str, value: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key] + [(key, str(value))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _suffix_of(url: str) -> str:
    name = posixpath.basename(urlsplit(url).path)
    return name.rsplit(".", 1)[1] if "." in name else "html"


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    target = urldefrag(urljoin(base, href))[0]
    return target if urlsplit(target).scheme in ("http", "https") else None


def _link_text(anchor) -> str:
    text = _CJK_GAP.sub("", " ".join(anchor.get_text(" ", strip=True).split()))
    title = (anchor.get("title") or "").strip()
    # List pages truncate long titles ("…工作年…"); the title attribute usually has the whole one.
    return title if len(title) > len(text) or (title and not _YEAR.search(text)) else text


def _unique(items):
    seen, kept = set(), []
    for item in items:
        key = item.url if isinstance(item, Link) else item
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
