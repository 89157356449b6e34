"""Read stage, statistics: table 3 (applications, 7 applicant columns). Pure. (Table 4 is `table4.py`.)

Rows are recognised by their words (`labels.py`), in any order: PDFs print a group label such as
`（三）不予公开` in the middle of its sub-rows, and a label that wraps may stand on the line before or
after its numbers; text-only lines between data rows are kept as the pending label of the next one.
"""
from __future__ import annotations

from indexer.read.statistics.labels import (
    T3_COLUMNS,
    T3_COLUMN_LABELS,
    T3_ROW_LABELS,
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
