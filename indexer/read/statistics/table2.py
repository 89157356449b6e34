"""Read stage, statistics: table 2 (proactive disclosure, 第二十条) and the pre-2019 indicator table. Pure.

Table 2 is several small tables, each under its own header (`信息内容 | 本年制发件数 | …`); a header's
words name the columns of the rows below it (`labels.T2_COLUMNS`). The pre-2019 统计表 has no fixed
rows: each indicator is kept as printed (`indicators.<label>.<column header>`), typed like any cell.
"""
from __future__ import annotations

from indexer.read.statistics.labels import CUT_2019_HEADER, T2_ROWS, compact, t2_header_columns, t2_row_key
from indexer.read.statistics.reading import TableRead, make_cell
from indexer.read.statistics.rows import Row, split_row

T2_COLUMN_WORDS = {"made": "本年制发", "published": "本年新公开", "repealed": "本年废止", "valid": "现行有效",
                   "public_total": "对外公开总数量", "items_last_year": "上一年项目数量", "change": "本年增/减",
                   "decisions": "处理决定数量", "amount": "金额", "items": "项目数量"}
HEADER_CHARS = 40  # longer text rows are prose, not a header
_T2_LABELS = {key: label for key, label, _ in T2_ROWS}


def read_table2(rows: list[Row], stop: int | None = None) -> TableRead:
    """Cells `t2.<row>.<column>` from the rows before `stop` (where table 3 begins)."""
    read = TableRead()
    columns: list[str] = []
    header_text = ""  # the text rows since the last row of numbers: a header, whole or one cell per line
    seen: set[str] = set()
    for index, row in enumerate(rows[:stop]):
        label, values = split_row(row)
        if not values:
            text = compact(label)  # distinct texts: a header spanning the grid repeats in every column
            header_text = "" if len(text) > HEADER_CHARS else header_text + text
            found = t2_header_columns(header_text)
            if found:
                columns = found
                read.version = read.version or _version(header_text)
            continue
        header_text = ""
        if t2_header_columns(label):  # header and label run together (`…处理决定数量行政许可 | 0`)
            columns = t2_header_columns(label)
            read.version = read.version or _version(compact(label))
        key = t2_row_key(label) if values else None
        if key is None or not columns:
            continue
        if key in seen:
            continue
        seen.add(key)
        read.start = index if read.start is None else read.start
        read.end = index
        _row_cells(read, key, label, values, columns, row.page)
    return read


def _version(header: str) -> str | None:
    if "本年制发" in header:
        return "2021"
    if "本年新制作" in header or CUT_2019_HEADER.search(header):
        return "2019"
    return None


def _row_cells(read: TableRead, key: str, label: str, values: list, columns: list[str], page) -> None:
    values = [p for p in values if p.merged != "colspan"]  # one figure printed across the shared grid's columns
    while len(values) > len(columns) and not values[-1].text.strip():
        values = values[:-1]
    while len(values) > len(columns) and not values[0].text.strip():
        values = values[1:]
    if len(values) != len(columns):
        read.warnings.append(f"t2: row {label} prints {len(values)} values under {len(columns)} headers: left out")
        return
    for col, piece in zip(columns, values):
        read.cells.append(make_cell(read, "t2", key, col, piece, row_label=label or _T2_LABELS[key],
                                    col_label=T2_COLUMN_WORDS[col], page=page))


def read_indicators(rows: list[Row]) -> TableRead:
    """The pre-2019 统计表: rows under a `指标 | 单位 | …` header, each value typed, labels kept as printed."""
    read = TableRead()
    header = next((i for i, row in enumerate(rows) if _is_indicator_header(row)), None)
    if header is None:
        return read
    titles = [compact(t) for t in rows[header].texts]
    unit_at = next((i for i, t in enumerate(titles) if t == "单位" or t.endswith("单位")), None)
    read.start, read.version = header, "pre2019"
    for index in range(header + 1, len(rows)):
        row = rows[index]
        if len(row.pieces) < 2 or (row.grid is not None and row.grid != rows[header].grid):
            break
        read.end = index
        _indicator_cells(read, row, titles, unit_at)
    return read


def _is_indicator_header(row: Row) -> bool:
    texts = [compact(t) for t in row.texts]
    return len(texts) >= 2 and any("指标" in t for t in texts) and any("单位" in t for t in texts)


def _indicator_cells(read: TableRead, row: Row, titles: list[str], unit_at: int | None) -> None:
    texts = row.texts
    label = compact(texts[0])
    unit = compact(texts[unit_at]) if unit_at is not None and unit_at < len(texts) else ""
    shown = f"{label}（{unit}）" if unit and unit not in "—-/" else label
    first_value = (unit_at + 1) if unit_at is not None else 1
    for position in range(first_value, max(len(titles), len(texts))):
        title = titles[position] if position < len(titles) else f"列{position + 1}"
        piece = row.pieces[position] if position < len(row.pieces) else None
        read.cells.append(make_cell(read, "indicators", label, title, piece, row_label=shown, col_label=title,
                                    page=row.page))
