"""Crawl stage, discovery of list pages: pure adapters, one per CMS family, a list page in → its other pages out.

- TRS: `createPageHTML(n, i, "index", "html")` (some versions put an element id first), `var countPage = n`
  or `var _nPageCount = n`
  → `index.html`, `index_1.html` … `index_{n-1}.html`.
- Hanweb/大汉 records loaded by `dataproxy.jsp`: a column page shows the first group of records (more than
  one page's worth) and names the proxy in `<nextgroup>`; the rest are `dataproxy.jsp?…&startrecord=S&
  endrecord=E&perpage=P`, answered with more `<datastore>` records (GET works where the portal allows it).
- Hanweb static pages: `?uid=<unit>&pageNum=N`, totals in `totalRecord`/`perPage`/`totalPage`.
- Hanweb disclosure module `xxgkAnnualReport.jsp?area=CODE&fbtime=YEAR`: one page per unit × year; the
  units are the `area=` links of its tree (or the options of an `area` select), the years the `fbtime`
  options and links.
- Plain lists: `下一页` / `尾页` / numbered links, `?page=N`, `index_N.html`, `/N.html`.
"""
from __future__ import annotations

import html as html_lib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

MAX_GENERATED_PAGES = 500
PAGE_PARAMS = ("pagenum", "page", "pageno", "pageindex", "currentpage", "curpage", "pn", "p", "pageid")

_TRS_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_TRS_COUNT = re.compile(r"\b(?:countPage|_nPageCount)\s*=\s*['\"]?(\d+)")
_TOTAL_PAGES = re.compile(r"(?:totalpage|pagecount|totalpages|pagecounts)\W{0,4}(\d+)", re.IGNORECASE)
_TOTAL_RECORDS = re.compile(r"totalrecord\W{0,4}(\d+)", re.IGNORECASE)
_DATASTORE_DIV = re.compile(r"<div[^>]*\bid=[\"']?(\d+)[\"']?[^>]*>\s*<script[^>]*text/xml", re.IGNORECASE)
_UNIT_ID = re.compile(r"unitid\W{0,3}(\d+)", re.IGNORECASE)
_PER_PAGE = re.compile(r"(?:perpage|pagesize)\W{0,4}(\d+)", re.IGNORECASE)
_PROXY = re.compile(r"""[^"'\s<>]*dataproxy\.jsp\?[^"'\s<>]*""", re.IGNORECASE)
_RECORD = re.compile(r"<record\b", re.IGNORECASE)
_MODULE = re.compile(r"xxgkannualreport", re.IGNORECASE)
_AREA_SELECT = re.compile(r"<select[^>]*name=[\"']?area[\"' ][^>]*>(.*?)</select>", re.IGNORECASE | re.DOTALL)
_OPTION_VALUE = re.compile(r"<option[^>]*value=[\"']?([\w-]+)", re.IGNORECASE)
_YEAR_OPTION = re.compile(r"<option[^>]*value=[\"']?((?:19[89]|20[0-4])\d)[\"' >]", re.IGNORECASE)
_NEXT_WORDS = {"下一页", "下页", "后一页", "尾页", "末页", "最后一页", "最末页", ">", ">>", "›", "»", "next", "last"}
_LAST_WORDS = {"尾页", "末页", "最后一页", "最末页", "last", ">>", "»"}


@dataclass(frozen=True)
class PageLink:
    """The part of a link pagination needs (same shape as `discover.Link`)."""

    url: str
    text: str


def discover_pagination(html: str, url: str, links) -> tuple[str, tuple[str, ...]]:
    """The CMS family that announced the pagination, and the other list pages of this list."""
    for family, adapter in _ADAPTERS:
        pages = [p for p in adapter(html, url, links) if p != url]
        if pages:
            return family, tuple(dict.fromkeys(pages))
    return "plain", ()


def _trs_pages(html: str, url: str, links) -> list[str]:
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


def _dataproxy_pages(html: str, url: str, links) -> list[str]:
    proxy = _PROXY.search(html)
    total, per_page = _TOTAL_RECORDS.search(html), _PER_PAGE.search(html)
    shown = len(_RECORD.findall(html))
    if not (proxy and total and per_page) or int(per_page.group(1)) <= 0:
        return []
    total, per_page = int(total.group(1)), int(per_page.group(1))
    if shown <= per_page or shown >= total:  # one page shown: static `pageNum` pages (or nothing) follow
        return []
    base = urljoin(url, html_lib.unescape(proxy.group(0)))
    parts = urlsplit(base)
    keep = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in ("page", "startrecord", "endrecord", "perpage")]
    windows = range(shown + 1, min(total, shown * MAX_GENERATED_PAGES) + 1, shown)
    return [urlunsplit(parts._replace(query=urlencode(keep + [("startrecord", str(start)), (
        "endrecord", str(min(start + shown - 1, total))), ("perpage", str(per_page))]))) for start in windows]


def _hanweb_pages(html: str, url: str, links) -> list[str]:
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


def _module_pages(html: str, url: str, links) -> list[str]:
    """Every unit × year of the disclosure module, from the module page's unit links and year options."""
    if not _MODULE.search(urlsplit(url).path):
        return []
    years = set(_YEAR_OPTION.findall(html))
    areas = [code for select in _AREA_SELECT.findall(html) for code in _OPTION_VALUE.findall(select)]
    for link in links:
        if _MODULE.search(urlsplit(link.url).path):
            query = dict(parse_qsl(urlsplit(link.url).query))
            areas += [query["area"]] if query.get("area") else []
            years |= {query["fbtime"]} if query.get("fbtime", "").isdigit() else set()
    own = dict(parse_qsl(urlsplit(url).query))
    areas = list(dict.fromkeys(([own["area"]] if own.get("area") else []) + areas))
    years |= {own["fbtime"]} if own.get("fbtime", "").isdigit() else set()
    pages = [_with_query(_with_query(url, "area", area), "fbtime", year)
             for area in areas for year in sorted(years, reverse=True)]
    return pages[:MAX_GENERATED_PAGES]


def _plain_pages(html: str, url: str, links) -> list[str]:
    pages, last = [], None
    for link in links:
        if not _same_list(link.url, url):
            continue
        text = link.text.strip().lower()
        numbered = page_number(link.url) is not None
        if text in _NEXT_WORDS or (text.isdigit() and numbered):
            pages.append(link.url)
            if text in _LAST_WORDS and numbered:
                last = link.url
    total = _total_pages(html)
    template = last or next((p for p in pages if page_number(p) is not None), None)
    if template:
        top = max(page_number(template) or 0, total or 0)
        # `list_1.html` is page 2 on some CMSs and missing on others: only explicit links name it.
        first = 1 if _page_in_query(template) else 2
        pages += [_page_url(template, n) for n in range(first, min(top, MAX_GENERATED_PAGES) + 1)]
    return pages


_ADAPTERS: tuple[tuple[str, Callable], ...] = (
    ("trs", _trs_pages), ("hanweb", _module_pages), ("hanweb", _dataproxy_pages), ("hanweb", _hanweb_pages),
    ("plain", _plain_pages))


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


def page_number(url: str) -> int | None:
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


def _with_query(url: str, key: str, value) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key] + [(key, str(value))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _suffix_of(url: str) -> str:
    name = posixpath.basename(urlsplit(url).path)
    return name.rsplit(".", 1)[1] if "." in name else "html"
