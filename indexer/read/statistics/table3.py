"""Read stage, statistics: table 3 (applications, 7 applicant columns) and table 4 (review, litigation). Pure.

Rows are recognised by their words (`labels.py`), in any order: PDFs print a group label such as
`（三）不予公开` in the middle of its sub-rows, and a label that wraps may stand on the line before or
after its numbers; text-only lines between data rows are kept as the pending label of the next one.
"""
from __future__ import annotations

from indexer.read.statistics.labels import (
    T3_COLUMNS,
    T3_COLUMN_LABELS,
    T3_ROW_LABELS,
    T4_BLOCKS,
    T4_BLOCK_LABELS,
    T4_COLUMNS,
    T4_COLUMN_LABELS,
    compact,
    expected_t3_rows,
    t3_group,
    t3_row_key,
    t3_template_rows,
)
from indexer.read.statistics.place import learn_centres, place
from indexer.read.statistics.reading import TableRead, make_cell
from indexer.read.statistics.rows import Piece, Row, split_row

PENDING_CHARS = 60
HEADER_LOOKBACK = 12
T4_LOOKAHEAD = 14
_T3_END_WORDS = ("行政复议", "行政诉讼")


def read_table3(rows: list[Row], start: int = 0) -> TableRead:
    """Cells `t3.<row>.<column>` of the first applications table at or after `start`."""
    read = TableRead()
    found: dict[str, tuple[str, list[Piece], int | None]] = {}
    group, pending = None, ""
    for index in range(start, len(rows)):
        label, values = split_row(rows[index])
        if read.start is not None and any(w in compact(label) for w in _T3_END_WORDS) and not values:
            break
        group = t3_group(label) or group
        if not values or (all(not p.text.strip() for p in values) and not t3_row_key(label, group)):
            pending = (pending + label)[-PENDING_CHARS:]
            continue
        key = t3_row_key(label, group) or t3_row_key(pending + label, group)
        pending = ""
        if read.start is None:
            if key != "new":
                continue
            read.start = index
        read.end = index
        if key is None:
            read.warnings.append(f"t3: a row nobody expects ({label or 'no label'}): left out")
        elif key in found:
            read.warnings.append(f"t3: row {T3_ROW_LABELS[key]} printed twice: the first is kept")
        else:
            found[key] = (label, values, rows[index].page)
        if key == "carry_next":
            break
    if read.start is not None:
        _t3_cells(read, found, rows)
    return read


def _t3_cells(read: TableRead, found: dict, rows: list[Row]) -> None:
    read.version = t3_template_rows(set(found))
    header = compact("".join(t for row in rows[max(0, read.start - HEADER_LOOKBACK):read.start] for t in row.texts))
    if "自然人" not in header:
        read.warnings.append("t3: no applicant header (自然人 … 总计) above the table: columns taken in template order")
    width = len(T3_COLUMNS)
    centres = learn_centres([values for _, values, _ in found.values()], width)
    for key in expected_t3_rows(read.version):
        if key not in found:
            read.warnings.append(f"t3: row {T3_ROW_LABELS[key]} is missing")
            continue
        label, values, page = found[key]
        slots = place(values, width, centres)
        if slots is None:
            read.warnings.append(f"t3: row {T3_ROW_LABELS[key]} prints {len(values)} values for {width} columns "
                                 f"and they cannot be placed: left out")
            continue
        for col, piece in zip(T3_COLUMNS, slots):
            read.cells.append(make_cell(read, "t3", key, col, piece, row_label=label or T3_ROW_LABELS[key],
                                        col_label=T3_COLUMN_LABELS[col], page=page))


def read_table4(rows: list[Row], start: int = 0) -> TableRead:
    """Cells `t4.<block>.<result>`: the 15 numbers under 行政复议 / 未经复议直接起诉 / 复议后起诉."""
    read = TableRead()
    header = next((i for i in range(start, len(rows)) if _is_t4_header(rows[i])), None)
    if header is None:
        return read
    for index in range(header, min(header + T4_LOOKAHEAD, len(rows))):
        label, values = split_row(rows[index])
        if len(values) < len(T4_COLUMNS) or len(compact(label)) > 12 or not any(p.text.strip() for p in values):
            continue
        read.start = read.end = index
        width = len(T4_BLOCKS) * len(T4_COLUMNS)
        slots = place(values, width, None)
        if slots is None:
            read.warnings.append(f"t4: the results row prints {len(values)} values for {width} columns: left out")
            return read
        _t4_cells(read, slots, rows[index].page)
        return read
    read.warnings.append("t4: a review/litigation header without a row of numbers under it")
    return read


def _is_t4_header(row: Row) -> bool:
    text = compact("".join(row.texts))
    if 0 < len(split_row(row)[1]) < len(T4_BLOCKS) * len(T4_COLUMNS):
        return False  # a pre-2019 indicator row (`行政复议数 | 件 | 0 | 0`), not a header
    printed = [t for t in row.texts if t.strip()]
    return "行政复议" in text and (len(printed) >= 2 or len(text) <= 12) and len(text) < 80 and not text.startswith("四、")


def _t4_cells(read: TableRead, slots: list[Piece | None], page: int | None) -> None:
    for number, block in enumerate(T4_BLOCKS):
        for offset, col in enumerate(T4_COLUMNS):
            piece = slots[number * len(T4_COLUMNS) + offset]
            read.cells.append(make_cell(read, "t4", block, col, piece, row_label=T4_BLOCK_LABELS[block],
                                        col_label=T4_COLUMN_LABELS[col], page=page))
