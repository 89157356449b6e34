"""Read stage, statistics: the table rows each extractor exposes beside its text (`Extracted.table_rows`). Pure.

HTML and DOCX tables become grids with rowspan/colspan expanded: a label spanning rows is repeated on each
row it covers (so a sub-row knows its group), a copy is flagged `merged` so a number spanning cells is
never counted twice. PDF rows keep each piece's x-extent and the page, for placing values under columns.
"""
from __future__ import annotations

import re

from indexer.read.statistics.rows import Piece, Row

MAX_SPAN = 60  # a rowspan="9999" must not allocate a huge grid
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d+\s*页")


def html_rows(root) -> tuple[Row, ...]:
    """Rows of every innermost `<table>` under a BeautifulSoup element, in document order."""
    rows: list[Row] = []
    for number, table in enumerate(t for t in root.find_all("table") if not t.find("table")):
        grid: dict[tuple[int, int], Piece] = {}
        trs = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        for r, tr in enumerate(trs):
            column = 0
            for cell in tr.find_all(["td", "th"], recursive=False):
                while (r, column) in grid:
                    column += 1
                text = " ".join(cell.get_text("").replace("\xa0", " ").split())
                rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        copy = "rowspan" if dr else "colspan" if dc else ""
                        grid[(r + dr, column + dc)] = Piece(text, merged=copy)
                column += colspan
        rows += _grid_rows(grid, len(trs), number)
    return tuple(rows)


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def _grid_rows(grid: dict[tuple[int, int], Piece], height: int, number: int) -> list[Row]:
    width = max((c for _, c in grid), default=-1) + 1
    return [Row(tuple(grid.get((r, c), Piece("")) for c in range(width)), grid=number) for r in range(height)]


def docx_rows(document) -> tuple[Row, ...]:
    """Rows of every top-level DOCX table; python-docx repeats a merged cell at each grid position it covers."""
    rows: list[Row] = []
    for number, table in enumerate(document.tables):
        above: set = set()  # the <w:tc> elements themselves: lxml proxies' id() is reused once they are freed
        for row in table.rows:
            pieces, here = [], set()
            for cell in row.cells:
                copy = "colspan" if cell._tc in here else "rowspan" if cell._tc in above else ""
                pieces.append(Piece(" ".join(cell.text.split()), merged=copy))
                here.add(cell._tc)
            above |= here
            rows.append(Row(tuple(pieces), grid=number))
    return tuple(rows)


def pdf_rows(pages: list[list[dict]]) -> tuple[Row, ...]:
    """Every text row of every page with piece positions (`spans` from the PDF reader), page numbers dropped."""
    rows: list[Row] = []
    for number, page in enumerate(pages, start=1):
        for index, row in enumerate(page):
            cells = row["cells"]
            if index in (0, len(page) - 1) and len(cells) == 1 and _PAGE_NUMBER.match(cells[0]):
                continue
            spans = row.get("spans") or [[None, None]] * len(cells)
            rows.append(Row(tuple(Piece(text, x0, x1) for text, (x0, x1) in zip(cells, spans)), page=number))
    return tuple(rows)
