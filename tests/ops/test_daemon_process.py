"""`nianbao schedule` as a real process: kill -9 mid-run and restart, SIGTERM, and the single-daemon lock."""
from __future__ import annotations

import signal

from crawler import corpus
from crawler.state import CrawlState
from nianbao.config import load_settings
from tests.crawler.server import PortalServer
from tests.ops import portal
from tests.ops.conftest import runs_of, start_daemon, status_json, wait_until, write_ops_config
from tests.test_config import run_cli

YEARLY = "0 3 1 1 *"  # never due during a test: only the first run (never crawled) and resumed runs happen


def stored_count(root) -> int:
    return len(list(root.glob("*/*/record.json")))


def finished(config, name: str) -> bool:
    return any(r.outcome == "completed" for r in runs_of(config, name))


def test_kill_9_mid_run_then_restart_leaves_corpus_state_and_index_consistent(tmp_path):
    with PortalServer(portal.ops_portal(delay=0.3)) as server:
        config = write_ops_config(tmp_path, {"slow": (server, YEARLY)})
        settings = load_settings(config)
        daemon = start_daemon(config)
        wait_until(lambda: stored_count(settings.paths.corpus) >= 2, daemon, what="two stored reports")
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(timeout=10)
        assert stored_count(settings.paths.corpus) < len(portal.YEARS)

        restarted = start_daemon(config)
        wait_until(lambda: finished(config, "slow") and not status_json(config)["index"]["behind"], restarted,
                   what="the resumed run and its index update")
        restarted.send_signal(signal.SIGTERM)
        _, log = restarted.communicate(timeout=30)
    assert restarted.returncode == 0, log

    expected = {server.url(portal.report_path(y)) for y in portal.YEARS}
    documents = list(corpus.read_corpus(settings.paths.corpus))
    assert sorted(d.url for d in documents) == sorted(expected)  # nothing lost, nothing twice
    assert all(corpus.verify_document(d) for d in documents)
    with CrawlState(settings.paths.state) as state:
        assert {u.url for u in state.urls("slow") if u.kind == "report" and u.status == "stored"} == expected
        assert [r.outcome for r in state.runs("slow")] == ["completed", "interrupted"]
    status = status_json(config)
    assert status["index"] == {"reports": len(expected), "behind": False, "to_add": 0, "to_update": 0,
                               "to_remove": 0, "error": None}
    found = run_cli("--config", str(config), "search", '"主动公开政府信息"', "--json")
    assert found.returncode == 0, found.stderr


def test_second_daemon_refuses_and_sigterm_records_the_run_as_interrupted(tmp_path):
    years = range(2000, 2024)  # a long crawl (≥ 7 s), so the signal lands mid-run even on a busy machine
    with PortalServer(portal.ops_portal(delay=0.3, years=years)) as server:
        config = write_ops_config(tmp_path, {"slow": (server, YEARLY)})
        settings = load_settings(config)
        first = start_daemon(config)
        wait_until(lambda: stored_count(settings.paths.corpus) >= 1, first, what="the first stored report")
        second = start_daemon(config)
        _, refusal = second.communicate(timeout=60)
        assert second.returncode == 2
        assert "already running" in refusal and str(first.pid) in refusal and "Traceback" not in refusal
        assert first.poll() is None  # the first daemon is untouched
        first.send_signal(signal.SIGTERM)
        _, log = first.communicate(timeout=30)
    assert first.returncode == 0, log
    [run] = runs_of(config, "slow")
    assert run.outcome == "interrupted" and "SIGTERM" in run.message
    assert 1 <= run.new < len(years)
    assert "interrupted" in log


def test_running_daemon_picks_up_a_queued_recrawl(tmp_path):
    from nianbao.status import Operations

    with PortalServer(portal.ops_portal()) as server:
        config = write_ops_config(tmp_path, {"qingshan": (server, YEARLY)})
        settings = load_settings(config)
        daemon = start_daemon(config)
        wait_until(lambda: finished(config, "qingshan"), daemon, what="the first run")
        request_id = Operations(settings).queue_recrawl("qingshan", by="test")
        wait_until(lambda: len([r for r in runs_of(config, "qingshan") if r.outcome == "completed"]) == 2, daemon,
                   what="the requested run")
        daemon.send_signal(signal.SIGTERM)
        _, log = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, log
    latest = runs_of(config, "qingshan")[0]
    with CrawlState(settings.paths.state) as state:
        [request] = [r for r in state.requests_of("qingshan") if r.id == request_id]
    assert request.run_id == latest.id and "qingshan: starting (requested)" in log
