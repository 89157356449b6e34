"""Read stage, statistics: table 4 (行政复议, 行政诉讼) in the layouts portals print. Pure.

The template prints the 15 numbers as one row under a two-level header (行政复议 | 行政诉讼: 未经复议直接起诉,
复议后起诉; each 结果维持 … 总计). Portals also print
- one row per block: `行政复议 | 0 | 0 | 0 | 0 | 0`, `未经复议直接起诉 | …`, `复议后起诉 | …` (or, under the
  header, three unlabelled rows of five, in the template's block order);
- transposed, one row per result: `结果维持 | 0 | 0 | 0` … `总计 | 0 | 0 | 0`, one column per block, the
  blocks in the order the header names them.
Every layout gives the same keys `t4.<block>.<result>`; a layout that cannot be told apart is left unread
(a warning), never guessed.
"""
from __future__ import annotations

import re

from indexer.read.statistics.labels import T4_BLOCKS, T4_BLOCK_LABELS, T4_COLUMNS, T4_COLUMN_LABELS, compact
from indexer.read.statistics.place import place
from indexer.read.statistics.reading import TableRead, make_cell
from indexer.read.statistics.rows import Piece, Row, split_row

T4_LOOKAHEAD = 14
MAX_LABEL_CHARS = 12  # a block or result label; longer text is prose or a header
_BLOCK_WORDS = (("litigation_after_review", ("复议后起诉",)), ("litigation_direct", ("直接起诉",)),
                ("review", ("行政复议",)))
_RESULT_WORDS = (("upheld", ("维持",)), ("corrected", ("纠正",)), ("pending", ("未审结",)),
                 ("other", ("其他",)), ("total", ("总计", "合计")))
_NEXT_SECTION = re.compile(r"^[五六七][、.．]")


def read_table4(rows: list[Row], start: int = 0) -> TableRead:
    """Cells `t4.<block>.<result>`: the 15 numbers under 行政复议 / 未经复议直接起诉 / 复议后起诉."""
    read = TableRead()
    begin = next((i for i in range(start, len(rows)) if _is_t4_header(rows[i]) or _block_row(rows[i])), None)
    if begin is None:
        return read
    window = _window(rows, begin)
    for layout in (_one_row, _block_rows, _result_rows, _unlabelled_rows):
        if layout(read, window):
            return read
    read.warnings.append("t4: a review/litigation header without a row of numbers under it")
    return read


def _window(rows: list[Row], begin: int) -> list[tuple[int, str, list[Piece], Row]]:
    """The rows after the table's first row, up to the next section: (index, label, values, row)."""
    window = []
    for index in range(begin, min(begin + T4_LOOKAHEAD, len(rows))):
        label, values = split_row(rows[index])
        if index > begin and _NEXT_SECTION.match(compact(label)):
            break
        window.append((index, label, values, rows[index]))
    return window


def _is_t4_header(row: Row) -> bool:
    text = compact("".join(row.texts))
    if "行政复议" not in text:
        return False  # the cheap test first: most rows are not this header
    if 0 < len(split_row(row)[1]) < len(T4_BLOCKS) * len(T4_COLUMNS):
        return False  # a pre-2019 indicator row (`行政复议数 | 件 | 0 | 0`), not a header
    printed = [t for t in row.texts if t.strip()]
    return "行政复议" in text and (len(printed) >= 2 or len(text) <= 12) and len(text) < 80 and not text.startswith("四、")


def _printed(values: list[Piece]) -> bool:
    return any(p.text.strip() for p in values)


def _one_row(read: TableRead, window) -> bool:
    """The template: one row of 15 numbers (more cells than one block holds)."""
    for index, label, values, row in window:
        if len(values) <= len(T4_COLUMNS) or len(compact(label)) > MAX_LABEL_CHARS or not _printed(values):
            continue
        read.start = read.end = index
        width = len(T4_BLOCKS) * len(T4_COLUMNS)
        slots = place(values, width, None)
        if slots is None:
            read.warnings.append(f"t4: the results row prints {len(values)} values for {width} columns: left out")
            return True
        for number, block in enumerate(T4_BLOCKS):
            _cells(read, block, slots[number * len(T4_COLUMNS):(number + 1) * len(T4_COLUMNS)], row.page)
        return True
    return False


def _block_rows(read: TableRead, window) -> bool:
    """One labelled row of five per block (行政复议 | 0 | 0 | 0 | 0 | 0)."""
    found = {}
    for index, _label, values, row in window:
        block = _block_row(row)
        if block and block not in found:
            found[block] = (index, values, row.page)
    if not found:
        return False
    for block, values, page in _expected(read, found, T4_BLOCKS, T4_BLOCK_LABELS):
        _cells(read, block, list(values), page)
    return True


def _result_rows(read: TableRead, window) -> bool:
    """Transposed: one row per result (结果维持 | 0 | 0 | 0), the blocks as columns in the header's order."""
    order = _header_blocks(" ".join(compact("".join(row.texts)) for _, _, _, row in window[:3]))
    found = {}
    for index, label, values, row in window:
        result = _result_key(label)
        if result and len(values) == len(T4_BLOCKS) and result not in found:
            found[result] = (index, values, row.page)
    if len(found) < 2 or order is None:
        return False
    for col, values, page in _expected(read, found, T4_COLUMNS, T4_COLUMN_LABELS):
        for block, piece in zip(order, values):
            read.cells.append(make_cell(read, "t4", block, col, piece, row_label=T4_BLOCK_LABELS[block],
                                        col_label=T4_COLUMN_LABELS[col], page=page))
    return True


def _expected(read: TableRead, found: dict, keys: tuple[str, ...], labels: dict[str, str]):
    """(key, values, page) of each expected row that was found, in order; a warning for each one missing."""
    for key in keys:
        if key not in found:
            read.warnings.append(f"t4: no row for {labels[key]}")
            continue
        index, values, page = found[key]
        read.start = index if read.start is None else min(read.start, index)
        read.end = max(read.end or index, index)
        yield key, values, page


def _unlabelled_rows(read: TableRead, window) -> bool:
    """Three rows of five numbers with no label, one block each in the template's order."""
    runs = [(index, values, row.page) for index, label, values, row in window
            if len(values) == len(T4_COLUMNS) and not compact(label) and _printed(values)]
    if len(runs) != len(T4_BLOCKS) or runs[-1][0] - runs[0][0] >= 2 * len(T4_BLOCKS):
        return False
    for block, (_index, values, page) in zip(T4_BLOCKS, runs):
        _cells(read, block, list(values), page)
    read.start, read.end = runs[0][0], runs[-1][0]
    return True


def _block_row(row: Row) -> str | None:
    """The block a row of exactly five values is labelled with (`未经复议直接起诉` → litigation_direct)."""
    label, values = split_row(row)
    text = compact(label)
    if len(values) != len(T4_COLUMNS) or not text or len(text) > MAX_LABEL_CHARS + 4:
        return None
    return next((block for block, words in _BLOCK_WORDS if any(w in text for w in words)), None)


def _result_key(label: str) -> str | None:
    text = compact(label)
    if not text or len(text) > MAX_LABEL_CHARS:
        return None
    return next((col for col, words in _RESULT_WORDS if any(w in text for w in words)), None)


def _header_blocks(text: str) -> list[str] | None:
    """The blocks in the order the header names them; None unless all three are named."""
    positions = {}
    for block, words in _BLOCK_WORDS:
        found = [m.start() for w in words for m in re.finditer(w, text)]
        if found:
            positions[block] = min(found)
    if len(positions) != len(T4_BLOCKS):
        return None
    return sorted(positions, key=positions.get)


def _cells(read: TableRead, block: str, slots: list[Piece | None], page: int | None) -> None:
    for col, piece in zip(T4_COLUMNS, slots):
        read.cells.append(make_cell(read, "t4", block, col, piece, row_label=T4_BLOCK_LABELS[block],
                                    col_label=T4_COLUMN_LABELS[col], page=page))
