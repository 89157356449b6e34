"""Index stage: measures over the statistics database — one declaration of every measure people can browse
(`nianbao stats`, `/data`, `/api/data`), and the agencies × years table of one measure. Read-only.

A measure is a stored total (`new`, `review`, …), a sum of totals (`litigation`), a share (`granted_share`
= 予以公开 / 办理结果总计), or the number of failed checks. A value is None when the report lacks any part
of it: a share of an unread table is unknown, not 0.
"""
from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field

# key → (Chinese label, unit, the totals it is computed from, how)
MEASURES: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "new": ("本年新收申请", "件", ("new",), "value"),
    "carried": ("上年结转申请", "件", ("carried",), "value"),
    "granted": ("予以公开", "件", ("granted",), "value"),
    "partial": ("部分公开", "件", ("partial",), "value"),
    "refused": ("不予公开", "件", ("refused",), "value"),
    "unable": ("无法提供", "件", ("unable",), "value"),
    "not_processed": ("不予处理", "件", ("not_processed",), "value"),
    "other": ("其他处理", "件", ("other",), "value"),
    "total": ("办理结果总计", "件", ("total",), "value"),
    "carry_next": ("结转下年度", "件", ("carry_next",), "value"),
    "granted_share": ("予以公开占办理结果比例", "%", ("granted", "total"), "share"),
    "refused_share": ("不予公开占办理结果比例", "%", ("refused", "total"), "share"),
    "review": ("行政复议", "件", ("review",), "value"),
    "litigation": ("行政诉讼（合计）", "件", ("litigation_direct", "litigation_after_review"), "sum"),
    "litigation_direct": ("行政诉讼：未经复议直接起诉", "件", ("litigation_direct",), "value"),
    "litigation_after_review": ("行政诉讼：复议后起诉", "件", ("litigation_after_review",), "value"),
    "normative_valid": ("现行有效行政规范性文件", "件", ("normative_valid",), "value"),
    "normative_made": ("本年制发行政规范性文件", "件", ("normative_made",), "value"),
    "normative_repealed": ("本年废止行政规范性文件", "件", ("normative_repealed",), "value"),
    "regulations_valid": ("现行有效规章", "件", ("regulations_valid",), "value"),
    "failed_checks": ("未通过的核对项", "项", (), "failed"),
}
FILTERS = ("agency", "province", "city", "county")


class UnknownMeasure(ValueError):
    """A measure name that `MEASURES` does not declare; the message lists the known ones."""


@dataclass(frozen=True)
class MeasureRow:
    agency: str
    province: str | None
    city: str | None
    county: str | None
    values: dict[int, float | int | None] = field(default_factory=dict)
    reports: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasureTable:
    measure: str
    label: str
    unit: str
    years: tuple[int, ...]
    rows: tuple[MeasureRow, ...]

    def to_json(self) -> dict:
        return {"measure": self.measure, "label": self.label, "unit": self.unit, "years": list(self.years),
                "rows": [{"agency": r.agency, "province": r.province, "city": r.city, "county": r.county,
                          "values": {str(y): r.values.get(y) for y in self.years},
                          "reports": {str(y): rid for y, rid in r.reports.items()}} for r in self.rows]}

    def to_csv(self) -> str:
        """CSV with a UTF-8 BOM, so that Excel opens the Chinese headers right."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["机构", "省", "市", "县"] + [f"{y}年{self.label}（{self.unit}）" for y in self.years])
        for row in self.rows:
            writer.writerow([row.agency, row.province or "", row.city or "", row.county or ""]
                            + ["" if row.values.get(y) is None else row.values[y] for y in self.years])
        return "\ufeff" + buffer.getvalue()


def measure_table(conn: sqlite3.Connection, measure: str, filters: dict | None = None,
                  years: tuple[int, int] | None = None, sort: str = "agency") -> MeasureTable:
    """Agencies × years of one measure; `filters` match report fields exactly, `years` is an inclusive range.

    `sort` is `agency`, or `YEAR` / `-YEAR` to order by that year's value (unknown values last).
    """
    if measure not in MEASURES:
        raise UnknownMeasure(f"unknown measure '{measure}'; known: {', '.join(MEASURES)}")
    label, unit, parts, how = MEASURES[measure]
    reports = _reports(conn, filters or {}, years)
    values = _values(conn, [r["report_id"] for r in reports], parts, how)
    rows: dict[str, MeasureRow] = {}
    for report in reports:
        row = rows.setdefault(report["agency"], MeasureRow(report["agency"], report["province"], report["city"],
                                                           report["county"]))
        row.values[report["year"]] = values.get(report["report_id"])
        row.reports[report["year"]] = report["report_id"]
    all_years = tuple(sorted({r["year"] for r in reports}))
    return MeasureTable(measure, label, unit, all_years, tuple(_sorted(list(rows.values()), sort)))


def _reports(conn: sqlite3.Connection, filters: dict, years: tuple[int, int] | None) -> list[sqlite3.Row]:
    where, args = ["agency IS NOT NULL", "year IS NOT NULL"], []
    for name in FILTERS:
        chosen = [v for v in filters.get(name) or () if v]
        if chosen:
            where.append(f"{name} IN ({','.join('?' * len(chosen))})")
            args += chosen
    if years:
        where.append("year BETWEEN ? AND ?")
        args += list(years)
    # One report per agency and year: the latest stored wins when a portal republished one.
    sql = f"SELECT * FROM reports WHERE {' AND '.join(where)} ORDER BY agency, year, rowid"
    unique = {(r["agency"], r["year"]): r for r in conn.execute(sql, args)}
    return list(unique.values())


def _values(conn: sqlite3.Connection, report_ids: list[str], parts: tuple[str, ...], how: str) -> dict:
    if how == "failed":  # None for a report nothing was checked in (pre-2019, no tables): not "0 failed"
        found = dict.fromkeys(report_ids)
        for row in conn.execute("SELECT report_id, SUM(status = 'FAIL') AS n FROM checks GROUP BY report_id"):
            if row["report_id"] in found:
                found[row["report_id"]] = row["n"]
        return found
    totals: dict[str, dict] = {}
    marks = ",".join("?" * len(parts))
    for row in conn.execute(f"SELECT report_id, measure, value FROM totals WHERE measure IN ({marks})", parts):
        totals.setdefault(row["report_id"], {})[row["measure"]] = row["value"]
    return {rid: _combine([totals.get(rid, {}).get(p) for p in parts], how) for rid in report_ids}


def _combine(values: list, how: str):
    if any(v is None for v in values):
        return None
    if how == "share":
        return round(100 * values[0] / values[1], 1) if values[1] else None
    return sum(values) if how == "sum" else values[0]


def _sorted(rows: list[MeasureRow], sort: str) -> list[MeasureRow]:
    if sort.lstrip("-").isdigit():
        year, descending = int(sort.lstrip("-")), sort.startswith("-")
        known = [r for r in rows if r.values.get(year) is not None]
        unknown = [r for r in rows if r.values.get(year) is None]
        return sorted(known, key=lambda r: r.values[year], reverse=descending) + unknown
    return sorted(rows, key=lambda r: r.agency)
