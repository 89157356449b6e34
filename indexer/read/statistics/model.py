"""Read stage, statistics: `Statistics` (template, cells, totals, checks, warnings) and `parse_statistics`. Pure."""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer.read.chrome import simplified
from indexer.read.statistics.cells import Cell, is_numeric_kind
from indexer.read.statistics.checks import Check, run_checks
from indexer.read.statistics.rows import Row
from indexer.read.statistics.table2 import read_indicators, read_table2
from indexer.read.statistics.table3 import read_table3
from indexer.read.statistics.table4 import read_table4
from indexer.read.statistics.text_rows import rows_from_text

# `totals` keys (issue 15's acceptance shape) → the 总计-column cell, or the rows whose totals add up to it.
TOTALS = {
    "new": ("t3.new.total",), "carried": ("t3.carried.total",), "granted": ("t3.granted.total",),
    "partial": ("t3.partial.total",), "refused": ("t3.refused.",), "unable": ("t3.unable.",),
    "not_processed": ("t3.not_processed.",), "other": ("t3.other.",), "total": ("t3.total.total",),
    "carry_next": ("t3.carry_next.total",), "review": ("t4.review.total",),
    "litigation_direct": ("t4.litigation_direct.total",),
    "litigation_after_review": ("t4.litigation_after_review.total",),
    "regulations_made": ("t2.regulations.made",), "regulations_repealed": ("t2.regulations.repealed",),
    "regulations_valid": ("t2.regulations.valid",), "normative_made": ("t2.normative.made",),
    "normative_repealed": ("t2.normative.repealed",), "normative_valid": ("t2.normative.valid",),
}
GROUP_SIZES = {"t3.refused.": 8, "t3.unable.": 3, "t3.not_processed.": 5}


@dataclass(frozen=True)
class Statistics:
    template: str | None = None
    cells: tuple[Cell, ...] = ()
    checks: tuple[Check, ...] = ()
    warnings: tuple[str, ...] = ()
    totals: dict = field(default_factory=dict)

    def cell(self, key: str) -> Cell | None:
        return next((cell for cell in self.cells if cell.key == key), None)

    def to_json(self) -> dict:
        """The `statistics` object of `nianbao parse --json` (issue 15), plus `warnings`."""
        return {"template": self.template, "cells": [cell.to_json() for cell in self.cells],
                "totals": {key: _plain(value) for key, value in self.totals.items()},
                "checks": [check.to_json() for check in self.checks], "warnings": list(self.warnings)}


def parse_statistics(text: str, rows: tuple[Row, ...] | list[Row] = (), section_keys=()) -> Statistics:
    """Tables 2–4 (or the pre-2019 indicator table) of a report, typed and checked."""
    try:
        text = simplified(text)  # the words the labels are matched on; numbers are untouched
        return _parse(text, list(rows) or rows_from_text(text), section_keys)
    except Exception as exc:  # noqa: BLE001 - a table-reading bug must not cost the report its place in the index
        return Statistics(warnings=(f"statistics could not be read ({type(exc).__name__}: {exc})",),
                          totals=totals_of(()))


def _parse(text: str, rows: list[Row], section_keys) -> Statistics:
    table3 = read_table3(rows)
    table4 = read_table4(rows, table3.end or 0)
    table2 = read_table2(rows, table3.start)
    reads = [table2, table3, table4]
    if not any(read.cells for read in reads):
        reads.append(read_indicators(rows))
    template = table2.version or table3.version or reads[-1].version
    cells = [cell for read in reads for cell in read.cells]
    warnings = list(dict.fromkeys(w for read in reads for w in read.warnings))
    checks = run_checks(cells, template, text, list(section_keys), table3.version)
    return Statistics(template=template, cells=tuple(cells), checks=tuple(checks), warnings=tuple(warnings),
                      totals=totals_of(cells))


def totals_of(cells: list[Cell] | tuple[Cell, ...]) -> dict:
    """The acceptance `totals`: printed 总计 cells, group sums only when every sub-row is a clean number."""
    by_key = {cell.key: cell for cell in cells}
    totals = {}
    for name, (key,) in TOTALS.items():
        if not key.endswith("."):
            cell = by_key.get(key)
            totals[name] = cell.value if cell and is_numeric_kind(cell.kind) else None
            continue
        totals[name] = _group_total(key, by_key)
    return totals


def _group_total(prefix: str, by_key: dict[str, Cell]):
    if f"{prefix}total" in by_key:  # (六)其他处理 printed as one row (2019)
        cell = by_key[f"{prefix}total"]
        return cell.value if is_numeric_kind(cell.kind) else None
    parts = [cell for key, cell in by_key.items() if key.startswith(prefix) and key.endswith(".total")]
    size = GROUP_SIZES.get(prefix, 3)
    if len(parts) != size or not all(is_numeric_kind(cell.kind) for cell in parts):
        return None
    return sum(cell.value for cell in parts)


def _plain(value):
    return float(value) if value is not None and not isinstance(value, int) else value
