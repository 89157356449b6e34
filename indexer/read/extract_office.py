"""Read stage: Word files → text. DOCX with python-docx (paragraphs and tables in document order); DOC and
WPS (OLE2 files) with the Debian tool `antiword`, falling back to `catdoc` (the Makefile installs both);
RTF (often published under a .doc name) with striprtf.

A DOCX is a zip, and a zip's directory can lie about sizes: every part is inflated in small chunks while
the real bytes are counted, and python-docx gets a copy rebuilt from those bounded parts, so a zip bomb is
refused at the cap whatever the directory claims. The external tools run with a timeout.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from indexer.read.extract import ExtractError, Extracted, UnsupportedFormat
from indexer.read.statistics.grids import docx_rows

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_XML_BYTES = 60 * 1024 * 1024  # the text part; lxml needs ~10x this in memory
MAX_RATIO = 200  # real DOCX parts compress ~10:1; bombs compress 1000:1
_CHUNK = 1024 * 1024
TOOL_TIMEOUT_SECONDS = 60


def extract_docx(data: bytes) -> Extracted:
    """Paragraphs and table rows (cells tab-separated) of a DOCX, in document order."""
    safe = _bounded_copy(data)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(BytesIO(safe))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise ExtractError(f"broken or unreadable DOCX: {type(exc).__name__}: {exc}") from None
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block))
        else:
            lines.append(block.text)
    return Extracted(text="\n".join(lines), title=document.core_properties.title or None, format="docx",
                     table_rows=docx_rows(document))


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells))
    return rows


def _bounded_copy(data: bytes) -> bytes:
    """The DOCX rebuilt (stored, uncompressed) from its parts, each inflated under the caps; raises on a bomb."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ExtractError(f"broken DOCX (not a readable zip): {exc}") from None
    if not any(e.filename == "word/document.xml" for e in entries):
        raise UnsupportedFormat("unsupported format: a zip file that is not a Word document")
    packed = max(sum(e.compress_size for e in entries), len(data) // 2, 1)
    budget = min(MAX_UNZIPPED_BYTES, packed * MAX_RATIO)
    copy, total = BytesIO(), 0
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        for entry in entries:
            cap = min(budget - total, MAX_XML_BYTES if entry.filename == "word/document.xml" else budget)
            part = _inflate(archive, entry, cap, packed)
            total += len(part)
            out.writestr(entry.filename, part)
    return copy.getvalue()


def _inflate(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, cap: int, packed: int) -> bytes:
    """One part, read in chunks (zipfile's read() inflates a whole part at once, up to 2 GB, before checking)."""
    chunks, size = [], 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise ExtractError(f"refused DOCX: {entry.filename} unpacks to more than {cap / 2**20:.0f} MB "
                                       f"from {packed / 2**20:.1f} MB (zip bomb?)")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, zlib.error) as exc:
        raise ExtractError(f"broken or unreadable DOCX: {type(exc).__name__}: {exc}") from None
    return b"".join(chunks)


def extract_doc(data: bytes, filename: str) -> Extracted:
    """Text of a DOC/WPS (OLE2) file via antiword, else catdoc; `UnsupportedFormat` when neither reads it."""
    tools = [t for t in (["antiword", "-w", "0", "-m", "UTF-8.txt"], ["catdoc", "-d", "utf-8", "-w"])
             if shutil.which(t[0])]
    if not tools:
        raise UnsupportedFormat("unsupported format: reading .doc/.wps needs antiword or catdoc (run `make setup`)")
    reasons = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("input" + Path(filename).suffix.lower())
        path.write_bytes(data)
        for command in tools:
            text, reason = _run(command + [str(path)])
            if text and text.strip():
                return Extracted(text=_antiword_tables(text), format="ole")
            reasons.append(f"{command[0]}: {reason or 'no text'}")
    raise UnsupportedFormat(f"unsupported format: cannot read this .doc/.wps ({'; '.join(reasons)})")


def extract_rtf(data: bytes) -> Extracted:
    """Text of an RTF file (striprtf), decoding `\\'xx` escapes with the document's `\\ansicpg`."""
    from striprtf.striprtf import rtf_to_text

    codepage = re.search(rb"\\ansicpg(\d+)", data[:2048])
    encoding = {"936": "gb18030", "950": "big5"}.get(codepage.group(1).decode() if codepage else "", "cp1252")
    if codepage and encoding == "cp1252":
        encoding = f"cp{codepage.group(1).decode()}"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except (LookupError, ValueError) as exc:
        raise ExtractError(f"broken or unreadable RTF: {exc}") from None
    # striprtf ends every table cell with `|`: such lines are rows of cells.
    rows = [line.rstrip("|").replace("|", "\t") if line.endswith("|") else line for line in text.split("\n")]
    return Extracted(text="\n".join(rows), format="rtf")


def _antiword_tables(text: str) -> str:
    """antiword draws a table row as `|cell   |cell   |`: make it tab-separated cells like the other formats."""
    rows = []
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
            line = "\t".join(cell.strip() for cell in stripped[1:-1].split("|"))
        rows.append(line)
    return "\n".join(rows)


def _run(command: list[str]) -> tuple[str | None, str | None]:
    try:
        done = subprocess.run(command, capture_output=True, timeout=TOOL_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return None, f"gave up after {TOOL_TIMEOUT_SECONDS} s"
    if done.returncode != 0:
        return None, done.stderr.decode("utf-8", "replace").strip()[:200] or f"exit {done.returncode}"
    return done.stdout.decode("utf-8", "replace"), None
