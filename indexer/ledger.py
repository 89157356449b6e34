"""Index stage, after each build: the report ledger beside the index — when each report was first indexed,
its MinHash signature, and its near-duplicates from other agencies (the `copy` field of the vocabulary).

`update_ledger` is one call at the end of `build_index`, over the reports whose fingerprint the ledger has not
seen (new or changed) and those gone from the index; the build loop knows nothing of it. The ledger lives at
`<index>-ledger.sqlite3`, outside the index folders a rebuild swaps, so a rebuild keeps every report's
first-indexed time and signature and only re-applies the `copy` flags to the fresh records. Feeds order their
entries by `indexed_at`; the report page lists `copies_of`.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from indexer.engines import Engine
from indexer.records import ReportRecord, SectionDoc
from indexer.similar import near_duplicates, report_text, signature

COPY = "yes"  # the `copy` key of a report with a near-duplicate (schema.COPY_NAMES)
REWRITE_BATCH = 200

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, agency TEXT NOT NULL DEFAULT '',
    indexed_at TEXT NOT NULL, updated_at TEXT NOT NULL, signature BLOB, copy TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS reports_indexed_at ON reports (indexed_at);
CREATE TABLE IF NOT EXISTS copies (
    report_id TEXT NOT NULL, other_id TEXT NOT NULL, similarity REAL NOT NULL, PRIMARY KEY (report_id, other_id));
"""


@dataclass(frozen=True)
class LedgerSummary:
    signed: int     # new or changed reports read again
    removed: int
    copies: int     # reports flagged `copy` after this run
    rewritten: int  # index records whose `copy` flag was written


@dataclass(frozen=True)
class Copy:
    """A near-duplicate of a report: the other report, and the estimated share of text in common (0–1)."""

    report_id: str
    similarity: float
    title: str
    agency: str
    year: int | None


def ledger_path(index_path: Path) -> Path:
    """Where the ledger of the index at `index_path` lives (beside it, like the statistics database)."""
    index_path = Path(index_path)
    return index_path.with_name(f"{index_path.name}-ledger.sqlite3")


@contextmanager
def _connect(index_path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(ledger_path(index_path), timeout=30)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)
        with conn:
            yield conn


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def update_ledger(engine: Engine, index_path: Path) -> LedgerSummary:
    """Bring the ledger in line with the open `engine` and write changed `copy` flags into it."""
    Path(index_path).parent.mkdir(parents=True, exist_ok=True)
    fingerprints = engine.fingerprints()
    with _connect(index_path) as conn:
        known = dict(conn.execute("SELECT report_id, fingerprint FROM reports"))
        changed = [rid for rid, fp in fingerprints.items() if known.get(rid) != fp]
        gone = [rid for rid in known if rid not in fingerprints]
        for rid in changed:
            _sign(conn, engine, rid, fingerprints[rid])
        for rid in gone:
            conn.execute("DELETE FROM reports WHERE report_id = ?", (rid,))
        _pair(conn, changed, gone)
        rewritten = _flag(conn, engine)
        copies = conn.execute("SELECT COUNT(*) FROM reports WHERE copy != ''").fetchone()[0]
    return LedgerSummary(signed=len(changed), removed=len(gone), copies=copies, rewritten=rewritten)


def _sign(conn: sqlite3.Connection, engine: Engine, rid: str, fingerprint: str) -> None:
    """Record a new or changed report: its signature and agency; first indexed now, or changed now when its
    text differs (a new parser version re-reads every report without changing when it was indexed)."""
    record = engine.report_record(rid)
    signed = signature(report_text(engine.report_sections(rid)))
    before = conn.execute("SELECT signature FROM reports WHERE report_id = ?", (rid,)).fetchone()
    now = _now()
    conn.execute("INSERT INTO reports (report_id, fingerprint, agency, indexed_at, updated_at, signature) "
                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_id) DO UPDATE SET fingerprint = excluded.fingerprint, "
                 "agency = excluded.agency, signature = excluded.signature, "
                 "updated_at = CASE WHEN ? THEN updated_at ELSE excluded.updated_at END",
                 (rid, fingerprint, (record.agency if record else "") or "", now, now, signed,
                  before is not None and before[0] == signed))


def _pair(conn: sqlite3.Connection, changed: list[str], gone: list[str]) -> None:
    """Recompute the near-duplicate pairs of changed reports; forget those of reports gone."""
    for rid in [*changed, *gone]:
        conn.execute("DELETE FROM copies WHERE report_id = ? OR other_id = ?", (rid, rid))
    if not changed:
        return
    rows = conn.execute("SELECT report_id, signature, agency FROM reports WHERE signature IS NOT NULL").fetchall()
    found = near_duplicates({rid: sig for rid, sig, _ in rows}, {rid: agency for rid, _, agency in rows}, changed)
    for rid, close in found.items():
        for other, score in close.items():
            conn.executemany("INSERT OR REPLACE INTO copies VALUES (?, ?, ?)",
                             [(rid, other, score), (other, rid, score)])


def _flag(conn: sqlite3.Connection, engine: Engine) -> int:
    """Write the `copy` flag into every index record whose value is not what the pairs say; the count."""
    wanted = {rid for (rid,) in conn.execute("SELECT DISTINCT report_id FROM copies")}
    before = {rid for (rid,) in conn.execute("SELECT report_id FROM reports WHERE copy != ''")}
    stale = {}
    for rid in sorted(wanted | before):
        record = engine.report_record(rid)
        value = COPY if rid in wanted else ""
        if record is not None and (record.values.get("copy") or "") != value:
            stale[rid] = (record, value)
        conn.execute("UPDATE reports SET copy = ? WHERE report_id = ?", (value, rid))
    rids = sorted(stale)
    for start in range(0, len(rids), REWRITE_BATCH):
        chunk = rids[start:start + REWRITE_BATCH]
        engine.replace_reports({rid: _with_copy(engine.report_sections(rid), stale[rid][1]) for rid in chunk},
                               records={rid: ReportRecord(rid, {**stale[rid][0].values, "copy": stale[rid][1]})
                                        for rid in chunk})
    return len(stale)


def _with_copy(sections: list[SectionDoc], value: str) -> list[SectionDoc]:
    return [SectionDoc(s.report_id, s.section_no, s.section, s.heading, s.text, {**s.values, "copy": value})
            for s in sections]


def copies_of(engine: Engine, index_path: Path, report_id: str) -> tuple[Copy, ...]:
    """The near-duplicates of one report from other agencies, most similar first (empty without a ledger)."""
    if not ledger_path(index_path).exists():
        return ()
    with _connect(index_path) as conn:
        rows = conn.execute("SELECT other_id, similarity FROM copies WHERE report_id = ? "
                            "ORDER BY similarity DESC, other_id", (report_id,)).fetchall()
    found = []
    for rid, score in rows:
        record = engine.report_record(rid)
        if record is not None:
            found.append(Copy(rid, score, record.title or "", record.agency or "", record.year))
    return tuple(found)


def indexed_times(index_path: Path) -> dict[str, tuple[str, str]]:
    """report_id → (first indexed, last changed) as ISO UTC times, for every report in the ledger."""
    if not ledger_path(index_path).exists():
        return {}
    with _connect(index_path) as conn:
        return {rid: (first, last) for rid, first, last in
                conn.execute("SELECT report_id, indexed_at, updated_at FROM reports")}
