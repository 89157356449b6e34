"""Crawl stage, change detection: a report's main text, so a new footer or view counter is not a change.

Pure. The crawler cannot import `indexer.read.extract` (imports point webui → indexer → crawler), so this
is a deliberately small extractor for *hashing*, not for reading: the article container of the CMS
families (TRS `.TRS_Editor`, Hanweb `#zoom`, …), or the page body without its chrome (scripts, nav,
header, footer, forms), whitespace collapsed. Binary files (PDF, DOC…) are hashed byte for byte.
"""
from __future__ import annotations

import hashlib
import re

from bs4 import BeautifulSoup

_CONTAINERS = (".TRS_Editor", "#zoom", "#ivs_content", ".xxgk_content", ".article-content", ".art_con",
               "#content", ".content", "article", "main")
_CHROME = ["script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "select", "button"]
_CHROME_HINT = re.compile(r"foot|header|nav|menu|share|visit|count|hits|breadcrumb|sidebar", re.IGNORECASE)


def main_text(html: str) -> str:
    """The article text of a report page, whitespace collapsed; the page shell left out."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_CHROME):
        tag.decompose()
    root = next((found for selector in _CONTAINERS if (found := soup.select_one(selector))), None)
    if root is None:
        root = soup.body or soup
        for tag in root.find_all(_is_chrome_block):
            tag.decompose()
    return " ".join(root.get_text(" ").split())


def content_hash(content: bytes, html: str | None) -> str:
    """SHA-256 of what counts as the report: its main text for pages, its bytes for files."""
    if html is not None:
        return hashlib.sha256(main_text(html).encode("utf-8")).hexdigest()
    return hashlib.sha256(content).hexdigest()


def _is_chrome_block(tag) -> bool:
    if tag.name not in ("div", "ul", "p", "span", "section", "aside", "table") or tag.attrs is None:
        return False
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(_CHROME_HINT.search(names))
