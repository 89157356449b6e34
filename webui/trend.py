"""Serve stage: a concordance's per-year trend as bar geometry for a server-rendered SVG chart."""
from __future__ import annotations

from dataclasses import dataclass

from indexer.kwic import TrendPoint

WIDTH, HEIGHT, BASELINE, TOP = 640, 220, 190, 24


@dataclass(frozen=True)
class Bar:
    year: int
    reports: int
    occurrences: int
    x: float
    y: float
    width: float
    height: float
    label_x: float


def trend_bars(trend: tuple[TrendPoint, ...]) -> list[Bar]:
    """One bar per year from the first to the last year (years without reports get an empty bar)."""
    if not trend:
        return []
    counts = {t.year: t for t in trend}
    years = list(range(trend[0].year, trend[-1].year + 1))
    peak = max(t.reports for t in trend)
    slot = WIDTH / len(years)
    bars = []
    for n, year in enumerate(years):
        point = counts.get(year, TrendPoint(year, 0, 0))
        height = (BASELINE - TOP) * point.reports / peak
        x = n * slot + slot * 0.15
        bars.append(Bar(year, point.reports, point.occurrences, round(x, 1), round(BASELINE - height, 1),
                        round(slot * 0.7, 1), round(height, 1), round(x + slot * 0.35, 1)))
    return bars
