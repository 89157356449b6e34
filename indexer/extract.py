"""Read stage: raw bytes → plain text. Pure: bytes and a file name in, text and warnings out."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

TEXT_SUFFIXES = {"txt", "md"}
HTML_SUFFIXES = {"html", "htm", "shtml"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_CONTENT_SELECTORS = (".TRS_Editor", "#zoom", ".xxgk_content", "#ivs_content", "article", "main")


class UnsupportedFormat(Exception):
    """The file is of a kind this stage cannot read."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    warnings: tuple[str, ...] = ()


def extract(data: bytes, filename: str, *, charset: str | None = None) -> Extracted:
    """Plain text of a report file, chosen by the file's suffix."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in TEXT_SUFFIXES:
        return Extracted(text=decode(data, charset))
    if suffix in HTML_SUFFIXES:
        return extract_html(decode(data, charset, html=True))
    raise UnsupportedFormat(f"unsupported format: .{suffix or '(none)'}")


def decode(data: bytes, charset: str | None = None, *, html: bool = False) -> str:
    """Bytes → str: declared charset, then `<meta charset>`, then detection (GBK pages often declare none)."""
    candidates = [charset]
    if html:
        meta = _META_CHARSET.search(data[:4096])
        candidates.append(meta.group(1).decode("ascii") if meta else None)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    for name in filter(None, candidates):
        name = "gb18030" if name.lower() in ("gb2312", "gbk") else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", errors="replace")


def extract_html(markup: str) -> Extracted:
    """Main content of an article page as text; tables become tab-separated rows."""
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer"]):
        tag.decompose()
    title = _meta_title(soup)
    root = next((soup.select_one(s) for s in _CONTENT_SELECTORS if soup.select_one(s)), None) or soup.body or soup
    for row in root.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]
        row.replace_with(soup.new_string("\n" + "\t".join(cells) + "\n"))
    for br in root.find_all("br"):
        br.replace_with("\n")
    text = root.get_text("\n")
    text = re.sub(r"[ \t\u3000]*\n[ \t\u3000\n]*", "\n", text).strip()
    return Extracted(text=text, title=title)


def _meta_title(soup: BeautifulSoup) -> str | None:
    meta = soup.find("meta", attrs={"name": "ArticleTitle"})
    if meta and meta.get("content"):
        return meta["content"].strip()
    return soup.title.get_text(strip=True) if soup.title else None
