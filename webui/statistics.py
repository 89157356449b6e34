"""Serve stage: a report's stored statistics as plain table data for templates (rows, columns, failed checks
per cell), and the /data chart drawn by pygal as SVG. No HTML is built here; templates only loop."""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer.read.statistics.labels import (
    T2_ROWS,
    T3_COLUMNS,
    T3_COLUMN_LABELS,
    T3_ROW_LABELS,
    T4_BLOCKS,
    T4_BLOCK_LABELS,
    T4_COLUMNS,
    T4_COLUMN_LABELS,
    expected_t3_rows,
)

STATUS_LABELS = {"PASS": "通过", "FAIL": "不符", "NOT ASSESSABLE": "无法核对"}
KIND_LABELS = {"blank": "空白", "na": "不适用", "text": "非数字"}
T2_COLUMN_LABELS = {"made": "本年制发", "published": "本年新公开", "repealed": "本年废止", "valid": "现行有效",
                    "public_total": "对外公开总数量", "items_last_year": "上一年项目数量", "change": "本年增/减",
                    "decisions": "处理决定数量", "amount": "金额（万元）", "items": "项目数量"}


@dataclass
class CellView:
    text: str
    kind: str
    key: str
    failed: list[int] = field(default_factory=list)  # numbers of the failed checks naming this cell

    @property
    def shown(self) -> str:
        return self.text if self.text else "（空）"


@dataclass
class TableView:
    caption: str
    corner: str
    columns: list[str]
    rows: list[tuple[str, list[CellView | None]]]


def statistics_view(statistics: dict | None) -> dict | None:
    """Tables, failed/unassessable checks numbered for cross-reference, and the pass count of one report."""
    if not statistics or not statistics.get("cells"):
        return None
    problems = [c for c in statistics["checks"] if c["status"] != "PASS"]
    failing = _suspects(problems)
    cells = {c["key"]: CellView(c["text"], c["kind"], c["key"], failing.get(c["key"], [])) for c in statistics["cells"]}
    tables = _table2(cells) + [t for t in (_table3(cells), _table4(cells), _indicators(statistics["cells"], cells)) if t]
    return {"template": statistics.get("template"), "tables": tables, "problems": problems,
            "passed": sum(c["status"] == "PASS" for c in statistics["checks"]), "warnings": statistics.get("warnings", []),
            "status_labels": STATUS_LABELS, "kind_labels": KIND_LABELS}


def _suspects(problems: list[dict]) -> dict[str, list[int]]:
    """Cell key → numbers of the failed checks it is marked for.

    A sum that does not add up names every cell of the sum; marking them all would hide the culprit. Each
    failed check marks only its cells that the most failed checks share (a wrong 总计 fails its row, its
    column and the balance: it alone is marked). A lone failed check marks all its cells.
    """
    failed = [(number, check) for number, check in enumerate(problems, start=1) if check["status"] == "FAIL"]
    counts: dict[str, int] = {}
    for _, check in failed:
        for key in check["cells"]:
            counts[key] = counts.get(key, 0) + 1
    marks: dict[str, list[int]] = {}
    for number, check in failed:
        most = max((counts[key] for key in check["cells"]), default=0)
        for key in check["cells"]:
            if counts[key] == most:
                marks.setdefault(key, []).append(number)
    return marks


def _table2(cells: dict) -> list[TableView]:
    """One small table per printed header (第二十条 (一), (五), (六), (八)…): rows sharing their columns."""
    groups: list[tuple[tuple[str, ...], list]] = []
    for key, label, _ in T2_ROWS:
        columns = tuple(k.split(".")[-1] for k in cells if k.startswith(f"t2.{key}."))
        if not columns:
            continue
        if not groups or groups[-1][0] != columns:
            groups.append((columns, []))
        groups[-1][1].append((label, [cells[f"t2.{key}.{col}"] for col in columns]))
    return [TableView("表二 主动公开政府信息情况" if n == 0 else "", "信息内容",
                      [T2_COLUMN_LABELS.get(c, c) for c in columns], rows) for n, (columns, rows) in enumerate(groups)]


def _table3(cells: dict) -> TableView | None:
    if not any(k.startswith("t3.") for k in cells):
        return None
    version = "2021" if any(k.startswith("t3.other.other.") for k in cells) else "2019"
    body = [(T3_ROW_LABELS[row], [cells.get(f"t3.{row}.{col}") for col in T3_COLUMNS])
            for row in expected_t3_rows(version)]
    return TableView("表三 收到和处理政府信息公开申请情况", "申请人情况", [T3_COLUMN_LABELS[c] for c in T3_COLUMNS], body)


def _table4(cells: dict) -> TableView | None:
    if not any(k.startswith("t4.") for k in cells):
        return None
    body = [(T4_BLOCK_LABELS[block], [cells.get(f"t4.{block}.{col}") for col in T4_COLUMNS]) for block in T4_BLOCKS]
    return TableView("表四 政府信息公开行政复议、行政诉讼情况", "类别", [T4_COLUMN_LABELS[c] for c in T4_COLUMNS], body)


def _indicators(raw: list[dict], cells: dict) -> TableView | None:
    mine = [c for c in raw if c["table"] == "indicators"]
    if not mine:
        return None
    columns = list(dict.fromkeys(c["col"] for c in mine))
    labels = {c["row"]: c["row_label"] for c in mine}
    body = [(labels[row], [cells.get(f"indicators.{row}.{col}") for col in columns])
            for row in dict.fromkeys(c["row"] for c in mine)]
    return TableView("统计表（2019年以前的格式）", "指标", columns, body)


def chart_svg(table, width: int = 800) -> bytes:
    """A line per agency (at most 12, the table's first rows) across the years, as an SVG drawn by pygal."""
    import pygal
    from pygal.style import Style

    style = Style(font_family='"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif', background="white",
                  plot_background="white", title_font_size=16, legend_font_size=12, label_font_size=12)
    narrow = width < 600  # a phone: slanted year labels, legend in two columns
    chart = pygal.Line(width=width, height=max(300, width * 21 // 40), style=style, js=[], show_dots=True,
                       allow_interruptions=True, legend_at_bottom=True, legend_at_bottom_columns=2 if narrow else 3,
                       truncate_legend=12 if narrow else 24, truncate_label=-1, x_label_rotation=45 if narrow else 0,
                       x_title="年度", y_title=table.unit, no_data_text="没有可画的数字")
    chart.title = table.label
    chart.x_labels = [str(y) for y in table.years]
    for row in table.rows[:12]:
        chart.add(row.agency, [row.values.get(year) for year in table.years])
    return chart.render()
