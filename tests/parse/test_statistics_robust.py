"""Any text, however broken its tables, gives statistics without an exception and without a made-up value."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from indexer.read.statistics import parse_statistics
from indexer.read.statistics.labels import T2_ROWS, T3_ROW_LABELS
from indexer.read.statistics.rows import Piece, Row

WORDS = (list(T3_ROW_LABELS.values()) + [label for _, label, _ in T2_ROWS]
         + ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "本年新制作数量", "自然人", "总计", "行政复议",
            "行政诉讼", "结果维持", "指标", "单位", "（三）不予公开", "3.其他", "四、", "统计数"])
CELLS = st.one_of(st.sampled_from(WORDS), st.integers(-5, 100000).map(str), st.sampled_from(["", "/", "—", "-", "1O",
                  "3 4", "12.5万元", "１２", "0.0", "1,234"]), st.text(max_size=6))
LINES = st.lists(st.lists(CELLS, min_size=1, max_size=17), max_size=60)
SEPARATORS = st.sampled_from(["\t", " | ", "\n"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, separator=SEPARATORS)
def test_any_text_parses_and_values_come_from_printed_numbers(lines, separator):
    text = "\n".join(separator.join(cells) for cells in lines)
    statistics = parse_statistics(text, (), ["overview", "requests"])
    for cell in statistics.cells:
        assert (cell.value is None) == (cell.kind not in ("number", "zero")), cell
        if cell.kind in ("number", "zero"):
            assert any(ch.isdigit() for ch in cell.text), cell
    assert set(statistics.to_json()["totals"]) >= {"new", "total", "review", "normative_valid"}


@settings(max_examples=150, deadline=None)
@given(grid=st.lists(st.lists(st.tuples(CELLS, st.sampled_from(["", "rowspan", "colspan"]),
                                        st.none() | st.floats(0, 600)), min_size=1, max_size=17), max_size=50))
def test_any_grid_with_merged_cells_and_positions_parses(grid):
    rows = [Row(tuple(Piece(text, x, None if x is None else x + 10, merged) for text, merged, x in cells), page=1)
            for cells in grid]
    statistics = parse_statistics("", rows, [])
    assert all(cell.value is None or cell.kind in ("number", "zero") for cell in statistics.cells)
