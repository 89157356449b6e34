"""Read stage: raw bytes → clean plain text. Pure from the caller's view: bytes and a file name in, text out.

The format is sniffed from the bytes first (`%PDF`, zip, OLE2) and from the suffix second, so a PDF saved
as `.html` or a DOCX served as `.doc` is still read. PDF and DOC run in a child process with time and
memory limits (hostile files must not hang or exhaust the batch); see `indexer/read/extract_pdf.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

MAX_BYTES = 40 * 1024 * 1024  # larger "reports" are scans or archives; refuse them with a clear reason
TEXT_SUFFIXES = {"txt", "md", "text"}
HTML_SUFFIXES = {"html", "htm", "shtml", "xhtml", "jsp", "php", "asp", "aspx"}
PDF_SUFFIXES = {"pdf"}
DOCX_SUFFIXES = {"docx"}
OLE_SUFFIXES = {"doc", "wps", "et"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_GUESSED = {"iso-8859-1", "latin-1", "latin1", "iso8859-1"}
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn"}


class ExtractError(Exception):
    """The file cannot be read; the message says why in words."""


class UnsupportedFormat(ExtractError):
    """The file is of a kind this stage cannot read."""


class NeedsOCR(ExtractError):
    """A PDF without a text layer (a scan): reading it needs OCR, which this stage does not do."""


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


def extract(data: bytes, filename: str, *, charset: str | None = None) -> Extracted:
    """Clean text and page metadata of a report file, read according to its sniffed format."""
    from indexer.read.cleanup import clean_text

    kind = sniff_format(data, filename)
    try:
        raw = _extract_raw(data, filename, kind, charset)
    except RecursionError:
        raise ExtractError(f"{kind} document nested too deeply to read") from None
    text = clean_text(raw.text)
    if not text.strip():
        raise ExtractError("no text in the file (empty document)")
    return Extracted(text=text, title=raw.title, warnings=raw.warnings, original=raw.text,
                     published=raw.published, publisher=raw.publisher, site=raw.site, format=kind,
                     table_rows=raw.table_rows)


def sniff_format(data: bytes, filename: str) -> str:
    """One of text/html/pdf/docx/ole/rtf, from magic bytes first, then the suffix; raises on what we can't read."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data.strip():
        raise ExtractError("empty file")
    if len(data) > MAX_BYTES:
        raise ExtractError(f"file too large: {len(data) / 2**20:.1f} MB (limit {MAX_BYTES // 2**20} MB)")
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
        return "html"  # also Word's "save as web page" published as .doc
    if suffix in PDF_SUFFIXES | DOCX_SUFFIXES | OLE_SUFFIXES:
        raise ExtractError(f"not a valid .{suffix} file (unrecognised content: {head[:8]!r})")
    if suffix in TEXT_SUFFIXES or not suffix:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnsupportedFormat("unsupported format: binary data, not text")
        return "text"
    raise UnsupportedFormat(f"unsupported format: .{suffix}")


def _extract_raw(data: bytes, filename: str, kind: str, charset: str | None) -> Extracted:
    if kind == "html":
        from indexer.read.extract_html import extract_html

        return extract_html(decode(data, charset, html=True))
    if kind == "pdf":
        from indexer.read.extract_pdf import extract_pdf

        return extract_pdf(data)
    if kind == "docx":
        from indexer.read.extract_office import extract_docx

        return extract_docx(data)
    if kind == "ole":
        from indexer.read.extract_office import extract_doc

        return extract_doc(data, filename)
    if kind == "rtf":
        from indexer.read.extract_office import extract_rtf

        return extract_rtf(data)
    text, warnings = decode_with_warnings(data, charset)
    return Extracted(text=plain_markdown(text), warnings=warnings)


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


def decode(data: bytes, charset: str | None = None, *, html: bool = False) -> str:
    """Bytes → str: declared charset, then `<meta charset>`, then detection (GBK pages often declare none)."""
    return decode_with_warnings(data, charset, html=html)[0]


def decode_with_warnings(data: bytes, charset: str | None = None, *,
                         html: bool = False) -> tuple[str, tuple[str, ...]]:
    """Like `decode`, also saying when the bytes mixed encodings or had to be repaired."""
    # requests reports ISO-8859-1 for any text/* response without a charset: that is a guess, not a label.
    candidates = [None if charset and charset.lower().replace("_", "-") in _GUESSED else charset]
    if html:
        meta = _META_CHARSET.search(data[:4096])
        candidates.append(meta.group(1).decode("ascii") if meta else None)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates.insert(0, "utf-16")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:  # valid UTF-8 beats any label: GBK text is never valid UTF-8 at length, mislabelled pages are common
            return data.decode("utf-8-sig"), ()
        except UnicodeDecodeError:
            pass
    for name in filter(None, candidates):
        # GB2312 labels are routinely used for GBK/GB18030 bytes; the superset decodes them all.
        name = "gb18030" if name.lower() in _GB_FAMILY else name
        try:
            return data.decode(name), ()
        except (LookupError, UnicodeDecodeError):
            continue
    return _detect(data)


def _detect(data: bytes) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    decoded, gb_lines, utf8_lines, bad_lines = [], 0, 0, 0
    for line in lines:
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
        return data.decode("gb18030"), ()
    if bad_lines == 0:
        return "\n".join(decoded), (f"mixed encodings: {gb_lines} lines GB18030, {utf8_lines} lines UTF-8",)
    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8",):
        return str(best), (f"encoding detected as {best.encoding}",)
    return "\n".join(decoded), (f"undecodable bytes replaced on {bad_lines} lines",)
