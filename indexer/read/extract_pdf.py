"""Read stage: PDF bytes → text with layout (pdfminer.six), run in a child process with time/memory limits.

Layout rules (learned on WPS-exported reports, `tests/parse/real/pdf/`): text lines whose vertical
extents overlap form one row (table cells → tab-separated); a line that fills the text width continues
into the next unindented line, also across a page break (`深化简政放` | `权`); lone page numbers
(`- 4 -`, `第 4 页`) are dropped. A PDF whose pages carry no text is a scan: `NeedsOCR`.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter

from indexer.read.extract import ExtractError, Extracted, NeedsOCR
from indexer.read.statistics.grids import pdf_rows

TIMEOUT_SECONDS = 90
MEMORY_BYTES = 2 * 1024**3
MAX_PAGES = 300
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")
_SENTENCE_END = "。！？；：!?;:…"


def extract_pdf(data: bytes, *, in_process: bool = False) -> Extracted:
    """Text of a PDF; raises `NeedsOCR` for scans and `ExtractError` for broken or hostile files.

    `in_process`: the caller is a bounded read worker (indexer/read/bounded.py), so no child is started.
    """
    pages = _pages_in_process(data) if in_process else _pages_in_child(data)
    empty = sum(1 for page in pages if not "".join(t for row in page for t in row["cells"]).strip())
    if not pages or empty == len(pages):
        raise NeedsOCR(f"needs OCR: the PDF has no text layer ({len(pages)} pages, scanned images)")
    warnings = (f"needs OCR: {empty} of {len(pages)} pages have no text layer",) if empty else ()
    if len(pages) >= MAX_PAGES:
        warnings += (f"only the first {MAX_PAGES} pages were read",)
    return Extracted(text=layout_text(pages), warnings=warnings, format="pdf", table_rows=pdf_rows(pages))


def _pages_in_child(data: bytes) -> list[list[dict]]:
    try:
        done = subprocess.run([sys.executable, "-m", "indexer.read.extract_pdf"], input=data, capture_output=True,
                              timeout=TIMEOUT_SECONDS, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        raise ExtractError(f"PDF extraction took longer than {TIMEOUT_SECONDS} s; gave up") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractError(f"broken or unreadable PDF: {reason[-1] if reason else 'reader stopped'}")
    return json.loads(done.stdout)


def _pages_in_process(data: bytes) -> list[list[dict]]:
    try:
        return read_rows(data)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a broken file
        raise ExtractError(f"broken or unreadable PDF: {type(exc).__name__}: {exc}") from None


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def read_rows(data: bytes) -> list[list[dict]]:
    """Per page, the rows of text: `{"x0", "x1", "cells": [...]}`, top to bottom (runs in the child)."""
    from io import BytesIO

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    pages = []
    for page in extract_pages(BytesIO(data), laparams=LAParams(), maxpages=MAX_PAGES):
        pages.append(_rows(list(_text_lines(page))))
    return pages


def _text_lines(node):
    from pdfminer.layout import LTTextLine

    for child in node:
        if isinstance(child, LTTextLine):
            if child.get_text().strip():
                yield child
        elif hasattr(child, "__iter__"):
            yield from _text_lines(child)


def _rows(lines: list) -> list[dict]:
    """Group lines whose vertical centres lie within half a line height into one row."""
    rows: list[list] = []
    for line in sorted(lines, key=lambda l: -(l.y0 + l.y1) / 2):
        centre, height = (line.y0 + line.y1) / 2, max(line.y1 - line.y0, 1)
        if rows and abs(rows[-1][0] - centre) < height / 2:
            rows[-1][1].append(line)
        else:
            rows.append([centre, [line]])
    return [_row(sorted(members, key=lambda l: l.x0)) for _, members in rows]


def _row(members: list) -> dict:
    cells: list[str] = []
    spans: list[list[float]] = []  # x-extent of each cell, for placing table values under their columns
    previous_end = None
    for line in members:
        for segment, start, end, width in _segments(line):
            if cells and previous_end is not None and start - previous_end < width * 0.25:
                cells[-1] += segment  # one visual line split by the layout engine
                spans[-1][1] = end
            else:
                cells.append(segment)
                spans.append([start, end])
            previous_end = end
    kept = [(c.strip(), s) for c, s in zip(cells, spans) if c.strip()]
    return {"x0": members[0].x0, "x1": members[-1].x1, "cells": [c for c, _ in kept], "spans": [s for _, s in kept]}


def _segments(line) -> list[tuple[str, float, float, float]]:
    """A text line cut where characters stand more than 1.5 widths apart: table cells pdfminer merged."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return [(line.get_text().strip(), line.x0, line.x1, max(line.y1 - line.y0, 1))]
    segments, current, start = [], "", chars[0].x0
    for before, char in zip([None] + chars[:-1], chars):
        width = max(char.width, before.width if before else 0, 1)
        if before is not None and char.x0 - before.x1 > width * 1.5 and current.strip():
            segments.append((current, start, before.x1, width))
            current, start = "", char.x0
        current += char.get_text()
    segments.append((current, start, chars[-1].x1, max(chars[-1].width, 1)))
    return segments


def layout_text(pages: list[list[dict]]) -> str:
    """Join rows into lines and paragraphs: full-width lines continue, page numbers go."""
    pages = [_without_page_numbers(page) for page in pages]
    running = _running_lines(pages)
    rows = [row for page in pages for n, row in enumerate(page)
            if not (n in (0, len(page) - 1) and "\t".join(row["cells"]) in running)]
    single = [r for r in rows if len(r["cells"]) == 1]
    if not single:
        return "\n".join("\t".join(r["cells"]) for r in rows)
    left = _mode(round(r["x0"]) for r in single)
    widths = sorted(r["x1"] for r in single)
    right = widths[int(len(widths) * 0.9)]  # a percentile: one overlong line must not set the margin
    out: list[str] = []
    previous = None
    for row in rows:
        text = "\t".join(row["cells"])
        if previous and _continues(previous, row, left, right):
            out[-1] += text
        else:
            out.append(text)
        previous = row
    return "\n".join(out)


def _continues(previous: dict, row: dict, left: float, right: float) -> bool:
    if len(previous["cells"]) != 1 or len(row["cells"]) != 1:
        return False  # table rows never merge
    text = previous["cells"][0]
    full = previous["x1"] >= right - 20
    return full and row["x0"] <= left + 8 and not text.endswith(tuple(_SENTENCE_END))


def _without_page_numbers(page: list[dict]) -> list[dict]:
    edge = {0, len(page) - 1}
    return [row for n, row in enumerate(page)
            if not (n in edge and len(row["cells"]) == 1 and _PAGE_NUMBER.match(row["cells"][0].strip()))]


def _running_lines(pages: list[list[dict]]) -> set[str]:
    """Header/footer lines repeated at the top or bottom of most pages (`XX市人民政府文件`)."""
    counts: dict[str, int] = {}
    for page in pages:
        for text in {"\t".join(row["cells"]) for row in (page[:1] + page[-1:])}:
            counts[text] = counts.get(text, 0) + 1
    return {text for text, n in counts.items() if len(pages) >= 3 and n >= max(3, len(pages) * 0.6)}


def _mode(values) -> float:
    return Counter(values).most_common(1)[0][0]


if __name__ == "__main__":
    # Child process: PDF bytes on stdin, rows as JSON on stdout; any failure exits non-zero.
    import logging

    logging.disable(logging.WARNING)
    try:
        json.dump(read_rows(sys.stdin.buffer.read()), sys.stdout, ensure_ascii=False)
    except MemoryError:
        sys.exit("PDF needs more memory than allowed")
    except Exception as exc:  # noqa: BLE001 - the parent reports the reason for any failure
        sys.exit(f"{type(exc).__name__}: {exc}")
