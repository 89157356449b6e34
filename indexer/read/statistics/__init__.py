"""Read stage, statistics: the statutory tables of a report as typed cells, totals and checks. Pure.

`parse_statistics` walks the rows an extractor exposed (or the text's tab/pipe rows) with one reader
per table (`table2.py`, `table3.py`), then runs the checks (`checks.py`). `compare_years` (`years.py`)
checks two reports of one body a year apart. Keys and labels are declared once in `labels.py`.
"""
from __future__ import annotations

from indexer.read.statistics.checks import OUTCOMES, outcome
from indexer.read.statistics.model import Statistics, parse_statistics
from indexer.read.statistics.years import compare_years

__all__ = ["OUTCOMES", "Statistics", "compare_years", "outcome", "parse_statistics"]
