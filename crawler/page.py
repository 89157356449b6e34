"""Reading a web page, shared by the crawl and read stages: bytes → str (one decoding policy) and a report
page → its main text (one content extractor). Pure.

The crawler hashes `main_text` to decide whether a report changed; the reader (`indexer/read/`) indexes the
same `main_text`, so "changed" at crawl time and "the indexed text changed" cannot disagree. It lives in the
crawler package because imports point webui → indexer → crawler.

Decoding, in order: a byte-order mark; valid UTF-8 (GBK text is never valid UTF-8 at length, and mislabelled
pages are common); the HTTP header charset (unless it is requests' ISO-8859-1 guess); `<meta charset>` or
`http-equiv` (HTML only); then detection: line by line UTF-8/GB18030 (portals mix them after template edits),
and charset_normalizer only when neither fits (it guesses wrong on short pages: `年报` in GBK "is" Big5 to it).
Every GB2312/GBK label is read as GB18030, the superset the bytes really are.

Portal quirks met by the extractor: TRS pages put the body in `.TRS_Editor` (pingtan: `.article_content`);
Word-exported bodies split one word over many `<span>`s (`201</span><span>4年度`), so inline elements join
without separators and only block elements start new lines. Tables become one line per row, cells separated
by tabs. View counters and footers are chrome, never text.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_GUESSED = {"iso-8859-1", "latin-1", "latin1", "iso8859-1"}
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

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
_CHROME_LINE = re.compile(r"^(?:无障碍(?:阅读|浏览)?|.*ICP备.*|版权所有.*|网站标识码.*|网站地图|打印本页|【?打印】?|关闭窗口|"
                          r"【?关闭】?|【?字体[:：].*|分享到.*|扫一扫.*|.*公网安备.*|(?:主办|承办)单位[:：].*|技术支持[:：].*|"
                          r"当前位置[:：].*|您现在的位置.*|收藏本站|设为首页|返回顶部)$")
_CHROME_BLOCK = re.compile(r"foot|header|nav|menu|share|visit|count|hits|breadcrumb|sidebar", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with a warning when the bytes mixed encodings or had to be repaired."""

    text: str
    warnings: tuple[str, ...] = ()


def decode_page(content: bytes, charset: str | None = None) -> str:
    """A web page's bytes → str (the module's decoding policy, `<meta charset>` included)."""
    return decode_bytes(content, charset, html=True).text


def decode_bytes(data: bytes, charset: str | None = None, *, html: bool = False) -> Decoded:
    """Bytes → text: BOM, valid UTF-8, header charset, `<meta charset>` (if `html`), then detection."""
    candidates = [None if charset and charset.lower().replace("_", "-") in _GUESSED else charset]
    if html:
        meta = _META_CHARSET.search(data[:4096])
        candidates.append(meta.group(1).decode("ascii") if meta else None)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    elif data.startswith(_UTF16_BOMS):
        candidates.insert(0, "utf-16")
    if not data.startswith(_UTF16_BOMS):
        try:
            return Decoded(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            pass
    for name in filter(None, candidates):
        name = "gb18030" if name.lower() in _GB_FAMILY else name
        try:
            return Decoded(data.decode(name))
        except (LookupError, UnicodeDecodeError):
            continue
    return _detect(data)


def _detect(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    decoded, gb_lines, utf8_lines, bad_lines = [], 0, 0, 0
    for line in data.split(b"\n"):
        try:
            decoded.append(line.decode("utf-8"))
            utf8_lines += not line.isascii()
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode("gb18030"))
                gb_lines += 1
            except UnicodeDecodeError:
                decoded.append(line.decode("utf-8", errors="replace"))
                bad_lines += 1
    if bad_lines == 0 and utf8_lines == 0:
        return Decoded(data.decode("gb18030"))
    if bad_lines == 0:
        return Decoded("\n".join(decoded), (f"mixed encodings: {gb_lines} lines GB18030, {utf8_lines} lines UTF-8",))
    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8",):
        return Decoded(str(best), (f"encoding detected as {best.encoding}",))
    return Decoded("\n".join(decoded), (f"undecodable bytes replaced on {bad_lines} lines",))


def parse_html(markup: str) -> BeautifulSoup:
    """The page as a tree (lxml: fast, and lenient with the broken markup portals serve)."""
    return BeautifulSoup(markup, "lxml")


def main_content(soup: BeautifulSoup) -> str:
    """The article text of a parsed page; removes scripts, comments and page chrome from `soup` on the way."""
    return root_text(content_root(soup))


def content_root(soup: BeautifulSoup) -> Tag:
    """The element holding the article (scripts and comments removed from `soup` first): its text and tables."""
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    return _content_root(soup)


def root_text(root: Tag) -> str:
    """The text of a content root, chrome lines dropped."""
    return _drop_chrome_lines(render_text(root))


def main_text(html: str) -> str:
    """The article text of a report page: what the reader indexes and the crawler compares."""
    return main_content(parse_html(html))


def content_hash(content: bytes, html: str | None) -> str:
    """SHA-256 of what counts as the report: its main text for pages, its bytes for files.

    The main text is hashed exactly as the reader gets it (not whitespace-collapsed): a moved line break can
    move a section boundary, so it is a change.
    """
    if html is not None:
        return hashlib.sha256(main_text(html).encode("utf-8")).hexdigest()
    return hashlib.sha256(content).hexdigest()


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
            or _without_chrome_blocks(soup.body or soup))


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


def _without_chrome_blocks(root: Tag) -> Tag:
    """The whole page as a last resort, minus blocks whose class or id says footer, nav, counter…"""
    for tag in root.find_all(_is_chrome_block):
        tag.decompose()
    return root


def _is_chrome_block(tag: Tag) -> bool:
    if tag.name not in ("div", "ul", "p", "span", "section", "aside", "table") or tag.attrs is None:
        return False
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(_CHROME_BLOCK.search(names))


def _drop_chrome_lines(text: str) -> str:
    """Drop short navigation/footer lines that survived container selection."""
    lines = [line for line in text.split("\n") if not (len(line) <= 60 and _CHROME_LINE.match(line.strip()))]
    return "\n".join(lines).strip()
