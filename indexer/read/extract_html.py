"""Read stage: an HTML article page → its main content as text, plus the page's metadata. Pure.

The main text comes from `crawler.page` (shared with the crawler's change detection); this module adds what
only the reader wants: the title, the publish date and the publishing office. TRS pages carry them as
`<meta name="ArticleTitle|PubDate|ContentSource|SiteName">`; others in an `<h1>` or an info line.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from crawler.page import content_root, parse_html, root_text
from indexer.read.extract import Extracted
from indexer.read.statistics.grids import html_rows

_DATE_LABEL = re.compile(r"(?:发布|公开|成文|生成|发文)(?:日期|时间)\s*[:：]\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+")


def extract_html(markup: str) -> Extracted:
    """Main content of an article page as text; tables become tab-separated rows."""
    soup = parse_html(markup)
    meta = _meta(soup)
    titles = [meta.get("articletitle"), meta.get("og:title"), meta.get("title"), _heading_title(soup), _page_title(soup)]
    title = next((t for t in titles if t and ("报告" in t or "年报" in t)), None) or next(filter(None, titles), None)
    root = content_root(soup)  # also strips scripts and comments, so the date label below is looked for in what is left
    text = root_text(root)
    published = _iso_date(_first(meta, "pubdate", "publishdate", "firstpublishedtime", "article:published_time")
                          or _labelled_date(soup.get_text(" ")))
    return Extracted(text=text, title=title, published=published, format="html", table_rows=html_rows(root),
                     publisher=_first(meta, "contentsource", "source"), site=_first(meta, "sitename", "og:site_name"))


def _first(meta: dict[str, str], *names: str) -> str | None:
    return next((meta[name] for name in names if meta.get(name)), None)


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    """`<meta name|property=… content=…>` by lower-cased name (TRS: ArticleTitle, PubDate, ContentSource, SiteName)."""
    found = {}
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        content = (tag.get("content") or "").strip()
        if name and content and name not in found:
            found[name] = content
    return found


def _heading_title(soup: BeautifulSoup) -> str | None:
    """An article heading outside the body container (`<h1>`, `.title`) that names a report."""
    for node in soup.select("h1, .article-title, .art_title, #title, .xl_title, .detail-title, .news_title"):
        text = re.sub(r"\s+", "", node.get_text())
        if 6 <= len(text) <= 80 and ("报告" in text or "年报" in text):
            return text
    return None


def _page_title(soup: BeautifulSoup) -> str | None:
    """`<title>` without the site suffix: the segment naming a report, else the first segment."""
    if not soup.title:
        return None
    segments = [s for s in _TITLE_SPLIT.split(soup.title.get_text(strip=True)) if s]
    for segment in segments:
        if "报告" in segment or "年报" in segment:
            return segment
    return segments[0] if segments else None


def _labelled_date(page_text: str) -> str | None:
    """`发布时间：2021-01-20` in the article's info line, which sits outside the body container."""
    match = _DATE_LABEL.search(page_text)
    return match.group(1) if match else None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    match = re.search(r"((?:19|20)\d{2})[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?", value)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
