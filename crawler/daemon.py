"""Crawl stage, the scheduler daemon behind `nianbao schedule`: due and requested crawls, then an index update.

Every `poll_seconds` the daemon starts the portals that are due (`crawler.schedule`) or that an operator
queued with "recrawl now" (`recrawl_requests` in the crawl database), up to `max_parallel` at once and
never two portals that share a host (each `Fetcher` already sends one request at a time per host). After
each run it calls `after_run(summary)` — the shell passes `nianbao.pipeline.index_after_run` there, so the
crawler never imports the indexer — and once at start, so reports stored by a killed daemon are indexed too.

Stopping: `should_stop()` turning true (SIGTERM in the CLI) lets each crawl finish its current request;
the run is recorded as `interrupted`, still indexed, and due again at the next start. After `kill -9`
the run row stays `running` with a dead pid; `CrawlState.start_run` marks it interrupted when the portal
runs again, which is at once, since only completed or failed runs count for due times.

One daemon per state database: `DaemonLock` holds an exclusive `flock` on `<state>.schedule.lock`; the
kernel drops it when the process dies, so a `kill -9` leaves no stale lock behind.
"""
from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawler.crawl import PortalSummary, crawl_portal
from crawler.fetch import allowed_sites
from crawler.schedule import is_due, parse_time, schedule_for
from crawler.state import CrawlState
from nianbao.config import PortalSettings, Settings


class AlreadyRunning(Exception):
    """Another daemon holds the lock for this crawl database."""


def utc_now() -> datetime:
    """The real clock (tests pass their own)."""
    return datetime.now(timezone.utc)


class DaemonLock:
    """An exclusive, non-blocking lock file beside the crawl database."""

    def __init__(self, state_path: Path):
        self.path = Path(f"{state_path}.schedule.lock")
        self.handle = None

    def acquire(self) -> None:
        """Take the lock or raise `AlreadyRunning` naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise AlreadyRunning(f"another `nianbao schedule` is already running (pid {holder}; lock {self.path})") \
                from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        """Drop the lock."""
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


@dataclass(frozen=True)
class Job:
    """A portal to crawl now, and why: `scheduled` or `requested`, with the request ids it answers."""

    portal: PortalSettings
    reason: str
    request_ids: tuple[int, ...] = ()


class Daemon:
    """Starts due and requested crawls on a thread pool; `tick()` once, `run()` until stopped."""

    def __init__(self, settings: Settings, *, after_run: Callable[[PortalSummary | None], str | None] | None = None,
                 log: Callable[[str], None] | None = None, clock: Callable[[], datetime] = utc_now,
                 should_stop: Callable[[], bool] | None = None, on_poll: Callable[[], None] | None = None):
        self.settings = settings
        self.on_poll = on_poll or (lambda: None)  # the shell's heartbeat and config reload, once per poll
        self.after_run = after_run or (lambda summary: None)
        self.log = log or (lambda line: None)
        self.clock = clock
        self.should_stop = should_stop or (lambda: False)
        self.pool = ThreadPoolExecutor(max_workers=settings.schedule.max_parallel, thread_name_prefix="crawl")
        self.running: dict[str, Future] = {}
        self.index_lock = threading.Lock()
        self.wakeup = threading.Event()

    def due_jobs(self, now: datetime) -> list[Job]:
        """Portals to start at `now`: queued requests first, then enabled portals whose slot has come."""
        with CrawlState(self.settings.paths.state) as state:
            requested: dict[str, list[int]] = {}
            for request in state.pending_requests():
                requested.setdefault(request.portal, []).append(request.id)
            jobs = [Job(p, "requested", tuple(requested[p.name])) for p in self.settings.portals if p.name in requested]
            for portal in self.settings.portals:
                if portal.enabled and portal.name not in requested and self._scheduled(state, portal, now):
                    jobs.append(Job(portal, "scheduled"))
        return jobs

    def _scheduled(self, state: CrawlState, portal: PortalSettings, now: datetime) -> bool:
        last = state.last_finished_run(portal.name)
        reference = parse_time(last.scheduled_at or last.started_at) if last else None
        return is_due(schedule_for(self.settings.schedule, portal), reference, now)

    def tick(self, skip: set[str] = frozenset()) -> list[str]:
        """Start what is due and fits (parallel limit, one portal per host); returns the portals started."""
        self._reap()
        if self.should_stop():
            return []
        now = self.clock()
        started = []
        for job in self.due_jobs(now):
            if len(self.running) >= self.settings.schedule.max_parallel:
                break
            if job.portal.name in self.running or job.portal.name in skip or self._shares_host(job.portal):
                continue
            self.running[job.portal.name] = self.pool.submit(self._run, job, now)
            started.append(job.portal.name)
        return started

    def _shares_host(self, portal: PortalSettings) -> bool:
        sites = allowed_sites(portal.allowed_hosts, portal.start_urls)
        for name in self.running:
            other = self.settings.portal(name)
            if other is not None and sites & allowed_sites(other.allowed_hosts, other.start_urls):
                return True
        return False

    def _reap(self) -> None:
        for name, future in list(self.running.items()):
            if future.done():
                del self.running[name]
                error = future.exception()
                if error is not None:
                    self.log(f"{name}: crawl crashed: {type(error).__name__}: {error}")

    def _run(self, job: Job, now: datetime) -> PortalSummary:
        name = job.portal.name
        with CrawlState(self.settings.paths.state) as state:
            picked = state.pick_requests(name)
        self.log(f"{name}: starting ({job.reason})")
        summary = crawl_portal(self.settings, job.portal, should_stop=self.should_stop, adaptive=True)
        with CrawlState(self.settings.paths.state) as state:
            state.set_scheduled_at(summary.run_id, now.isoformat(timespec="seconds"))
            if summary.outcome == "stopped":
                summary = _interrupted(state, summary)
            else:
                state.answer_requests(picked, summary.run_id)
        self.log(_describe(summary))
        self.update_index(summary)
        self.wakeup.set()
        return summary

    def update_index(self, summary: PortalSummary | None) -> None:
        """Call `after_run` (the indexer), one at a time; a failure is logged, the daemon goes on."""
        with self.index_lock:
            try:
                line = self.after_run(summary)
            except Exception as exc:  # an index problem must not stop the crawls
                line = f"index update failed: {type(exc).__name__}: {exc}"
            if line:
                self.log(line)

    def wait_idle(self) -> None:
        """Block until every started crawl has finished."""
        for future in list(self.running.values()):
            future.result()
        self._reap()

    def run_once(self) -> None:
        """Index, then run every portal due or queued now (each once, hosts taking turns), and return."""
        self.on_poll()
        self.update_index(None)
        done: set[str] = set()
        while started := self.tick(skip=done):  # portals that share a host start in a later round
            done.update(started)
            self.wait_idle()
        self.pool.shutdown(wait=True)

    def run(self) -> None:
        """Index once, then tick every `poll_seconds` until `should_stop()`; waits for running crawls."""
        self.on_poll()
        self.update_index(None)
        while not self.should_stop():
            self.on_poll()
            self.tick()
            self.wakeup.wait(self.settings.schedule.poll_seconds)
            self.wakeup.clear()
        self.log("stopping: waiting for running crawls to finish their current request")
        self.pool.shutdown(wait=True)
        self._reap()

    def stop_soon(self) -> None:
        """Wake the loop (call after `should_stop` has turned true)."""
        self.wakeup.set()


def _interrupted(state: CrawlState, summary: PortalSummary) -> PortalSummary:
    message = "interrupted: the daemon was asked to stop (SIGTERM); the portal runs again at the next start"
    state.set_outcome(summary.run_id, "interrupted", message)
    return PortalSummary(**{**summary.__dict__, "outcome": "interrupted", "message": message})


def _describe(summary: PortalSummary) -> str:
    counts = " ".join(f"{k}={getattr(summary, k)}" for k in ("discovered", "fetched", "not_modified", "new",
                                                            "changed", "failed", "gone", "deferred"))
    lines = [f"{summary.portal}: run {summary.run_id} {summary.outcome} in {summary.seconds:.1f}s — {counts}"]
    if summary.message:
        lines.append(f"  note: {summary.message}")
    lines += [f"  failed: {f.url}: {f.reason}" for f in summary.failures]
    return "\n".join(lines)
