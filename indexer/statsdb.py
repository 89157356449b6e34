"""Index stage: the statistics database — every report's table cells, totals and check results in SQLite (WAL),
beside the index, kept in step with the corpus by the index build (`StatisticsUpdate`, fed the reports the build
reads) or, on demand, by `update_statistics` (which reads the corpus itself).

Incremental like the index: a report is read again only when its fingerprint (bytes, parser, region) changed;
reports gone from the corpus are dropped; `rebuild=True` starts from empty. Cross-year checks (结转, 现行有效)
are recomputed for every body after each update, pairing reports of one agency a year apart.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from indexer.read.statistics import compare_years
from nianbao.config import ReaderSettings

SCHEMA_VERSION = "1"
READER_VERSION = "1"  # bump when indexer/read/statistics reads differently: every report is then read again
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, source TEXT, title TEXT, agency TEXT, year INTEGER,
    province TEXT, city TEXT, county TEXT, url TEXT, template TEXT, warnings TEXT);
CREATE TABLE IF NOT EXISTS cells (
    report_id TEXT NOT NULL REFERENCES reports ON DELETE CASCADE, key TEXT NOT NULL, tbl TEXT, row TEXT, col TEXT,
    text TEXT, value NUMERIC, kind TEXT, row_label TEXT, col_label TEXT, page INTEGER, PRIMARY KEY (report_id, key));
CREATE TABLE IF NOT EXISTS totals (
    report_id TEXT NOT NULL REFERENCES reports ON DELETE CASCADE, measure TEXT NOT NULL, value NUMERIC,
    PRIMARY KEY (report_id, measure));
CREATE TABLE IF NOT EXISTS checks (
    report_id TEXT NOT NULL REFERENCES reports ON DELETE CASCADE, id TEXT NOT NULL, status TEXT NOT NULL,
    message TEXT, cells TEXT, PRIMARY KEY (report_id, id));
CREATE INDEX IF NOT EXISTS totals_by_measure ON totals (measure);
CREATE INDEX IF NOT EXISTS checks_by_status ON checks (status);
"""


@dataclass(frozen=True)
class StatsSummary:
    updated: int
    removed: int
    unchanged: int
    failed: int


def stats_path(index_path: Path) -> Path:
    """Where the statistics database of an index lives: beside it (a rebuild swaps the index folder, not this)."""
    index_path = Path(index_path)
    return index_path.with_name(f"{index_path.name}-statistics.sqlite3")  # not `index.*`: those are index folders


def connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    """A connection in WAL mode (readers never block the writer); the schema is created when writing."""
    if not write and not Path(path).exists():
        raise FileNotFoundError(f"no statistics database at {path} (run `nianbao index` first)")
    conn = sqlite3.connect(str(path), timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    if write:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    return conn


class StatisticsUpdate:
    """One update of the statistics database beside an index, fed reports someone else read.

    `nianbao index` reads each changed report once and hands it here as well as to the engine
    (`indexer.build`); `update_statistics` is the same update reading the corpus itself (rebuild on demand).
    Use: `wants` per corpus document, `write` the read ones, `finish` with every document id seen.
    """

    def __init__(self, index_path: Path, *, rebuild: bool = False):
        self.conn = connect(stats_path(index_path), write=True)
        # A rebuild rewrites every report in place rather than emptying the table first: if it stops half-way,
        # the reports it did not reach keep their rows.
        self.rebuild = rebuild
        self.stored = dict(self.conn.execute("SELECT report_id, fingerprint FROM reports").fetchall())
        self.updated = self.unchanged = self.failed = 0

    def wants(self, report_id: str, fingerprint: str) -> bool:
        """Whether the report with this index `fingerprint` must be (re)read for the statistics."""
        if not self.rebuild and self.stored.get(report_id) == _versioned(fingerprint):
            self.unchanged += 1
            return False
        return True

    def write(self, reports: list[tuple[str, str, object]]) -> None:
        """Store `(report_id, index fingerprint, Report)` triples, in one transaction."""
        with self.conn:
            for report_id, fingerprint, report in reports:
                write_report(self.conn, report_id, _versioned(fingerprint), report)
        self.updated += len(reports)

    def finish(self, seen: set[str]) -> StatsSummary:
        """Drop reports no longer in the corpus, recompute the cross-year checks, close."""
        gone = [rid for rid in self.stored if rid not in seen]
        with closing(self.conn), self.conn:
            self.conn.executemany("DELETE FROM reports WHERE report_id = ?", [(rid,) for rid in gone])
            refresh_year_checks(self.conn)
        return StatsSummary(updated=self.updated, removed=len(gone), unchanged=self.unchanged, failed=self.failed)

    def close(self) -> None:
        self.conn.close()


def _versioned(fingerprint: str) -> str:
    return f"{fingerprint}|{READER_VERSION}"


def update_statistics(index_path: Path, corpus: Path, regions: dict, *, rebuild: bool = False,
                      limits: ReaderSettings = ReaderSettings()) -> StatsSummary:
    """Bring the statistics database beside `index_path` in line with the corpus, reading changed reports itself
    (`nianbao index` does this as part of its build, reading each report once for both).

    Reports are read in the bounded reader pool, like the index build: a hostile file fails here too, alone.
    """
    from crawler.corpus import read_corpus
    from indexer.build import fingerprint_of, read_job_for
    from indexer.read.bounded import ReadFailure, ReaderPool

    update = StatisticsUpdate(index_path, rebuild=rebuild)
    try:
        seen, todo = set(), []
        for document in read_corpus(corpus):
            seen.add(document.doc_id)
            region = regions.get(document.portal)
            fingerprint = fingerprint_of(document, region)
            if update.wants(document.doc_id, fingerprint):
                todo.append((read_job_for(document, region), (document.doc_id, fingerprint)))
        with ReaderPool(limits) as pool:
            for (report_id, fingerprint), outcome in pool.read_all(todo):
                if isinstance(outcome, ReadFailure):  # the index build reports unreadable files; here they are skipped
                    update.failed += 1
                else:
                    update.write([(report_id, fingerprint, outcome)])
    except BaseException:
        update.close()
        raise
    return update.finish(seen)


def write_report(conn: sqlite3.Connection, report_id: str, fingerprint: str, report) -> None:
    """Replace one report's row, cells, totals and checks (call inside a transaction)."""
    statistics = report.statistics
    conn.execute("DELETE FROM reports WHERE report_id = ?", (report_id,))
    conn.execute("INSERT INTO reports VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (
        report_id, fingerprint, report.source, report.title, report.agency, report.year, report.region.province,
        report.region.city, report.region.county, report.url, statistics.template,
        json.dumps(list(statistics.warnings), ensure_ascii=False)))
    conn.executemany("INSERT OR IGNORE INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?)", [
        (report_id, c.key, c.table, c.row, c.col, c.text, _number(c.value), c.kind, c.row_label, c.col_label, c.page)
        for c in statistics.cells])
    conn.executemany("INSERT INTO totals VALUES (?,?,?)",
                     [(report_id, name, _number(value)) for name, value in statistics.totals.items()])
    conn.executemany("INSERT INTO checks VALUES (?,?,?,?,?)", [
        (report_id, c.id, c.status, c.message, json.dumps(list(c.cells))) for c in statistics.checks])


def refresh_year_checks(conn: sqlite3.Connection) -> None:
    """Cross-year checks (`years.*`) of every report that has the same agency's report of the year before."""
    conn.execute("DELETE FROM checks WHERE id LIKE 'years.%'")
    totals = _totals_by_report(conn)
    reports = conn.execute("SELECT report_id, agency, year FROM reports WHERE agency IS NOT NULL AND year IS NOT NULL "
                           "AND template IN ('2019', '2021')").fetchall()
    by_agency_year = {(r["agency"], r["year"]): r["report_id"] for r in reports}
    rows = []
    for report in reports:
        earlier = by_agency_year.get((report["agency"], report["year"] - 1))
        if earlier is None:
            continue
        for check in compare_years(totals.get(earlier, {}), totals.get(report["report_id"], {}), year=report["year"] - 1):
            rows.append((report["report_id"], check.id, check.status, check.message, json.dumps(list(check.cells))))
    conn.executemany("INSERT INTO checks VALUES (?,?,?,?,?)", rows)


def _totals_by_report(conn: sqlite3.Connection) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in conn.execute("SELECT report_id, measure, value FROM totals"):
        found.setdefault(row["report_id"], {})[row["measure"]] = row["value"]
    return found


def report_statistics(conn: sqlite3.Connection, report_id: str) -> dict | None:
    """One report's stored statistics in the `parse --json` shape, cross-year checks included."""
    report = conn.execute("SELECT * FROM reports WHERE report_id = ?", (report_id,)).fetchone()
    if report is None:
        return None
    cells = [{"table": r["tbl"], "row": r["row"], "col": r["col"], "text": r["text"], "value": r["value"],
              "kind": r["kind"], "key": r["key"], "row_label": r["row_label"], "col_label": r["col_label"],
              "page": r["page"]} for r in conn.execute("SELECT * FROM cells WHERE report_id = ? ORDER BY rowid",
                                                       (report_id,))]
    checks = [{"id": r["id"], "status": r["status"], "message": r["message"], "cells": json.loads(r["cells"])}
              for r in conn.execute("SELECT * FROM checks WHERE report_id = ? ORDER BY rowid", (report_id,))]
    totals = dict(conn.execute("SELECT measure, value FROM totals WHERE report_id = ?", (report_id,)).fetchall())
    return {"template": report["template"], "cells": cells, "totals": totals, "checks": checks,
            "warnings": json.loads(report["warnings"] or "[]")}


def iter_reports(conn: sqlite3.Connection) -> Iterator[sqlite3.Row]:
    yield from conn.execute("SELECT * FROM reports ORDER BY agency, year")


def _number(value):
    return float(value) if isinstance(value, Decimal) else value
