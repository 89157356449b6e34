"""The shell's operations service: per-portal crawl status, corpus and index totals, index freshness, runs
and recrawl requests.

Read by `nianbao status` and, through the `Operations` object injected into `create_app`, by the operator
console: the web layer never imports the crawler or this module.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from crawler.corpus import BadEntry, StoredDocument, scan_corpus
from crawler.schedule import next_due, parse_time, schedule_for
from crawler.state import ContractRecord, CrawlState, FetchLogEntry, RecrawlRequest, RunRecord, UrlRecord, VisitRecord
from indexer.build import fingerprint_of
from indexer.engines import EngineError, open_engine
from nianbao import config_file
from nianbao.config import PortalSettings, Settings
from nianbao.heartbeat import Heartbeat, last_heartbeat
from nianbao.pipeline import portal_regions
from nianbao.schedule_words import describe_schedule

RUN_COUNTS = ("discovered", "fetched", "not_modified", "new", "changed", "unchanged", "failed", "gone", "deferred")


@dataclass(frozen=True)
class PortalStatus:
    """One portal as an operator sees it."""

    name: str
    title: str
    enabled: bool
    schedule: str
    last_run: RunRecord | None
    next_due: str | None
    consecutive_failures: int
    queued: bool
    documents: int
    schedule_words: str = ""  # the schedule in Chinese (`每周一 03:00`), shown beside the cron
    timezone: str = "UTC"     # the zone the cron is read in (`[schedule] timezone`)

    def to_json(self) -> dict:
        """Plain data in the documented key order."""
        run = self.last_run
        last = None if run is None else {
            "id": run.id, "start": run.started_at, "end": run.finished_at, "outcome": run.outcome,
            "message": run.message, "counts": {k: getattr(run, k) for k in RUN_COUNTS}}
        return {"name": self.name, "title": self.title, "enabled": self.enabled, "schedule": self.schedule,
                "last_run": last, "next_due": self.next_due, "consecutive_failures": self.consecutive_failures,
                "queued": self.queued, "documents": self.documents, "schedule_words": self.schedule_words,
                "timezone": self.timezone}


@dataclass(frozen=True)
class IndexStatus:
    """How the index compares with the corpus."""

    reports: int
    behind: bool
    to_add: int = 0
    to_update: int = 0
    to_remove: int = 0
    error: str | None = None


@dataclass(frozen=True)
class Status:
    """Everything `nianbao status` shows."""

    generated_at: str
    portals: tuple[PortalStatus, ...]
    corpus_documents: int
    corpus_gone: int
    corpus_by_portal: dict[str, int] = field(default_factory=dict)
    index: IndexStatus = IndexStatus(0, False)
    corpus_skipped: int = 0  # entries `nianbao index` skips: a bad record, or a file outside its folder
    daemon: DaemonStatus | None = None
    skipped_entries: tuple[BadEntry, ...] = ()  # each skipped corpus folder with its reason (the console lists them)

    def to_json(self) -> dict:
        """Plain data for `--json` and the console."""
        return {"generated_at": self.generated_at, "portals": [p.to_json() for p in self.portals],
                "corpus": {"documents": self.corpus_documents, "gone": self.corpus_gone,
                           "by_portal": self.corpus_by_portal, "skipped": self.corpus_skipped},
                "index": asdict(self.index), "daemon": asdict(self.daemon) if self.daemon else None}


@dataclass(frozen=True)
class DaemonStatus:
    """The scheduler daemon as its heartbeat shows it: `state` is running, stale, stopped or never."""

    state: str
    heartbeat: Heartbeat | None = None


class RecrawlRefused(ValueError):
    """"Recrawl now" cannot be queued; the message says why, in Chinese, for the operator."""


class Operations:
    """The operations service the shell builds and injects: status, run details, recrawl requests.

    `nianbao status` uses it directly; `nianbao serve` passes one to `webui.create_app(operations=…)` for the
    console, so the web layer reaches the crawl database without importing the crawler or this module.
    Every call opens the crawl database and closes it again: one service is shared by all request threads.
    """

    def __init__(self, settings: Settings):
        self.live = config_file.LiveSettings(settings)

    @property
    def settings(self) -> Settings:
        """The config as it is on disk now (edits from the console or by hand are picked up)."""
        return self.live.current()

    def status(self, now: datetime | None = None) -> Status:
        """Portals, corpus and index as they are now."""
        settings = self.settings
        now = now or datetime.now(timezone.utc)
        entries = list(scan_corpus(settings.paths.corpus))
        documents = [e for e in entries if isinstance(e, StoredDocument)]
        by_portal = Counter(d.portal for d in documents)
        with CrawlState(settings.paths.state) as state:
            queued = {r.portal for r in state.pending_requests()}
            portals = tuple(_portal_status(settings, p, state, now, p.name in queued, by_portal[p.name])
                            for p in settings.portals)
        return Status(generated_at=now.isoformat(timespec="seconds"), portals=portals,
                      corpus_documents=len(documents), corpus_gone=sum(1 for d in documents if d.gone_at),
                      corpus_by_portal=dict(sorted(by_portal.items())), index=_index_status(settings, documents),
                      corpus_skipped=len(entries) - len(documents), daemon=self.daemon(now),
                      skipped_entries=tuple(e for e in entries if isinstance(e, BadEntry)))

    def daemon(self, now: datetime | None = None) -> DaemonStatus:
        """Whether `nianbao schedule` is alive, from the heartbeat it records at every poll."""
        heartbeat = last_heartbeat(self.settings.paths.state)
        if heartbeat is None:
            return DaemonStatus("never")
        return DaemonStatus(heartbeat.state(now or datetime.now(timezone.utc)), heartbeat)

    def run_history(self, portal: str | None = None, limit: int = 50) -> list[RunRecord]:
        """The latest runs, newest first."""
        with CrawlState(self.settings.paths.state) as state:
            return state.runs(portal, limit=limit)

    def run_detail(self, run_id: int) -> tuple[RunRecord | None, list[FetchLogEntry]]:
        """One run and its per-URL failures with their reasons."""
        with CrawlState(self.settings.paths.state) as state:
            return state.run(run_id), state.failures(run_id)

    def portal_reports(self, portal: str) -> list[UrlRecord]:
        """The report pages and attachments discovered on a portal (any status)."""
        with CrawlState(self.settings.paths.state) as state:
            return [u for u in state.urls(portal) if u.kind != "list"]

    def queue_recrawl(self, portal: str, by: str | None = None) -> int:
        """Ask the daemon to crawl `portal` at its next tick (never crawls here); returns the request id.

        Raises `RecrawlRefused` for a portal that is not configured or is disabled.
        """
        configured = self.settings.portal(portal)
        if configured is None:
            raise RecrawlRefused(f"没有名为 {portal} 的门户，无法重抓。")
        if not configured.enabled:
            raise RecrawlRefused(f"门户「{configured.title}」已停用，不能立即重抓：请先启用它（启用后调度程序会按计划抓取）。")
        with CrawlState(self.settings.paths.state) as state:
            return state.request_recrawl(portal, by)

    def recrawl_requests(self, portal: str | None = None, limit: int = 20) -> list[RecrawlRequest]:
        """The latest recrawl requests, newest first."""
        with CrawlState(self.settings.paths.state) as state:
            return state.requests_of(portal, limit)

    # Portals edited from the console (issue 17): config.toml stays the source of truth.
    def add_portal(self, values: dict) -> Settings:
        """Add a [[portals]] entry; raises `ConfigError` (the load-time check) or `ConfigWriteError`."""
        config_file.add_portal(self.live.path, values)
        return self.settings

    def update_portal(self, name: str, values: dict) -> Settings:
        """Change portal `name`'s editable keys (see `config_file.EDITABLE`)."""
        config_file.update_portal(self.live.path, name, values)
        return self.settings

    def set_enabled(self, name: str, enabled: bool) -> Settings:
        """Enable or disable portal `name`."""
        config_file.set_enabled(self.live.path, name, enabled)
        return self.settings

    # Portal contracts and exploration (issue 14).
    def contract_states(self) -> dict[str, ContractRecord | None]:
        """Each configured portal's latest contract check (after a crawl or `check-portal`), None if never checked."""
        with CrawlState(self.settings.paths.state) as state:
            return {p.name: state.last_contract(p.name) for p in self.settings.portals}

    def run_visits(self, run_id: int) -> list[VisitRecord]:
        """The list pages a run opened, each with why (kind, depth, the link text that led there)."""
        with CrawlState(self.settings.paths.state) as state:
            return state.visits(run_id)


def _portal_status(settings: Settings, portal: PortalSettings, state: CrawlState, now: datetime, queued: bool,
                   documents: int) -> PortalStatus:
    schedule = schedule_for(settings.schedule, portal)
    finished = state.last_finished_run(portal.name)
    due = None
    if queued:
        due = now
    elif portal.enabled:
        due = next_due(schedule, parse_time(finished.scheduled_at or finished.started_at) if finished else None, now)
    [last] = state.runs(portal.name, limit=1) or [None]
    return PortalStatus(name=portal.name, title=portal.title, enabled=portal.enabled, schedule=schedule.describe(),
                        last_run=last, next_due=due.isoformat(timespec="seconds") if due else None,
                        consecutive_failures=state.consecutive_failures(portal.name), queued=queued,
                        documents=documents, timezone=schedule.timezone,
                        schedule_words=describe_schedule(schedule.regular, schedule.season, schedule.season_months))


def _index_status(settings: Settings, documents: list) -> IndexStatus:
    try:
        engine = open_engine(settings.index.engine, settings.paths.index)
    except EngineError as exc:
        return IndexStatus(0, bool(documents), to_add=len(documents), error=str(exc))
    try:
        indexed = engine.fingerprints()
    except EngineError as exc:
        return IndexStatus(0, bool(documents), to_add=len(documents), error=str(exc))
    finally:
        engine.close()
    regions = portal_regions(settings)
    current = {d.doc_id: fingerprint_of(d, regions.get(d.portal)) for d in documents}
    to_add = sum(1 for doc_id in current if doc_id not in indexed)
    to_update = sum(1 for doc_id, fp in current.items() if doc_id in indexed and indexed[doc_id] != fp)
    to_remove = sum(1 for doc_id in indexed if doc_id not in current)
    return IndexStatus(len(indexed), bool(to_add or to_update or to_remove), to_add, to_update, to_remove)
