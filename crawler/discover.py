"""Crawl stage, discovery: pure functions, a page's HTML and URL in → links out, each with its kind. No I/O.

Portals run a handful of CMS products, so knowledge is per family, never per site (DESIGN §3); the list
pages of each family are found by the adapters in `crawler/pagination.py`. Hanweb/大汉 list items are HTML
inside `<script type="text/xml"><datastore>…<record><![CDATA[<li>…]]>`, invisible to an HTML parser, so
`discover_links` reads the CDATA too.

The kinds of link, in the order an operator would follow them:
- report: text (or `title`, since list text is often cut short) names a year and `年度报告`/`年报` (or
  `信息公开…报告`), and is not a notice, guide or 工作要点 *about* reports;
- column: an annual-report column — `年报`/`年度报告` without a year, or a URL with `zfxxgknb`, `xxgknb`,
  `ndbg`, `AnnualReport`, …; inside a column, a year alone (`2023年度`) is a year sub-column;
- hub: a disclosure hub or catalogue (`政府信息公开`, `政务公开`, `法定主动公开内容`, `部门信息公开`,
  `乡镇（街道）信息公开`, URLs with `xxgk`, `zwgk`, `zfxxgk`, `gknb`), but not its 指南, 制度 or 工作要点;
- unit: on a directory of departments or townships (a hub such as `部门信息公开`), a link naming one
  (`教育局`, `城关镇`): its own site may have its own 年报 column.
Everything else (news, services, the rest of the site) is left alone.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from crawler.pagination import discover_pagination as _paginate, page_number

ATTACHMENT_SUFFIXES = ("pdf", "doc", "docx", "wps")
SEARCH_TERMS = "年度报告"  # what a portal's own site search is asked for

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
_YEAR_ONLY = re.compile(r"^\s*(?:19[89]\d|20[0-4]\d)\s*年?度?\s*$")
_REPORT_WORDS = re.compile(r"年度报告|年报|信息公开.{0,8}报告")
_NOT_REPORTS = re.compile(r"企业年度报告|企业年报|年报公示|统计年报|年报系统|工商年报|图解|解读|指南|要点|评估|测评|考核"
                          r"|^关于.*(?:通知|通报|公告|函|批复|意见)$|(?:通知|通报|函)$")
_COLUMN_WORDS = re.compile(r"年度报告|年报")
_COLUMN_URL = re.compile(r"zfxxgknb|xxgknb|gknb|ndbg|annualreport|nianbao|/nb/", re.IGNORECASE)
_HUB_WORDS = re.compile(r"信息公开|政务公开|政府公开|主动公开|公开目录|公开专栏")
_HUB_URL = re.compile(r"zfxxgk|xxgk|zwgk|gknb|/gk/|opennessTarget|xxgkml|fdzdgk", re.IGNORECASE)
_NOT_HUBS = re.compile(r"指南|要点|制度|规定|申请|意见|解读|新闻|动态|通知|公告|规范|标准|保密|监督|考核|评议|平台|地图"
                       r"|联系|年报|年度报告|\d{4}")
_DIRECTORY_WORDS = re.compile(r"部门|乡镇|街道|镇街|单位|区县|县区|县市区")
_UNIT_NAME = re.compile(r"^[\u4e00-\u9fff（）()]{2,20}(?:局|委员会|委|办公室|办|院|中心|镇|乡|街道|办事处|人民政府|政府|"
                        r"管委会|管理委员会|署|厅|所|站|队|园区)$")
_SEARCH_FIELD = re.compile(r"^(?:searchword|keywords?|q|query|wd|kw|word|sword|searchtext|searchkey|text)$",
                           re.IGNORECASE)
_REFRESH = re.compile(r"<meta[^>]+http-equiv=[\"']?refresh[^>]*content=[\"']?\s*\d*\s*;?\s*url\s*=\s*['\"]?([^\"'>\s]+)",
                      re.IGNORECASE)
_JS_REDIRECT = re.compile(r"(?:window\.|document\.|top\.)?location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]"
                          r"|location\.replace\(\s*['\"]([^'\"]+)['\"]", re.IGNORECASE)
_REPORT_BODY = re.compile(r"总体情况|主动公开政府信息情况|收到和处理政府信息公开申请|主动公开情况|依申请公开情况")
_NOT_UNITS = re.compile(r"新闻|首页|办事|互动|服务|网站|专题|交流|公开")
_TITLE = re.compile(r"<title>([^<]*)</title>", re.IGNORECASE)
_DETAIL_URL = re.compile(r"/t\d{8}_\d+\.\w+$|/art_\d+_\d+\.\w+$|/art/\d{4}/|/content_\d+|/\d{5,}\.s?html?$")
_ATTACHMENT_URL = re.compile(rf"\.(?:{'|'.join(ATTACHMENT_SUFFIXES)})(?:$|[?&#])", re.IGNORECASE)
_NEXT_WORDS = {"下一页", "下页", "后一页", "尾页", "末页", "最后一页", "最末页", ">", ">>", "›", "»", "next", "last"}
_COLUMN_PAGE = re.compile(r"<title>[^<]*(?:年度报告|年报)[^<]*</title>"  # the page says it is the column
                          r"|name=[\"']?ColumnName[\"']?\s+content=[\"'][^\"']*(?:年度报告|年报)", re.IGNORECASE)
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_TRS_MARKS = re.compile(r"createPageHTML|countPage|TRS_Editor|/t\d{8}_\d+\.s?html?", re.IGNORECASE)
_HANWEB_MARKS = re.compile(r"<datastore|/col/col\d+|/art/\d{4}/\d+/\d+/art_|xxgkannualreport|dataproxy\.jsp",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A link on a page: absolute URL (no fragment) and its visible text (or title)."""

    url: str
    text: str


@dataclass(frozen=True)
class Discovery:
    """What one page offers the crawler, by kind of link (see the module docstring)."""

    reports: tuple[Link, ...] = ()
    columns: tuple[Link, ...] = ()
    pages: tuple[str, ...] = ()
    hubs: tuple[Link, ...] = ()
    family: str = "plain"
    units: tuple[Link, ...] = ()


def discover_page(html: str, url: str, *, in_column: bool = False, in_directory: bool = False) -> Discovery:
    """Classify every link on a page: reports, annual-report columns, further list pages, hubs, units.

    `in_column`: the page is known to be an annual-report list (reached as one); then detail-shaped
    links naming a year count as reports even when their text was cut short. `in_directory`: the page was
    reached as a directory of departments or townships (its own title may say so too).
    """
    links = discover_links(html, url)
    head = html[:20000]
    in_column = in_column or is_column_url(url) or bool(_COLUMN_PAGE.search(head))
    title = _TITLE.search(head)
    in_directory = in_directory or bool(title and is_directory_title(title.group(1)))
    reports, columns, hubs, units = [], [], [], []
    column_dir = posixpath.dirname(urlsplit(url).path) + "/"
    family, pages = _paginate(html, url, links)
    for link in links:
        if link.url == url or link.url in pages:
            continue
        if in_column and _YEAR_ONLY.match(link.text) and not is_attachment_url(link.url):
            columns.append(link)  # a per-year sub-column such as "2023年度"
        elif is_report_link(link) or (in_column and _looks_like_detail(link, column_dir)):
            reports.append(link)
        elif is_column_link(link):
            columns.append(link)
        elif is_hub_link(link):
            hubs.append(link)
        elif in_directory and is_unit_name(link.text) and not is_attachment_url(link.url):
            units.append(link)
    if family == "plain":
        family = detect_family(html, [link.url for link in reports])
    return Discovery(tuple(_unique(reports)), tuple(_unique(columns)), pages, tuple(_unique(hubs)), family,
                     tuple(_unique(units)))


def discover_listing(html: str, url: str) -> Discovery | None:
    """A page reached as a report that is a list of reports instead (a year sub-column titled like a report,
    `2022年度政府信息公开工作年度报告` → `/ndbg/2022nd/`): its discovery as a column, else None."""
    if _DETAIL_URL.search(urlsplit(url).path) or _REPORT_BODY.search(html):
        return None
    found = discover_page(html, url, in_column=True)
    return found if sum(1 for link in found.reports if link.url != url) >= 3 else None


def detect_family(html: str, report_urls: Iterable[str] = ()) -> str:
    """The CMS family a page shows its marks of (TRS scripts and detail names, Hanweb datastores and paths)."""
    sample = html[:200000] + " ".join(report_urls)
    if _HANWEB_MARKS.search(sample):
        return "hanweb"
    if _TRS_MARKS.search(sample):
        return "trs"
    return "plain"


def is_hub_link(link: Link) -> bool:
    """A disclosure hub or catalogue worth opening: by its words, else (unnamed) by its address."""
    if _NOT_HUBS.search(link.text) or is_attachment_url(link.url):
        return False
    if _HUB_WORDS.search(link.text):
        return True
    path = urlsplit(link.url).path
    # By address only when the hub word names the page itself (`/zwgk/`, `/xxgk/index.html`), not a folder above it.
    segments = [part for part in path.split("/") if part and not part.lower().startswith(("index", "default"))]
    own = segments[-1] if segments else ""
    return len(link.text) <= 12 and bool(_HUB_URL.search(own)) and not _DETAIL_URL.search(path)


def is_directory_title(text: str) -> bool:
    """`部门信息公开`, `乡镇（街道）信息公开`: a hub that lists units, each with its own disclosure site."""
    return bool(_DIRECTORY_WORDS.search(text) and _HUB_WORDS.search(text))


def is_unit_name(text: str) -> bool:
    """`县教育局`, `城关镇`, `河街街道`: the name of a department or township."""
    return bool(_UNIT_NAME.match(text.strip())) and not _NOT_UNITS.search(text)


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


def discover_embedded(html: str, url: str) -> list[str]:
    """Pages this one stands for: a meta-refresh or script redirect target, and its frames and iframes
    (home pages that only redirect, columns whose list sits in an iframe)."""
    targets = [match.group(1) for match in _REFRESH.finditer(html[:20000])]
    if len(html) < 3000:  # a page that is nothing but a script redirect
        targets += [a or b for a, b in _JS_REDIRECT.findall(html)]
    soup = BeautifulSoup(html, "lxml")
    targets += [frame["src"] for frame in soup.find_all(["frame", "iframe"], src=True)]
    found = [_absolute(url, target) for target in targets]
    return [target for target in dict.fromkeys(found) if target and target != url and not is_attachment_url(target)]


def discover_search(html: str, url: str) -> str | None:
    """The results URL of the portal's own site search (a GET form with a keyword field) for `SEARCH_TERMS`."""
    soup = BeautifulSoup(html, "lxml")
    for form in soup.find_all("form"):
        if (form.get("method") or "get").strip().lower() != "get":
            continue
        fields = [field for field in form.find_all("input") if field.get("name")]
        keyword = next((f for f in fields if _SEARCH_FIELD.match(f["name"]) and
                        (f.get("type") or "text").lower() in ("text", "search")), None)
        action = _absolute(url, form.get("action") or url)
        if keyword is None or action is None:
            continue
        query = [(f["name"], f.get("value") or "") for f in fields if (f.get("type") or "").lower() == "hidden"]
        parts = urlsplit(action)
        query = parse_qsl(parts.query, keep_blank_values=True) + query + [(keyword["name"], SEARCH_TERMS)]
        return urlunsplit(parts._replace(query=urlencode(query)))
    return None


def discover_attachments(html: str, url: str) -> list[Link]:
    """Links to PDF/DOC/DOCX/WPS files on a report page (TRS `P0202…pdf` names included)."""
    return [link for link in discover_links(html, url) if is_attachment_url(link.url)]


def discover_pagination(html: str, url: str, links: Iterable[Link] = ()) -> tuple[str, tuple[str, ...]]:
    """The CMS family that announced the pagination, and the other list pages of this list."""
    return _paginate(html, url, list(links) or discover_links(html, url))


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
        path.startswith(column_dir) and path != column_dir and page_number(link.url) is None)
    return bool(_YEAR.search(link.text) and shaped and not _NOT_REPORTS.search(link.text))


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
