"""The scheduler in-process with a fake clock, against real fixture portal servers and a real index."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from crawler.daemon import Daemon
from crawler.state import CrawlState
from nianbao.config import load_settings
from nianbao.pipeline import index_after_run
from nianbao.status import Operations
from tests.ops import portal
from tests.ops.conftest import runs_of, write_ops_config
from tests.test_config import run_cli

CHANGED_PHRASE = "修订后新增一窗受理专栏"


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def far_cron(now: datetime) -> str:
    """A weekly cron whose slot is half a week away from `now` (so it cannot fall inside the test)."""
    slot = now + timedelta(days=3, hours=12)
    return f"{slot.minute} {slot.hour} * * {slot.isoweekday() % 7}"


@pytest.fixture
def two_portals(tmp_path, portal_a, portal_b):
    clock = FakeClock(datetime.now(timezone.utc).replace(microsecond=0))
    config = write_ops_config(tmp_path, {"minutely": (portal_a, "* * * * *"), "weekly": (portal_b, far_cron(clock.now))})
    settings = load_settings(config)
    daemon = Daemon(settings, after_run=index_after_run(settings), clock=clock)
    yield config, settings, daemon, clock
    daemon.pool.shutdown(wait=True)


def tick(daemon: Daemon) -> list[str]:
    started = daemon.tick()
    daemon.wait_idle()
    return sorted(started)


def search_urls(config, phrase: str) -> list[str]:
    result = run_cli("--config", str(config), "search", f'"{phrase}"', "--json")
    assert result.returncode == 0, result.stderr
    return [hit["url"] for hit in json.loads(result.stdout)["hits"]]


def test_portal_due_every_minute_runs_on_time_and_the_other_does_not(two_portals):
    config, _settings, daemon, clock = two_portals
    assert tick(daemon) == ["minutely", "weekly"]  # never crawled: both at once
    assert tick(daemon) == []
    next_minute = clock.now.replace(second=0) + timedelta(minutes=1)
    clock.now = next_minute - timedelta(seconds=1)
    assert tick(daemon) == []
    clock.now = next_minute + timedelta(seconds=1)
    assert tick(daemon) == ["minutely"]
    assert [r.outcome for r in runs_of(config, "minutely")] == ["completed", "completed"]
    assert [r.outcome for r in runs_of(config, "weekly")] == ["completed"]


def test_missed_windows_run_once_when_the_daemon_comes_back(two_portals):
    config, _settings, daemon, clock = two_portals
    tick(daemon)
    clock.now += timedelta(days=40)  # the daemon was down: ~57,000 minutely slots and 5 weekly ones missed
    assert tick(daemon) == ["minutely", "weekly"]
    assert tick(daemon) == []
    assert len(runs_of(config, "minutely")) == 2 and len(runs_of(config, "weekly")) == 2


def test_changed_report_is_searchable_after_the_next_run(two_portals, portal_a):
    config, _settings, daemon, clock = two_portals
    tick(daemon)
    assert search_urls(config, CHANGED_PHRASE) == []
    href = portal.report_path(2022)
    portal_a.routes[href] = portal.report_resource("青山县人民政府", 2022, CHANGED_PHRASE,
                                                   last_modified="Wed, 06 Mar 2024 08:00:00 GMT")
    clock.now += timedelta(minutes=1)
    assert tick(daemon) == ["minutely"]
    [latest, _] = runs_of(config, "minutely")
    assert latest.changed == 1
    assert search_urls(config, CHANGED_PHRASE) == [portal_a.url(href)]


def test_queued_recrawl_runs_a_portal_that_is_not_due(two_portals):
    config, settings, daemon, clock = two_portals
    tick(daemon)
    request_id = Operations(settings).queue_recrawl("weekly", by="test")
    assert tick(daemon) == ["weekly"]
    with CrawlState(settings.paths.state) as state:
        [request] = [r for r in state.requests_of("weekly") if r.id == request_id]
        assert not state.pending_requests()
    [latest, first] = runs_of(config, "weekly")
    assert request.run_id == latest.id and latest.outcome == "completed" and latest.id != first.id


def test_unchanged_report_pages_are_deferred_by_the_adaptive_interval(tmp_path, portal_a):
    config = write_ops_config(tmp_path, {"minutely": (portal_a, "* * * * *")}, revisit=1.0)
    settings = load_settings(config)
    clock = FakeClock(datetime.now(timezone.utc))
    daemon = Daemon(settings, clock=clock)
    tick(daemon)
    portal_a.log.clear()
    clock.now += timedelta(minutes=1)
    assert tick(daemon) == ["minutely"]
    daemon.pool.shutdown(wait=True)
    [second, first] = runs_of(config, "minutely")
    reports = {portal.report_path(y) for y in portal.YEARS}
    assert first.new == len(reports)
    assert second.deferred == len(reports) and second.fetched == 0 and second.not_modified == 0
    fetched = {r.path for r in portal_a.log}
    assert portal.COLUMN in fetched  # list pages are revisited on every run
    assert not fetched & reports


def test_two_portals_on_one_host_never_crawl_at_the_same_time(tmp_path, portal_a):
    config = write_ops_config(tmp_path, {"first": (portal_a, "* * * * *"), "second": (portal_a, "* * * * *")})
    settings = load_settings(config)
    daemon = Daemon(settings, clock=FakeClock(datetime.now(timezone.utc)))
    assert tick(daemon) == ["first"]  # both due; the second shares the host and waits for the next tick
    assert tick(daemon) == ["second"]
    daemon.pool.shutdown(wait=True)
    [first], [second] = runs_of(config, "first"), runs_of(config, "second")
    assert first.finished_at <= second.started_at
