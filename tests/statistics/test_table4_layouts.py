"""Table 4 (行政复议, 行政诉讼) in every layout portals print, read into the same keys.

Each case is a real report's text (the 中宁 2022 sample in ../shared, and a real one-cell-per-line page of
the development set) with its table 4 printed in one of the layouts: the template's one row of 15, one row
per block, results as rows (transposed), three unlabelled rows. The numbers differ per cell so that a
block or result read into the wrong place shows.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.read.statistics import parse_statistics

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / ".." / "shared" / "samples" / "zhongning-spfwglj-2022.txt"
CELL_PER_LINE_PAGE = REPO / "tests" / "statistics" / "devset" / "pages" / "05.txt"
HEADING = "四、政府信息公开行政复议、行政诉讼情况"
# block → (结果维持, 结果纠正, 其他结果, 尚未审结, 总计)
NUMBERS = {"review": (1, 2, 0, 1, 4), "litigation_direct": (0, 1, 1, 0, 2), "litigation_after_review": (2, 0, 0, 1, 3)}
RESULTS = ("upheld", "corrected", "other", "pending", "total")
ROWS = [NUMBERS[b] for b in ("review", "litigation_direct", "litigation_after_review")]


def tabbed(lines: list[list[object]]) -> str:
    return "\n".join("\t".join(str(cell) for cell in line) for line in lines)


TEMPLATE = tabbed([["行政复议", "", "", "", "", "行政诉讼"],
                   ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉"],
                   ["", "", "", "", ""] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
                   [n for row in ROWS for n in row]])
BLOCK_ROWS = tabbed([["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                     ["行政复议", *ROWS[0]], ["行政诉讼：未经复议直接起诉", *ROWS[1]], ["行政诉讼：复议后起诉", *ROWS[2]]])
TRANSPOSED = tabbed([["", "行政复议", "行政诉讼：未经复议直接起诉", "行政诉讼：复议后起诉"]]
                    + [[label, *(row[i] for row in ROWS)]
                       for i, label in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))])
UNLABELLED = tabbed([["行政复议", "", "", "", "", "行政诉讼"],
                     ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], *ROWS])


def real_report_with(table4: str) -> str:
    """The sample's text with its table 4 replaced by `table4` (everything else as the report prints it)."""
    if not SAMPLE.is_file():
        pytest.skip("../shared is missing")
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index(HEADING) + len(HEADING)
    end = text.index("五、", start)
    return text[:start] + "\n\n" + table4 + "\n\n" + text[end:]


def t4_values(statistics) -> dict:
    return {(c.row, c.col): c.value for c in statistics.cells if c.table == "t4"}


@pytest.mark.parametrize("table4", [TEMPLATE, BLOCK_ROWS, TRANSPOSED, UNLABELLED],
                         ids=["template", "block-rows", "transposed", "unlabelled-rows"])
def test_every_layout_reads_the_same_cells(table4):
    statistics = parse_statistics(real_report_with(table4))
    assert t4_values(statistics) == {(block, col): n for block, row in NUMBERS.items() for col, n in zip(RESULTS, row)}
    assert (statistics.totals["review"], statistics.totals["litigation_direct"],
            statistics.totals["litigation_after_review"]) == (4, 2, 3)
    assert {c.id: c.status for c in statistics.checks if c.id.startswith("t4.")} == dict.fromkeys(
        ("t4.review", "t4.litigation_direct", "t4.litigation_after_review"), "PASS")


def test_a_not_applicable_block_is_never_zero():
    table4 = tabbed([["", "行政复议", "行政诉讼：未经复议直接起诉", "行政诉讼：复议后起诉"]]
                    + [[label, ROWS[0][i], ROWS[1][i], "/"]
                       for i, label in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))])
    statistics = parse_statistics(real_report_with(table4))
    assert statistics.totals["review"] == 4 and statistics.totals["litigation_after_review"] is None
    assert {c.kind for c in statistics.cells if c.row == "litigation_after_review"} == {"na"}
    assert next(c for c in statistics.checks if c.id == "t4.litigation_after_review").status == "NOT ASSESSABLE"


def test_block_rows_one_cell_per_line_on_a_real_page():
    page = CELL_PER_LINE_PAGE.read_text(encoding="utf-8")
    lines = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for label, row in zip(("行政复议", "未经复议直接起诉", "复议后起诉"), ROWS):
        lines += [label, *map(str, row)]
    statistics = parse_statistics(page + "\n\n" + HEADING + "\n\n" + "\n\n".join(lines) + "\n\n五、存在的主要问题及改进情况\n")
    assert t4_values(statistics) == {(block, col): n for block, row in NUMBERS.items() for col, n in zip(RESULTS, row)}


def test_a_missing_block_row_is_a_warning_not_a_guess():
    table4 = "\n".join(line for line in BLOCK_ROWS.split("\n") if "复议后起诉" not in line)
    statistics = parse_statistics(real_report_with(table4))
    assert statistics.totals["litigation_after_review"] is None and statistics.totals["review"] == 4
    assert any("复议后起诉" in w for w in statistics.warnings)
