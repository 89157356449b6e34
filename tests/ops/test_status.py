"""`nianbao status [--json]` and the crawl database migration that keeps older databases working."""
from __future__ import annotations

import sqlite3

from crawler.corpus import write_document
from crawler.state import CrawlState
from nianbao.config import load_settings
from tests.ops import portal
from tests.ops.conftest import start_daemon, status_json, write_ops_config
from tests.test_config import run_cli

WEEKLY = "0 3 * * 1"


def test_status_reports_last_run_counts_next_due_and_index_freshness(tmp_path, portal_a, portal_b):
    config = write_ops_config(tmp_path, {"qingshan": (portal_a, WEEKLY), "baishui": (portal_b, WEEKLY)})
    before = status_json(config)
    assert [p["last_run"] for p in before["portals"]] == [None, None]
    assert before["portals"][0]["next_due"] == before["generated_at"]  # never crawled: due at once
    daemon = start_daemon(config, "--once")
    assert daemon.wait(timeout=120) == 0, daemon.communicate()

    status = status_json(config)
    qingshan = status["portals"][0]
    assert (qingshan["name"], qingshan["enabled"], qingshan["schedule"]) == ("qingshan", True, WEEKLY)
    run = qingshan["last_run"]
    assert run["outcome"] == "completed" and run["start"] <= run["end"]
    reports = len(portal.YEARS)
    assert run["counts"] == {"discovered": reports, "fetched": reports, "not_modified": 0, "new": reports,
                             "changed": 0, "unchanged": 0, "failed": 0, "gone": 0, "deferred": 0}
    assert qingshan["next_due"] > status["generated_at"] and qingshan["consecutive_failures"] == 0
    assert status["corpus"]["documents"] == 2 * reports
    assert status["index"]["reports"] == 2 * reports and status["index"]["behind"] is False

    settings = load_settings(config)
    write_document(settings.paths.corpus, "qingshan", "http://example.invalid/new.html",
                   portal.report_resource("青山县人民政府", 2019).body, content_type="text/html", extension="html")
    behind = status_json(config)["index"]
    assert behind["behind"] is True and behind["to_add"] == 1
    text = run_cli("--config", str(config), "status")
    assert text.returncode == 0 and "index is BEHIND the corpus: 1 to add" in text.stdout
    assert "last run #" in text.stdout and "completed" in text.stdout


def test_failed_runs_are_counted_as_consecutive_failures(tmp_path, portal_a):
    portal_a.stop()  # nothing answers any more
    config = write_ops_config(tmp_path, {"qingshan": (portal_a, WEEKLY)})
    for _ in range(2):
        result = run_cli("--config", str(config), "crawl")
        assert result.returncode == 1
    [qingshan] = status_json(config)["portals"]
    assert qingshan["last_run"]["outcome"] == "failed" and qingshan["consecutive_failures"] == 2


OLD_SCHEMA = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, portal TEXT NOT NULL, pid INTEGER, started_at TEXT NOT NULL,
    finished_at TEXT, outcome TEXT NOT NULL DEFAULT 'running', message TEXT, discovered INTEGER DEFAULT 0,
    fetched INTEGER DEFAULT 0, not_modified INTEGER DEFAULT 0, new INTEGER DEFAULT 0, changed INTEGER DEFAULT 0,
    unchanged INTEGER DEFAULT 0, failed INTEGER DEFAULT 0, gone INTEGER DEFAULT 0, requests INTEGER DEFAULT 0);
CREATE TABLE urls (url TEXT PRIMARY KEY, portal TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    http_status INTEGER, etag TEXT, last_modified TEXT, content_hash TEXT, sha256 TEXT, doc_id TEXT,
    link_title TEXT, parent_url TEXT, reason TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    last_fetched TEXT, last_changed TEXT, last_run INTEGER);
INSERT INTO runs (portal, pid, started_at, finished_at, outcome, new) VALUES
    ('qingshan', 1, '2025-01-06T03:00:00+00:00', '2025-01-06T03:05:00+00:00', 'completed', 3);
INSERT INTO urls (url, portal, kind, status, first_seen, last_seen) VALUES
    ('http://a.invalid/r.html', 'qingshan', 'report', 'stored', '2025-01-06T03:01:00+00:00', '2025-01-06T03:01:00+00:00');
"""


def test_a_crawl_database_from_before_the_scheduler_keeps_its_history(tmp_path):
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    with CrawlState(path) as state:
        [run] = state.runs("qingshan")
        assert (run.new, run.deferred, run.scheduled_at) == (3, 0, None)
        assert state.last_finished_run("qingshan").id == run.id
        assert state.url("http://a.invalid/r.html").revisit_seconds is None
        request = state.request_recrawl("qingshan", by="test")
        assert [r.id for r in state.pending_requests()] == [request]
    with CrawlState(path) as reopened:  # a second open finds the columns already there
        assert len(reopened.runs()) == 1


def test_schedule_once_takes_portals_on_one_host_in_turn(tmp_path, portal_a):
    config = write_ops_config(tmp_path, {"first": (portal_a, WEEKLY), "second": (portal_a, WEEKLY)})
    daemon = start_daemon(config, "--once")
    _, log = daemon.communicate(timeout=120)
    assert daemon.returncode == 0, log
    status = status_json(config)
    assert [p["last_run"]["outcome"] for p in status["portals"]] == ["completed", "completed"]
    assert "first: starting (scheduled)" in log and "second: starting (scheduled)" in log
