"""Read stage: an HTML article page → its main content as text, plus the page's metadata. Pure.

Portal quirks met here: TRS pages carry `<meta name="ArticleTitle|PubDate|ContentSource|SiteName">` and
put the body in `.TRS_Editor` (pingtan: `.article_content`); Word-exported bodies split one word over many
`<span>`s (`201</span><span>4年度`), so inline elements join without separators and only block elements
start new lines. Tables become one line per row, cells separated by tabs.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from indexer.read.extract import Extracted
from indexer.read.statistics.grids import html_rows

# Known content containers, most specific first (TRS, Hanweb/大汉, common gov CMSs).
CONTENT_SELECTORS = (
    ".TRS_Editor", ".TRS_UEDITOR", ".article_content", "#zoom", "#Zoom", ".xxgk_content", "#ivs_content",
    "#UCAP-CONTENT", ".pages_content", ".article-content", ".art_con", ".bt_content", ".main-txt", ".zw", "#zw",
    ".xl_content", ".detail-content", ".news_content", ".wzcon",
)
# Names too common to trust before the density fallback (a `.content` sidebar is no article).
GENERIC_SELECTORS = (".view", "#content", ".content", "article", "main")
MIN_CONTENT_CHARS = 80
LAYOUT_CELL_CHARS = 400
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "select", "button",
              "input", "textarea", "object", "svg", "template")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "li",
               "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "hr", "address", "figure",
               "figcaption", "caption", "tbody", "thead", "tfoot", "body", "html"}
_CHROME = re.compile(r"^(?:无障碍(?:阅读|浏览)?|.*ICP备.*|版权所有.*|网站标识码.*|网站地图|打印本页|【?打印】?|关闭窗口|"
                     r"【?关闭】?|【?字体[:：].*|分享到.*|扫一扫.*|.*公网安备.*|(?:主办|承办)单位[:：].*|技术支持[:：].*|"
                     r"当前位置[:：].*|您现在的位置.*|收藏本站|设为首页|返回顶部)$")
_DATE_LABEL = re.compile(r"(?:发布|公开|成文|生成|发文)(?:日期|时间)\s*[:：]\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def extract_html(markup: str) -> Extracted:
    """Main content of an article page as text; tables become tab-separated rows."""
    soup = BeautifulSoup(markup, "lxml")
    meta = _meta(soup)
    titles = [meta.get("articletitle"), meta.get("og:title"), meta.get("title"), _heading_title(soup), _page_title(soup)]
    title = next((t for t in titles if t and ("报告" in t or "年报" in t)), None) or next(filter(None, titles), None)
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    root = _content_root(soup)
    text = _drop_chrome(render_text(root))
    published = _iso_date(_first(meta, "pubdate", "publishdate", "firstpublishedtime", "article:published_time")
                          or _labelled_date(soup.get_text(" ")))
    return Extracted(text=text, title=title, published=published, format="html", table_rows=html_rows(root),
                     publisher=_first(meta, "contentsource", "source"), site=_first(meta, "sitename", "og:site_name"))


def render_text(root: Tag) -> str:
    """Text of an element: block elements and `<br>` start lines, table rows are tab-joined cells."""
    parts: list[str] = []
    _render(root, parts)
    text = "".join(parts).replace("\xa0", " ")
    return re.sub(r"[ \t\u3000]*\n[ \t\u3000\n]*", "\n", text).strip()


def _render(node: Tag, parts: list[str]) -> None:
    """Depth-first without recursion: Word-exported pages nest `<font>` thousands deep."""
    stack: list = [iter(node.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if isinstance(child, str):
            if isinstance(child, NavigableString):
                parts.append(re.sub(r"[\r\n\t]+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name == "br":
            parts.append("\n")
        elif name == "tr":
            _render_row(child, parts)
        elif name in _BLOCK_TAGS or name == "table":
            parts.append("\n")
            stack.append(_then_newline(child, parts))
        else:
            stack.append(iter(child.children))


def _then_newline(node: Tag, parts: list[str]):
    yield from node.children
    parts.append("\n")


def _render_row(row: Tag, parts: list[str]) -> None:
    cells = row.find_all(["td", "th"], recursive=False)
    if len(cells) == 1 or any(len(cell.get_text()) > LAYOUT_CELL_CHARS for cell in cells):
        # A layout table (the whole article in one cell): keep its paragraphs as lines.
        for cell in cells:
            parts.append("\n")
            _render(cell, parts)
            parts.append("\n")
        return
    parts.append("\n" + "\t".join(_cell_text(c) for c in cells) + "\n")


def _cell_text(cell: Tag) -> str:
    parts: list[str] = []
    _render(cell, parts)
    return re.sub(r"[\s\u3000]+", " ", "".join(parts).replace("\xa0", " ")).strip()


def _content_root(soup: BeautifulSoup) -> Tag:
    known = [node for selector in CONTENT_SELECTORS for node in soup.select(selector)]
    for node in known:
        if len(_CJK.findall(node.get_text())) >= MIN_CONTENT_CHARS:
            return node
    generic = [node for selector in GENERIC_SELECTORS for node in soup.select(selector)]
    return (_densest(soup) or next((n for n in known + generic if _CJK.search(n.get_text())), None)
            or soup.body or soup)


def _densest(soup: BeautifulSoup) -> Tag | None:
    """Readability-style fallback: paragraphs vote for their parent (and half for the grandparent)."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for block in soup.find_all(["p", "td", "li", "pre", "h1", "h2", "h3", "h4"]):
        if block.find(["p", "td", "li", "table"]) or block.find_parent("a"):
            continue
        cjk = len(_CJK.findall(block.get_text()))
        if cjk < 10:
            continue
        for weight, ancestor in ((1.0, block.parent), (0.5, block.parent and block.parent.parent)):
            if isinstance(ancestor, Tag):
                scores[id(ancestor)] = scores.get(id(ancestor), 0) + cjk * weight
                nodes[id(ancestor)] = ancestor
    best = max(scores, key=scores.get) if scores else None
    return nodes[best] if best is not None and scores[best] >= MIN_CONTENT_CHARS else None


def _drop_chrome(text: str) -> str:
    """Drop short navigation/footer lines that survived container selection."""
    lines = [line for line in text.split("\n") if not (len(line) <= 60 and _CHROME.match(line.strip()))]
    return "\n".join(lines).strip()


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
