"""Read stage, statistics: table rows from plain text (TXT, DOC, RTF, pasted pages). Pure.

Three layouts are met: one row per line with tab or `|` separators (`规章 | 0 | 0 | 0 |`); one cell per
line under its row label (a label line, then one number per line); and one cell per line each ending in
`|`, a lone `|` for a blank cell and `||`… between rows (some pages put each cell's `|` on the next line). In the cell-per-line layouts a row ends where a
known row label (`规章`, `1.属于国家秘密`, `（三）不予公开`, `信息内容`) starts the next.
"""
from __future__ import annotations

import re

from indexer.read.statistics.cells import classify
from indexer.read.statistics.labels import t2_row_key, t3_group, t3_row_key
from indexer.read.statistics.rows import Piece, Row

MAX_STACKED_LABEL = 50  # a row label; longer lines are prose, and a number after prose is not its cell
MIN_PIPE_CELLS = 20
_CELL_LINE = re.compile(r"^([^|]*)\|(\s*\|+)?$")  # `0 |`, `|` (blank), or `0 | |||` (the row's last cell)
_ROW_BREAK = re.compile(r"^\|{2,}$")
_INNER_PIPE = re.compile(r"[^|\s]\s*\|\s*[^|\s]")


def rows_from_text(text: str) -> list[Row]:
    """Every line as a row (tab- or `|`-separated cells, else one piece), or the cell-per-line layouts folded."""
    lines = _close_cells(text.split("\n"))
    if _pipe_cells_per_line(lines):
        return pipe_cell_rows(lines)
    rows = [Row(tuple(Piece(cell.strip()) for cell in _split(line))) for line in lines]
    if any(len(row.pieces) > 1 for row in rows):
        return rows
    # One cell per line: empty lines carry nothing there (pages copied with a blank line between cells).
    return fold_stacked([row for row in rows if row.pieces[0].text.strip()])


def _close_cells(lines: list[str]) -> list[str]:
    """In pages of `|`-closed cells, a cell whose closing `|` stands on the next line (`0`, then `|`) → `0 |`:
    every cell where the page prints them all so, else only numbers (a row's last cell on some pages); a lone
    `|` after a closed cell stays a blank cell, and one after a heading stays a row mark."""
    closed = [i for i, (line, after) in enumerate(zip(lines, lines[1:])) if after.strip() == "|" and _open_text(line)]
    own = sum(1 for line in lines if line.strip().endswith("|") and line.strip().strip("|").strip())
    if not closed or len(closed) + own < MIN_PIPE_CELLS:
        return lines
    every = own * 3 <= len(closed)
    joined = {i for i in closed if every or classify(lines[i])[1] != "text"}
    out: list[str] = []
    for index, line in enumerate(lines):
        if index - 1 in joined and line.strip() == "|":
            out[-1] = f"{out[-1].strip()} |"
        else:
            out.append(line)
    return out


def _open_text(line: str) -> bool:
    return bool(line.strip()) and "|" not in line


def _split(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    stripped = line.strip()
    if stripped.count("|") >= 2 or (stripped.endswith("|") and len(stripped) > 1):
        if re.fullmatch(r"[|\s:：\-—]+", stripped):
            return [""]  # a Markdown rule line (`|---|---|`)
        return stripped.strip("|").split("|")
    return [line]


def _pipe_cells_per_line(lines: list[str]) -> bool:
    piped = [line for line in lines if "|" in line]  # both patterns need one
    cells = sum(1 for line in piped if _CELL_LINE.match(line.strip()))
    if cells < MIN_PIPE_CELLS:
        return False
    inner = sum(1 for line in piped if _INNER_PIPE.search(line))
    return cells > 3 * inner


def pipe_cell_rows(lines: list[str]) -> list[Row]:
    """`label |`, `0 |`, `|` (blank), `||` (row end): cells gathered into rows."""
    rows: list[Row] = []
    cells: list[str] = []

    def flush() -> None:
        if cells:
            rows.append(Row(tuple(Piece(c) for c in cells)))
            cells.clear()

    for line in lines:
        stripped = line.strip()
        if _ROW_BREAK.match(stripped):
            flush()
        elif match := _CELL_LINE.match(stripped):
            cell = match.group(1).strip()
            if cells and _starts_row(cell, cells):
                flush()
            cells.append(cell)
            if match.group(2):
                flush()
        else:
            flush()
            rows.append(Row((Piece(stripped),)))
    flush()
    return rows


def _starts_row(cell: str, cells: list[str]) -> bool:
    """A known row label, or any label after the row's numbers, begins a new row."""
    if not cell or classify(cell)[1] != "text":
        return False
    after_values = classify(cells[-1])[1] != "text" and any(c for c in cells)
    known = bool(t2_row_key(cell) or t3_row_key(cell, None) or t3_group(cell) or cell.startswith(("信息内容", "第二十条")))
    return after_values or known


def fold_stacked(rows: list[Row]) -> list[Row]:
    """Text with one cell per line: a short label line and the value lines after it become one row."""
    folded: list[Row] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        end = index + 1
        while end < len(rows) and _is_value_line(rows[end]):
            end += 1
        if end > index + 1 and len(row.pieces[0].text) <= MAX_STACKED_LABEL and not _is_value_line(row):
            folded.append(Row(row.pieces + tuple(p for r in rows[index + 1:end] for p in r.pieces)))
            index = end
        else:
            folded.append(row)
            index += 1
    return folded


def _is_value_line(row: Row) -> bool:
    return len(row.pieces) == 1 and row.pieces[0].text.strip() != "" and classify(row.pieces[0].text)[1] != "text"
