"""Serve stage: a concordance's per-year trend as bar geometry for a server-rendered SVG chart.

Two views of one trend (`?trend=share`, the default, or `?trend=raw`): the share of that year's indexed
reports (under the same filters) that mention the phrase, on a fixed 0–100 % scale, or the raw number of
reports mentioning it. The number of reports per year is always shown beside them (a year with 2 of 2 is
not a year with 2 of 200), and the table below the chart carries every number for screen readers.
"""
from __future__ import annotations

from dataclasses import dataclass

from indexer.engines import Engine
from indexer.kwic import Concordance, TrendPoint
from indexer.overview import reports_per_year
from indexer.search import SearchRequest, build_query

WIDTH, HEIGHT, BASELINE, TOP = 640, 236, 190, 24
MODES = {"share": "占当年报告的比例", "raw": "提及的报告数"}


@dataclass(frozen=True)
class Bar:
    year: int
    reports: int        # reports mentioning the phrase
    indexed: int        # reports of that year in the index (same filters)
    occurrences: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label: str          # shown above the bar: the share or the count

    @property
    def share(self) -> float | None:
        return self.reports / self.indexed if self.indexed else None


@dataclass(frozen=True)
class TrendChart:
    mode: str
    bars: tuple[Bar, ...]
    # Geometry constants for the template.
    WIDTH: int = WIDTH
    HEIGHT: int = HEIGHT
    BASELINE: int = BASELINE

    @property
    def other_mode(self) -> str:
        return "raw" if self.mode == "share" else "share"

    @property
    def title(self) -> str:
        return MODES[self.mode]


def trend_chart(engine: Engine, result: Concordance, filters: dict, mode: str | None) -> TrendChart:
    """The trend of `result` against the reports per year under the same `filters`, in `mode`."""
    mode = mode if mode in MODES else "share"
    indexed = reports_per_year(engine, build_query(SearchRequest(filters=filters))) if result.trend else {}
    return TrendChart(mode, tuple(trend_bars(result.trend, indexed, mode)))


def percent(share: float | None) -> str:
    """`0.6667` → `67%` (one decimal below 10 %, so small shares do not read as 0 %)."""
    if share is None:
        return "—"
    value = share * 100
    return f"{value:.1f}%" if 0 < value < 10 else f"{value:.0f}%"


def trend_bars(trend: tuple[TrendPoint, ...], indexed: dict[int, int] | None = None,
               mode: str = "raw") -> list[Bar]:
    """One bar per year from the first to the last year with reports (years without any get an empty bar)."""
    if not trend:
        return []
    indexed = indexed or {}
    counts = {t.year: t for t in trend}
    known = set(counts) | {year for year, n in indexed.items() if n}
    years = list(range(min(known), max(known) + 1))
    peak = max(t.reports for t in trend)
    slot = WIDTH / len(years)
    bars = []
    for n, year in enumerate(years):
        point = counts.get(year, TrendPoint(year, 0, 0))
        total = max(indexed.get(year, 0), point.reports)
        fraction = (point.reports / total if total else 0.0) if mode == "share" else point.reports / peak
        height = (BASELINE - TOP) * fraction
        x = n * slot + slot * 0.15
        label = percent(point.reports / total if total else None) if mode == "share" else str(point.reports)
        bars.append(Bar(year, point.reports, total, point.occurrences, round(x, 1), round(BASELINE - height, 1),
                        round(slot * 0.7, 1), round(height, 1), round(x + slot * 0.35, 1), label))
    return bars
