"""Read stage: Word files → text. DOCX with python-docx (paragraphs and tables in document order); DOC and
WPS (OLE2 files) with the Debian tool `antiword`, falling back to `catdoc` (the Makefile installs both);
RTF (often published under a .doc name) with striprtf.

A DOCX is a zip: its declared sizes are checked before anything is inflated, so a zip bomb is refused
instead of filling memory. The external tools run with a timeout.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from indexer.read.extract import ExtractError, Extracted, UnsupportedFormat
from indexer.read.statistics.grids import docx_rows

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_XML_BYTES = 60 * 1024 * 1024  # the text part; lxml needs ~10x this in memory
MAX_RATIO = 200  # real DOCX parts compress ~10:1; bombs compress 1000:1
TOOL_TIMEOUT_SECONDS = 60


def extract_docx(data: bytes) -> Extracted:
    """Paragraphs and table rows (cells tab-separated) of a DOCX, in document order."""
    _check_zip(data)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(BytesIO(data))
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


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ExtractError(f"broken DOCX (not a readable zip): {exc}") from None
    total = sum(e.file_size for e in entries)
    packed = max(sum(e.compress_size for e in entries), 1)
    document = next((e for e in entries if e.filename == "word/document.xml"), None)
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO or (document and document.file_size > MAX_XML_BYTES):
        raise ExtractError(f"refused DOCX: it unpacks to {total / 2**20:.0f} MB from {packed / 2**20:.1f} MB "
                           f"(zip bomb?)")
    if document is None:
        raise UnsupportedFormat("unsupported format: a zip file that is not a Word document")


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
