"""Read stage: raw bytes → clean plain text. Pure from the caller's view: bytes and a file name in, text out.

The format is sniffed from the bytes first (`%PDF`, zip, OLE2) and from the suffix second, so a PDF saved
as `.html` or a DOCX served as `.doc` is still read. Caps that need no parsing (file and HTML size, table
cells, binary garbage) are checked here; memory, CPU time and wall time are bounded by running `extract`
in a worker process (`indexer/read/bounded.py`). Web pages and plain text are decoded by `crawler.page`,
the one decoding policy the crawler uses too.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from crawler.page import decode_bytes, decode_page
from nianbao.config import ReaderSettings

DEFAULT_LIMITS = ReaderSettings()
MAX_BYTES = DEFAULT_LIMITS.max_file_mb * 2**20  # larger "reports" are scans or archives: refused with a reason
TEXT_SUFFIXES = {"txt", "md", "text"}
HTML_SUFFIXES = {"html", "htm", "shtml", "xhtml", "jsp", "php", "asp", "aspx"}
PDF_SUFFIXES = {"pdf"}
DOCX_SUFFIXES = {"docx"}
OLE_SUFFIXES = {"doc", "wps", "et"}


class ExtractError(Exception):
    """The file cannot be read; the message says why in words."""


class UnsupportedFormat(ExtractError):
    """The file is of a kind this stage cannot read."""


class NeedsOCR(ExtractError):
    """A PDF without a text layer (a scan): reading it needs OCR, which this stage does not do."""


class NotAReport(ExtractError):
    """Bytes that are no document at all (random data under a report's name), or not a regular file."""


_FILE_KINDS = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
               (stat.S_ISSOCK, "套接字"), (stat.S_ISDIR, "文件夹"))


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    warnings: tuple[str, ...] = ()
    original: str | None = None  # the text before cleanup, for display
    published: str | None = None  # ISO date (or YYYY-MM) the page states
    publisher: str | None = None  # e.g. TRS `ContentSource`: the office that posted the page
    site: str | None = None  # e.g. TRS `SiteName`: the portal's owner, a region hint
    format: str = "text"
    table_rows: tuple = ()  # statistics.rows.Row of the document's tables, with merged cells / positions


def read_regular_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of `path` when it is a regular file of at most `max_bytes`; FIFOs and devices are never opened."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ExtractError(f"无法读取：{exc.strerror or exc}") from None
    _require_regular(info.st_mode)
    if info.st_size > max_bytes:
        raise ExtractError(_too_large(info.st_size, max_bytes))
    # O_NONBLOCK: if the file was swapped for a FIFO after the check, opening must not wait for a writer.
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
        _require_regular(os.fstat(handle.fileno()).st_mode)
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ExtractError(_too_large(len(data), max_bytes))
    return data


def _require_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _FILE_KINDS if test(mode)), "特殊文件")
        raise NotAReport(f"不是普通文件（{kind}），未读取")


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {size / 2**20:.1f} MB (limit {limit // 2**20} MB)"


def extract(data: bytes, filename: str, *, charset: str | None = None, limits: ReaderSettings = DEFAULT_LIMITS,
            isolated: bool = False) -> Extracted:
    """Clean text and page metadata of a report file, read according to its sniffed format.

    `isolated`: the caller already runs in a bounded worker, so PDFs need no child process of their own.
    """
    from indexer.read.cleanup import clean_text

    kind = sniff_format(data, filename, max_bytes=limits.max_file_mb * 2**20)
    if kind == "html":
        check_html_caps(data, limits)
    try:
        raw = _extract_raw(data, filename, kind, charset, isolated)
    except RecursionError:
        raise ExtractError(f"{kind} document nested too deeply to read") from None
    text = clean_text(raw.text)
    if not text.strip():
        raise ExtractError("no text in the file (empty document)")
    return Extracted(text=text, title=raw.title, warnings=raw.warnings, original=raw.text,
                     published=raw.published, publisher=raw.publisher, site=raw.site, format=kind,
                     table_rows=raw.table_rows)


def sniff_format(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> str:
    """One of text/html/pdf/docx/ole/rtf, from magic bytes first, then the suffix; raises on what we can't read."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data.strip():
        raise ExtractError("empty file")
    if len(data) > max_bytes:
        raise ExtractError(_too_large(len(data), max_bytes))
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"  # Word's "save as RTF", often published with a .doc name
    if suffix in HTML_SUFFIXES or re.search(rb"<(html|body|div|p|meta)\b", head, re.IGNORECASE):
        if _looks_binary(data):
            raise NotAReport("不是报告：内容是二进制数据，不是网页")
        return "html"  # also Word's "save as web page" published as .doc
    if suffix in PDF_SUFFIXES | DOCX_SUFFIXES | OLE_SUFFIXES:
        raise ExtractError(f"not a valid .{suffix} file (unrecognised content: {head[:8]!r})")
    if suffix in TEXT_SUFFIXES or not suffix:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnsupportedFormat("unsupported format: binary data, not text")
        if _looks_binary(data):
            raise NotAReport("不是报告：内容是二进制数据，不是文本")
        return "text"
    raise UnsupportedFormat(f"unsupported format: .{suffix}")


# Control bytes other than tab, newline, form feed, carriage return and escape never occur in text or HTML.
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27})


def _looks_binary(data: bytes) -> bool:
    """True for random bytes: text in any encoding we read has (almost) no control bytes; UTF-16 is text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    sample = data[:65536]
    return len(sample) - len(sample.translate(None, _CONTROL)) > max(8, len(sample) // 100)


_CELL = re.compile(rb"<t[dh][\s>/]", re.IGNORECASE)


def check_html_caps(data: bytes, limits: ReaderSettings = DEFAULT_LIMITS) -> None:
    """Refuse pages whose size or table-cell count would make the HTML tree too big to build (before parsing)."""
    if len(data) > limits.max_html_mb * 2**20:
        raise ExtractError(f"网页过大：{len(data) / 2**20:.1f} MB（上限 {limits.max_html_mb} MB），未读取")
    cells = sum(1 for _ in _CELL.finditer(data))
    if cells > limits.max_table_cells:
        raise ExtractError(f"表格单元格过多：{cells} 个（上限 {limits.max_table_cells} 个），未读取")


def _extract_raw(data: bytes, filename: str, kind: str, charset: str | None, isolated: bool) -> Extracted:
    if kind == "html":
        from indexer.read.extract_html import extract_html

        return extract_html(decode_page(data, charset))
    if kind == "pdf":
        from indexer.read.extract_pdf import extract_pdf

        return extract_pdf(data, in_process=isolated)
    if kind == "docx":
        from indexer.read.extract_office import extract_docx

        return extract_docx(data)
    if kind == "ole":
        from indexer.read.extract_office import extract_doc

        return extract_doc(data, filename)
    if kind == "rtf":
        from indexer.read.extract_office import extract_rtf

        return extract_rtf(data)
    decoded = decode_bytes(data, charset)
    return Extracted(text=plain_markdown(decoded.text), warnings=decoded.warnings)


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MD_BULLET = re.compile(r"^[ \t]{0,3}[-*+][ \t]+(?=\S)", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"\*\*|__")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")


def plain_markdown(text: str) -> str:
    """Plain text from reports saved as Markdown-flavoured text (`## 一、总体情况`, `**（一）…**`, links).

    Markup left in would split phrases (`改革。**制定` does not contain `改革。制定`) and show in snippets.
    Only unambiguous marks are removed: heading hashes, bold markers, bullets, link syntax (the text stays).
    """
    text = _MD_HEADING.sub("", text)
    text = _MD_BULLET.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    return _MD_EMPHASIS.sub("", text)
