"""Crawl stage, state: the crawl database (SQLite in WAL mode, every change committed at once).

Tables and the API built on them (issue 7's scheduler, `nianbao status` and the operator console read
these; keep them stable):

- `runs`: one row per portal crawl — `start_run(portal) -> run_id`, `finish_run(run_id, counts, outcome,
  message)`, `runs(portal=None, limit=20) -> [RunRecord]`, `run(run_id)`. Outcome is `running`,
  `completed`, `stopped` (stop flag), `failed` (nothing reachable) or `interrupted` (the process died;
  set when the next run of that portal starts and the old process is gone). Counts: discovered,
  fetched, not_modified, new, changed, unchanged, failed, gone, requests.
- `fetch_log`: one row per fetch attempt of a URL — `log_fetch(...)`, `fetch_log(run_id) -> [FetchLogEntry]`,
  `failures(run_id)` (the rows with outcome failed/refused, each with its reason in words).
- `urls`: one row per URL ever seen — `url(u) -> UrlRecord | None`, `urls(portal, status=None)`,
  `save_url(UrlRecord)`. `status` is pending | stored | failed | refused | gone; `etag`/`last_modified`
  are the validators for the next conditional GET; `content_hash` is the main-text hash used for change
  detection; `first_seen`/`last_seen`/`last_fetched`/`last_changed` are UTC ISO times.
- `links`: the links a list or report page had when last downloaded — `save_links`, `links_of` — so a
  304 on that page still tells the crawler where to go next.

- `recrawl_requests` (issue 7): "recrawl now" asked for from the console or CLI — `request_recrawl(portal,
  by)`, `pending_requests()`, `claim_requests(portal, run_id)` (the daemon links them to the run it started),
  `requests_of(portal)`.
- Added columns (issue 7): `runs.scheduled_at` (the scheduler's clock when it started the run; due times
  are counted from it), `runs.deferred` (report pages not fetched because their adaptive revisit time
  had not come, see `crawler.schedule.Revisit`) and `urls.revisit_seconds` (that page's current interval).

- Added by issue 14: `runs.skipped` (links robots.txt disallows: recorded, never fetched, not failures;
  fetch-log outcome `skipped`, URL status `skipped`), `urls.family` (the CMS family a list page showed), `runs.max_pages`/`max_depth` (the run's budget),
  `visits` (every list page a run opened, with why: `log_visit`, `visits(run_id)`), and `contracts` (the
  portal contract checked after each run or `nianbao check-portal`: `save_contract`, `last_contract`).

Databases made before a column or table existed are migrated when opened (`_migrate`: ALTER TABLE … ADD
COLUMN), so an operator's existing crawl history keeps working.

Times are UTC ISO-8601 strings. One `CrawlState` per thread (sqlite3 connections are not shared).
"""
from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, portal TEXT NOT NULL, pid INTEGER, started_at TEXT NOT NULL, finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'running', message TEXT,
    discovered INTEGER DEFAULT 0, fetched INTEGER DEFAULT 0, not_modified INTEGER DEFAULT 0,
    new INTEGER DEFAULT 0, changed INTEGER DEFAULT 0, unchanged INTEGER DEFAULT 0,
    failed INTEGER DEFAULT 0, gone INTEGER DEFAULT 0, requests INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS runs_portal ON runs (portal, id);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, portal TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    http_status INTEGER, etag TEXT, last_modified TEXT, content_hash TEXT, sha256 TEXT, doc_id TEXT,
    link_title TEXT, parent_url TEXT, reason TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, last_fetched TEXT, last_changed TEXT, last_run INTEGER);
CREATE INDEX IF NOT EXISTS urls_portal ON urls (portal, status);
CREATE TABLE IF NOT EXISTS links (
    page TEXT NOT NULL, url TEXT NOT NULL, text TEXT, kind TEXT NOT NULL, PRIMARY KEY (page, url));
CREATE TABLE IF NOT EXISTS fetch_log (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, portal TEXT NOT NULL, url TEXT NOT NULL, at TEXT NOT NULL,
    http_status INTEGER, outcome TEXT NOT NULL, reason TEXT, bytes INTEGER DEFAULT 0, attempts INTEGER DEFAULT 1);
CREATE INDEX IF NOT EXISTS fetch_log_run ON fetch_log (run_id, id);
CREATE TABLE IF NOT EXISTS visits (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, depth INTEGER,
    via TEXT, parent TEXT, family TEXT, reports INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS visits_run ON visits (run_id, id);
CREATE TABLE IF NOT EXISTS contracts (
    id INTEGER PRIMARY KEY, run_id INTEGER, portal TEXT NOT NULL, at TEXT NOT NULL, source TEXT NOT NULL,
    ok INTEGER NOT NULL, checks TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS contracts_portal ON contracts (portal, id);
CREATE TABLE IF NOT EXISTS recrawl_requests (
    id INTEGER PRIMARY KEY, portal TEXT NOT NULL, requested_at TEXT NOT NULL, requested_by TEXT,
    picked_at TEXT, run_id INTEGER);
"""
# Columns added after the first release: (table, column, declaration). Added to older databases on open.
_ADDED_COLUMNS = (("runs", "deferred", "INTEGER DEFAULT 0"), ("runs", "scheduled_at", "TEXT"),
                  ("urls", "revisit_seconds", "REAL"), ("runs", "skipped", "INTEGER DEFAULT 0"),
                  ("urls", "family", "TEXT"), ("runs", "max_pages", "INTEGER"), ("runs", "max_depth", "INTEGER"))

COUNTS = ("discovered", "fetched", "not_modified", "new", "changed", "unchanged", "failed", "gone", "requests",
          "deferred", "skipped")


def now() -> str:
    """The current UTC time as stored here."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RunRecord:
    """One crawl of one portal."""

    id: int
    portal: str
    pid: int | None
    started_at: str
    finished_at: str | None
    outcome: str
    message: str | None
    discovered: int
    fetched: int
    not_modified: int
    new: int
    changed: int
    unchanged: int
    failed: int
    gone: int
    requests: int
    deferred: int = 0
    scheduled_at: str | None = None
    skipped: int = 0
    max_pages: int | None = None
    max_depth: int | None = None


@dataclass(frozen=True)
class RecrawlRequest:
    """A "recrawl now" asked for by an operator; `run_id` is set once the daemon has run it."""

    id: int
    portal: str
    requested_at: str
    requested_by: str | None
    picked_at: str | None
    run_id: int | None


@dataclass(frozen=True)
class UrlRecord:
    """What is known about one URL of a portal."""

    url: str
    portal: str
    kind: str
    status: str
    first_seen: str
    last_seen: str
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    sha256: str | None = None
    doc_id: str | None = None
    link_title: str | None = None
    parent_url: str | None = None
    reason: str | None = None
    last_fetched: str | None = None
    last_changed: str | None = None
    last_run: int | None = None
    revisit_seconds: float | None = None
    family: str | None = None


@dataclass(frozen=True)
class FetchLogEntry:
    """One fetch of one URL during a run, with its outcome and, on failure, the reason."""

    id: int
    run_id: int
    portal: str
    url: str
    at: str
    http_status: int | None
    outcome: str
    reason: str | None
    bytes: int
    attempts: int


@dataclass(frozen=True)
class VisitRecord:
    """A list page a run opened: its kind (start, hub, unit, column, list), how deep, and the link text
    (`via`) on `parent` that led there; `family` and `reports` say what it turned out to hold."""

    id: int
    run_id: int
    url: str
    kind: str
    depth: int
    via: str | None
    parent: str | None
    family: str | None
    reports: int


@dataclass(frozen=True)
class ContractRecord:
    """A portal contract as last checked: `checks` is a list of {name, expected, found, ok}."""

    id: int
    run_id: int | None
    portal: str
    at: str
    source: str
    ok: bool
    checks: list


class CrawlState:
    """The crawl database at `path` (created on first use)."""

    def __init__(self, path: Path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        for table, column, declaration in _ADDED_COLUMNS:
            present = {row["name"] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                try:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                except sqlite3.OperationalError as exc:  # another process added it a moment ago
                    if "duplicate column" not in str(exc):
                        raise

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start_run(self, portal: str) -> int:
        """Open a run for `portal`; earlier runs whose process died are marked interrupted."""
        for row in self.db.execute("SELECT id, pid FROM runs WHERE portal=? AND outcome='running'", (portal,)):
            if not _alive(row["pid"]):
                self.db.execute("UPDATE runs SET outcome='interrupted', finished_at=? WHERE id=?", (now(), row["id"]))
        cursor = self.db.execute("INSERT INTO runs (portal, pid, started_at) VALUES (?, ?, ?)",
                                 (portal, os.getpid(), now()))
        return int(cursor.lastrowid)

    def update_run(self, run_id: int, counts: dict[str, int]) -> None:
        """Store the run's counts so far (so an interrupted run still shows its progress)."""
        values = {k: int(counts.get(k, 0)) for k in COUNTS}
        assignments = ", ".join(f"{k}=:{k}" for k in values)
        self.db.execute(f"UPDATE runs SET {assignments} WHERE id=:id", {**values, "id": run_id})

    def finish_run(self, run_id: int, counts: dict[str, int], outcome: str, message: str | None = None) -> None:
        """Close a run with its final counts and outcome."""
        self.update_run(run_id, counts)
        self.db.execute("UPDATE runs SET outcome=?, message=?, finished_at=? WHERE id=?",
                        (outcome, message, now(), run_id))

    def run(self, run_id: int) -> RunRecord | None:
        """One run by id."""
        row = self.db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        return RunRecord(**dict(row)) if row else None

    def runs(self, portal: str | None = None, limit: int = 20) -> list[RunRecord]:
        """The latest runs, newest first, of one portal or all."""
        sql, args = "SELECT * FROM runs", []
        if portal:
            sql, args = sql + " WHERE portal=?", [portal]
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [RunRecord(**dict(row)) for row in rows]

    def log_fetch(self, run_id: int, portal: str, url: str, outcome: str, *, http_status: int | None = None,
                  reason: str | None = None, size: int = 0, attempts: int = 1) -> None:
        """Append one fetch to the log."""
        self.db.execute("INSERT INTO fetch_log (run_id, portal, url, at, http_status, outcome, reason, bytes, "
                        "attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (run_id, portal, url, now(), http_status, outcome, reason, size, attempts))

    def fetch_log(self, run_id: int) -> list[FetchLogEntry]:
        """Every fetch of a run, in order."""
        rows = self.db.execute("SELECT * FROM fetch_log WHERE run_id=? ORDER BY id", (run_id,))
        return [FetchLogEntry(**dict(row)) for row in rows]

    def failures(self, run_id: int) -> list[FetchLogEntry]:
        """The fetches of a run that failed or were refused, with their reasons."""
        return [e for e in self.fetch_log(run_id) if e.outcome in ("failed", "refused")]

    def url(self, url: str) -> UrlRecord | None:
        """What is known about `url`, or None."""
        row = self.db.execute("SELECT * FROM urls WHERE url=?", (url,)).fetchone()
        return UrlRecord(**dict(row)) if row else None

    def urls(self, portal: str, status: str | None = None) -> list[UrlRecord]:
        """Every URL of a portal, optionally only those with `status`."""
        sql, args = "SELECT * FROM urls WHERE portal=?", [portal]
        if status:
            sql, args = sql + " AND status=?", [portal, status]
        return [UrlRecord(**dict(row)) for row in self.db.execute(sql + " ORDER BY url", args)]

    def save_url(self, record: UrlRecord) -> None:
        """Insert or replace the row of `record.url`."""
        data = dataclasses.asdict(record)
        columns = ", ".join(data)
        self.db.execute(f"INSERT OR REPLACE INTO urls ({columns}) VALUES ({', '.join('?' * len(data))})",
                        tuple(data.values()))

    def save_links(self, page: str, links: list[tuple[str, str, str]]) -> None:
        """Remember the (url, text, kind) links `page` had when it was last downloaded."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM links WHERE page=?", (page,))
            self.db.executemany("INSERT OR REPLACE INTO links (page, url, text, kind) VALUES (?, ?, ?, ?)",
                                [(page, u, t, k) for u, t, k in links])

    def links_of(self, page: str) -> list[tuple[str, str, str]]:
        """The (url, text, kind) links remembered for `page`."""
        rows = self.db.execute("SELECT url, text, kind FROM links WHERE page=? ORDER BY rowid", (page,))
        return [(r["url"], r["text"], r["kind"]) for r in rows]


    # exploration and contracts (issue 14) ------------------------------------------------------

    def set_budget(self, run_id: int, max_pages: int, max_depth: int) -> None:
        """Record the exploration limits a run works within."""
        self.db.execute("UPDATE runs SET max_pages=?, max_depth=? WHERE id=?", (max_pages, max_depth, run_id))

    def log_visit(self, run_id: int, url: str, kind: str, depth: int, via: str | None, parent: str | None,
                  family: str | None, reports: int) -> None:
        """Record that a run opened the list page `url`, and why."""
        self.db.execute("INSERT INTO visits (run_id, url, kind, depth, via, parent, family, reports) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (run_id, url, kind, depth, via, parent, family, reports))

    def visits(self, run_id: int) -> list[VisitRecord]:
        """The list pages a run opened, in order."""
        rows = self.db.execute("SELECT * FROM visits WHERE run_id=? ORDER BY id", (run_id,))
        return [VisitRecord(**dict(row)) for row in rows]

    def save_contract(self, portal: str, run_id: int | None, source: str, ok: bool, checks: list[dict]) -> None:
        """Store a contract check (`source`: crawl or check-portal)."""
        self.db.execute("INSERT INTO contracts (run_id, portal, at, source, ok, checks) VALUES (?, ?, ?, ?, ?, ?)",
                        (run_id, portal, now(), source, int(ok), json.dumps(checks, ensure_ascii=False)))

    def last_contract(self, portal: str) -> ContractRecord | None:
        """The portal's latest contract check, or None if it never had one."""
        row = self.db.execute("SELECT * FROM contracts WHERE portal=? ORDER BY id DESC LIMIT 1", (portal,)).fetchone()
        if row is None:
            return None
        return ContractRecord(**{**dict(row), "ok": bool(row["ok"]), "checks": json.loads(row["checks"])})

    # recrawl requests (issue 7) -----------------------------------------------------------------

    def last_finished_run(self, portal: str) -> RunRecord | None:
        """The portal's latest run that completed or failed (stopped and interrupted runs are not finished)."""
        row = self.db.execute("SELECT * FROM runs WHERE portal=? AND outcome IN ('completed', 'failed') "
                              "ORDER BY id DESC LIMIT 1", (portal,)).fetchone()
        return RunRecord(**dict(row)) if row else None

    def set_scheduled_at(self, run_id: int, when: str) -> None:
        """Record the scheduler's time at the start of a run."""
        self.db.execute("UPDATE runs SET scheduled_at=? WHERE id=?", (when, run_id))

    def request_recrawl(self, portal: str, by: str | None = None) -> int:
        """Queue a run of `portal` for the daemon; a portal already queued is not queued twice."""
        pending = [r for r in self.pending_requests() if r.portal == portal]
        if pending:
            return pending[0].id
        cursor = self.db.execute("INSERT INTO recrawl_requests (portal, requested_at, requested_by) VALUES (?, ?, ?)",
                                 (portal, now(), by))
        return int(cursor.lastrowid)

    def pending_requests(self) -> list[RecrawlRequest]:
        """Requests no finished run has answered yet (picked ones included), oldest first."""
        rows = self.db.execute("SELECT * FROM recrawl_requests WHERE run_id IS NULL ORDER BY id")
        return [RecrawlRequest(**dict(row)) for row in rows]

    def pick_requests(self, portal: str) -> list[int]:
        """Mark the pending requests of `portal` as picked up by a run that starts now; returns their ids."""
        ids = [r.id for r in self.pending_requests() if r.portal == portal]
        self.db.executemany("UPDATE recrawl_requests SET picked_at=? WHERE id=?", [(now(), i) for i in ids])
        return ids

    def answer_requests(self, ids: list[int], run_id: int) -> None:
        """Link picked requests to the finished run that answered them."""
        self.db.executemany("UPDATE recrawl_requests SET run_id=? WHERE id=?", [(run_id, i) for i in ids])

    def requests_of(self, portal: str | None = None, limit: int = 20) -> list[RecrawlRequest]:
        """The latest requests, newest first, of one portal or all."""
        sql, args = "SELECT * FROM recrawl_requests", []
        if portal:
            sql, args = sql + " WHERE portal=?", [portal]
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [RecrawlRequest(**dict(row)) for row in rows]

    def consecutive_failures(self, portal: str) -> int:
        """How many of the portal's latest finished runs failed in a row."""
        count = 0
        for row in self.db.execute("SELECT outcome FROM runs WHERE portal=? AND outcome NOT IN ('running') "
                                   "ORDER BY id DESC LIMIT 100", (portal,)):
            if row["outcome"] != "failed":
                break
            count += 1
        return count

    def set_outcome(self, run_id: int, outcome: str, message: str | None) -> None:
        """Change a finished run's outcome (the daemon records a run stopped by SIGTERM as interrupted)."""
        self.db.execute("UPDATE runs SET outcome=?, message=? WHERE id=?", (outcome, message, run_id))


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
