"""Crawl stage, the loop: for each portal, start URLs → columns → list pages → reports → attachments → corpus/.

Callable from Python: `crawl(settings, names)` / `crawl_portal(settings, portal)` return `PortalSummary`
records, take a `should_stop()` callback (checked between requests, and while waiting) so a daemon can
stop a crawl cleanly, and a `progress(event)` callback for display.

Exploration is best-first, like an operator: annual-report columns and their list pages first, then
report pages and attachments, then disclosure hubs (政府信息公开, 法定主动公开内容, 部门信息公开 …, nearest
first) and the department/township sub-sites they list — never the rest of the site. The portal's own
site search (a GET form on a start page) is asked for 年度报告 once, its result pages read for titled reports. Hubs and sub-sites
are opened only within `max_depth` links of a start URL, and one run opens at most `max_pages` list pages
(both per portal or from `[crawler]`); each list page opened is recorded with why (a `visits` row). A link
robots.txt disallows is recorded as skipped, not failed. After the run the portal's contract, if any, is
checked (`crawler.contract`) and stored. With `adaptive=True` (the scheduler's runs), report pages and attachments fetched
recently are deferred (not fetched, counted as `deferred`) until their adaptive revisit interval has passed
(`crawler.schedule.Revisit`); `nianbao crawl` revisits everything. The interval is kept up to date either way.
Every outcome is committed to the crawl database at once and every file is written
atomically, so a killed crawl simply runs again: stored reports answer 304 or hash the same, nothing is
stored twice, nothing half-written is kept.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from crawler import corpus
from crawler.contract import Findings, check_contract
from crawler.discover import (
    SEARCH_TERMS,
    Discovery,
    discover_attachments,
    discover_embedded,
    discover_listing,
    discover_page,
    discover_search,
    is_column_url,
    is_directory_title,
    is_report_title,
    report_year,
)
from crawler.fetch import Fetcher, Response, Stopped, Validators, allowed_sites
from crawler.frontier import EXPLORED, LIST_KINDS, Frontier, Task
from crawler.page import content_hash, decode_page
from crawler.schedule import Revisit
from crawler.state import CrawlState, UrlRecord, now
from crawler.summary import Failure, PortalSummary
from nianbao.config import ConfigError, PortalSettings, Settings

ROBOTS_REFUSAL = "refused: disallowed by robots.txt"
_EXTENSIONS = {"html", "htm", "shtml", "pdf", "doc", "docx", "wps", "txt"}
_TYPE_EXTENSIONS = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf",
                    "application/msword": "doc", "text/plain": "txt", "application/kswps": "wps",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


def crawl(settings: Settings, names: Iterable[str] = (), *, should_stop: Callable[[], bool] | None = None,
          progress: Callable[[dict], None] | None = None) -> list[PortalSummary]:
    """Crawl the named portals (default: every enabled one) one after another."""
    portals = select_portals(settings, names)
    summaries = []
    with CrawlState(settings.paths.state) as state:
        for portal in portals:
            if should_stop and should_stop():
                break
            summaries.append(crawl_portal(settings, portal, state=state, should_stop=should_stop,
                                          progress=progress))
    return summaries


def select_portals(settings: Settings, names: Iterable[str] = ()) -> list[PortalSettings]:
    """The portals to crawl: the named ones (enabled or not), else every enabled portal."""
    names = list(names)
    for name in names:
        if settings.portal(name) is None:
            known = ", ".join(p.name for p in settings.portals) or "none configured"
            raise ConfigError(f"{settings.source}: no portal named '{name}' (known: {known})")
    if names:
        return [settings.portal(n) for n in dict.fromkeys(names)]
    return [p for p in settings.portals if p.enabled]


def crawl_portal(settings: Settings, portal: PortalSettings, *, state: CrawlState | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 progress: Callable[[dict], None] | None = None, adaptive: bool = False) -> PortalSummary:
    """Crawl one portal into the corpus; returns its summary (also stored as a run in the state)."""
    own_state = state is None
    state = state or CrawlState(settings.paths.state)
    try:
        return _PortalCrawl(settings, portal, state, should_stop, progress, adaptive).run()
    finally:
        if own_state:
            state.close()


class _PortalCrawl:
    """One run over one portal: a frontier, counters, and the handlers per kind of page."""

    def __init__(self, settings: Settings, portal: PortalSettings, state: CrawlState,
                 should_stop: Callable[[], bool] | None, progress: Callable[[dict], None] | None,
                 adaptive: bool = False):
        self.settings, self.portal, self.state = settings, portal, state
        self.root = Path(settings.paths.corpus)
        self.should_stop = should_stop or (lambda: False)
        self.progress = progress or (lambda event: None)
        hosts = allowed_sites(portal.allowed_hosts, portal.start_urls)
        self.counts: Counter = Counter()
        self.fetcher = Fetcher(settings.crawler, hosts, delay_seconds=portal.delay_seconds,
                               should_stop=self.should_stop, on_request=self._count_request)
        self.failures: list[Failure] = []
        self.skips: list[Failure] = []
        self.frontier = Frontier()
        self.reports: set[str] = set()
        self.years: Counter = Counter()
        self.visits: list[dict] = []
        self.max_pages = portal.max_pages or settings.crawler.max_pages
        self.max_depth = settings.crawler.max_depth if portal.max_depth is None else portal.max_depth
        self.run_id = 0
        self.revisit = Revisit.from_settings(settings)
        self.adaptive = adaptive

    def run(self) -> PortalSummary:
        started = time.monotonic()
        corpus.sweep_temp_files(self.root, self.portal.name)
        self.run_id = self.state.start_run(self.portal.name)
        self.state.set_budget(self.run_id, self.max_pages, self.max_depth)
        for url in self.portal.start_urls:
            self._enqueue(url, "column" if is_column_url(url) else "start", 0)
        outcome, message = "completed", None
        try:
            while self.frontier:
                if self.should_stop():
                    raise Stopped()
                self._handle(self.frontier.pop())
                self.state.update_run(self.run_id, self._counts())
        except Stopped:
            outcome, message = "stopped", "stopped on request before the crawl finished"
        finally:
            self.fetcher.close()
        if outcome == "completed" and not self.counts["reached"]:
            outcome, message = "failed", "no start URL could be fetched"
        elif self.counts["budget"]:
            message = f"page budget reached: {self.counts['budget']} list pages not visited (max_pages {self.max_pages})"
        self.state.finish_run(self.run_id, self._counts(), outcome, message)
        contract = self._check_contract() if outcome == "completed" else None
        return PortalSummary(portal=self.portal.name, run_id=self.run_id, outcome=outcome,
                             pages=self.counts["pages"], seconds=round(time.monotonic() - started, 2),
                             failures=tuple(self.failures), message=message, skips=tuple(self.skips),
                             budget=self._budget(), visits=tuple(self.visits), contract=contract,
                             years={str(y): n for y, n in sorted(self.years.items(), reverse=True) if n > 0},
                             found=self._found(),
                             **self._counts())

    def _found(self) -> int:
        """Report pages and attachments discovered, less those robots.txt kept us from."""
        return len(self.reports) - self.counts["skipped_reports"]

    def _budget(self) -> dict[str, int]:
        return {"max_pages": self.max_pages, "max_depth": self.max_depth, "pages": self.counts["pages"],
                "not_visited": self.counts["budget"], "too_deep": self.counts["too_deep"]}

    def _check_contract(self) -> dict | None:
        families = frozenset(v["family"] for v in self.visits if v["reports"] and v["family"])
        found = Findings(self._found(), families, self.years)
        result = check_contract(self.portal, found)
        if result is None:
            return None
        data = result.to_json()
        self.state.save_contract(self.portal.name, self.run_id, "crawl", result.ok, data["checks"])
        return data

    def _counts(self) -> dict[str, int]:
        keys = ("fetched", "not_modified", "new", "changed", "unchanged", "failed", "gone", "requests", "deferred",
                "skipped")
        return {"discovered": len(self.reports), **{k: self.counts[k] for k in keys}}

    def _count_request(self, url: str) -> None:
        self.counts["requests"] += 1

    def _enqueue(self, url: str, kind: str, depth: int, title: str | None = None, parent: str | None = None,
                 note: str | None = None) -> None:
        if url in self.frontier:
            return
        if kind in ("report", "attachment"):
            self.reports.add(url)
            self.years.update([year] if (year := report_year(title or "")) else [])
        self.frontier.push(url, kind, depth, title, parent, note)

    def _handle(self, task: Task) -> None:
        if task.kind == "report" and (known := self.state.url(task.url)) and known.kind == "list":
            task = self._as_column(task)  # found to be a list of reports on an earlier run
        if task.kind in LIST_KINDS:
            self._handle_list(task)
        else:
            self._handle_document(task)
        self.progress({"portal": self.portal.name, "url": task.url, "kind": task.kind, **self._counts()})

    # list pages ---------------------------------------------------------------------------------

    def _handle_list(self, task: Task) -> None:
        if self.counts["pages"] >= self.max_pages:
            self.counts["budget"] += 1
            return
        known = self.state.url(task.url)
        remembered = self.state.links_of(task.url)
        # A 304 is only useful when we still know the page's links.
        usable = known is not None and known.status == "stored" and remembered
        response = self.fetcher.fetch(task.url, Validators(known.etag, known.last_modified) if usable else None)
        self.counts["pages"] += 1
        if response.not_modified and usable:
            self.counts["reached"] += 1
            self._log(task, response, "not_modified")
            self._visited(task, known.family, remembered)
            self._follow(task, remembered)
            self._save_url(task, known, response, status="stored", family=known.family)
            return
        if not response.ok:
            self._fail(task, known, response)
            return
        self.counts["reached"] += 1
        self._log(task, response, "list")
        html = response.text()
        found = discover_page(html, response.final_url, in_column=task.kind in ("column", "list"),
                              in_directory=task.kind == "hub" and is_directory_title(task.title or ""))
        links = self._links_of_list(task, found) + self._embedded_links(task, html, response.final_url)
        self.state.save_links(task.url, links)
        self._save_url(task, known, response, status="stored", family=found.family)
        self._visited(task, found.family, links)
        self._follow(task, links)

    def _embedded_links(self, task: Task, html: str, url: str) -> list[tuple[str, str, str]]:
        """A redirecting home page's target and a page's frames stand for the page; a home page's site search."""
        links = []
        if task.kind in ("start", "hub", "unit", "column"):
            links += [(target, task.title or "", task.kind) for target in discover_embedded(html, url)]
        search = discover_search(html, url) if task.kind == "start" else None
        return links + ([(search, SEARCH_TERMS, "search")] if search else [])

    def _visited(self, task: Task, family: str | None, links: list[tuple[str, str, str]]) -> None:
        reports = sum(1 for _, _, kind in links if kind == "report")
        visit = {"url": task.url, "kind": task.kind, "depth": task.depth, "via": task.title, "parent": task.parent,
                 "family": family, "reports": reports}
        self.visits.append(visit)
        self.state.log_visit(self.run_id, **visit)

    def _links_of_list(self, task: Task, found: Discovery) -> list[tuple[str, str, str]]:
        links = [(link.url, link.text, "report") for link in found.reports]
        links += [(link.url, link.text, "column") for link in found.columns]
        if task.kind == "search":  # result pages: only titled reports count, and their next pages
            return links + [(url, "", "search") for url in found.pages]
        # A hub or home page that lists reports itself is a column too; one teaser link is not.
        if task.kind in ("column", "list") or len(found.reports) > (0 if task.kind == "start" else 1):
            links += [(url, "", "list") for url in found.pages]
        links += [(link.url, link.text, "hub") for link in found.hubs]
        links += [(link.url, link.text, "unit") for link in found.units]
        return links

    def _follow(self, task: Task, links: list[tuple[str, str, str]]) -> None:
        for url, text, kind in links:
            if not self.fetcher.allowed_host(url):
                continue
            if kind in EXPLORED and task.depth + 1 > self.max_depth or kind == "start" and task.depth >= 3:
                self.counts["too_deep"] += url not in self.frontier
                continue
            if kind == "attachment":
                # The report page's title names agency and year; the link says "附件1.pdf" at best.
                title = task.title if task.title and is_report_title(task.title) else text
                self._enqueue(url, kind, task.depth + 1, title, task.url, note=f"附件 attachment: {text}")
            else:
                self._enqueue(url, kind, task.depth + 1, text or None, task.url)

    # reports and attachments ----------------------------------------------------------------------

    def _handle_document(self, task: Task) -> None:
        known = self.state.url(task.url)
        stored = self._stored(task.url)
        if self.adaptive and stored is not None and known is not None and known.status == "stored" and \
                self.revisit.defer(known.last_fetched, known.revisit_seconds, datetime.now(UTC)):
            self.counts["deferred"] += 1
            self._follow(task, self.state.links_of(task.url))
            return
        validators = None
        if stored is not None and known is not None and known.status in ("stored", "failed"):
            validators = Validators(known.etag, known.last_modified)
        response = self.fetcher.fetch(task.url, validators)
        if response.not_modified and stored is not None:
            self.counts["not_modified"] += 1
            self._log(task, response, "not_modified")
            self._save_url(task, known, response, status="stored", content=stored.content_hash)
            self._follow(task, self.state.links_of(task.url))
            return
        if response.gone and stored is not None:
            self._mark_gone(task, known, stored, response)
            return
        if not response.ok:
            self._fail(task, known, response)
            return
        listing = discover_listing(response.text(), response.final_url) if _is_page(task, response) else None
        if listing is not None:
            self._read_as_column(self._as_column(task), known, response, listing)
            return
        self._store(task, known, stored, response)

    def _as_column(self, task: Task) -> Task:
        """A link that named a report but leads to a list of reports: a column after all."""
        self.reports.discard(task.url)
        self.years.subtract([year] if (year := report_year(task.title or "")) else [])
        return replace(task, kind="column")

    def _read_as_column(self, task: Task, known: UrlRecord | None, response: Response, found: Discovery) -> None:
        self.counts["pages"] += 1
        self.counts["reached"] += 1
        self._log(task, response, "list")
        links = self._links_of_list(task, found)
        self.state.save_links(task.url, links)
        self._save_url(task, known, response, status="stored", family=found.family)
        self._visited(task, found.family, links)
        self._follow(task, links)

    def _store(self, task: Task, known: UrlRecord | None, stored: corpus.StoredDocument | None,
               response: Response) -> None:
        self.counts["fetched"] += 1
        self.counts["reached"] += 1
        extension = _extension_for(response)
        html = response.text() if extension in ("html", "htm", "shtml") else None
        digest = content_hash(response.content, html)
        if stored is not None and stored.content_hash == digest:
            outcome = "unchanged"
            if stored.gone_at:  # the portal serves it again
                corpus.mark_gone(stored, None, gone=False)
        else:
            outcome = "new" if stored is None else "changed"
            if stored is not None:
                corpus.archive_version(stored)
            corpus.write_document(self.root, self.portal.name, task.url, response.content,
                                  content_type=response.content_type or "application/octet-stream",
                                  extension=extension, link_title=task.title, parent_url=task.parent,
                                  note=task.note, content_hash=digest)
        self.counts[outcome] += 1
        self._log(task, response, outcome)
        self._save_url(task, known, response, status="stored", content=digest, changed=outcome != "unchanged")
        if html is not None and task.kind == "report":
            links = [(link.url, link.text, "attachment") for link in discover_attachments(html, response.final_url)]
            self.state.save_links(task.url, links)
            self._follow(task, links)

    def _stored(self, url: str) -> corpus.StoredDocument | None:
        """The current stored document of `url`, with its main-text hash; None if absent or half-written."""
        document = corpus.read_document(self.root / self.portal.name / corpus.doc_id_for(url))
        if document is None or not corpus.verify_document(document):
            return None
        if document.content_hash is None:  # written before hashes were recorded (e.g. the demo corpus)
            data = document.path.read_bytes()
            html = decode_page(data) if document.path.suffix in (".html", ".htm", ".shtml") else None
            document = replace(document, content_hash=content_hash(data, html))
        return document

    def _mark_gone(self, task: Task, known: UrlRecord | None, stored: corpus.StoredDocument,
                   response: Response) -> None:
        if stored.gone_at is None:
            corpus.mark_gone(stored)
        self.counts["gone"] += 1
        self._log(task, response, "gone", reason=response.error)
        self._save_url(task, known, response, status="gone", content=stored.content_hash, reason=response.error)

    def _fail(self, task: Task, known: UrlRecord | None, response: Response) -> None:
        reason = response.error or f"HTTP {response.status}"
        if reason == ROBOTS_REFUSAL:  # the portal asked us not to: not a failure of the portal or of ours
            self.counts["skipped"] += 1
            self.skips.append(Failure(task.url, "robots"))
            if task.kind in ("report", "attachment"):
                self.counts["skipped_reports"] += 1
                self.years.subtract([year] if (year := report_year(task.title or "")) else [])
            self._log(task, response, "skipped", reason="robots")
            self._save_url(task, known, response, status="skipped", reason="robots")
            return
        self.counts["failed"] += 1
        self.failures.append(Failure(task.url, reason))
        outcome = "refused" if reason.startswith("refused") else "failed"
        self._log(task, response, outcome, reason=reason)
        self._save_url(task, known, response, status=outcome, reason=reason,
                       content=known.content_hash if known else None)

    # bookkeeping --------------------------------------------------------------------------------

    def _log(self, task: Task, response: Response, outcome: str, reason: str | None = None) -> None:
        self.state.log_fetch(self.run_id, self.portal.name, task.url, outcome, http_status=response.status,
                             reason=reason, size=len(response.content), attempts=response.attempts)

    def _save_url(self, task: Task, known: UrlRecord | None, response: Response, *, status: str,
                  content: str | None = None, reason: str | None = None, changed: bool = False,
                  family: str | None = None) -> None:
        stamp = now()
        kind = "list" if task.kind in LIST_KINDS else task.kind
        keep_validators = response.status != 200 and known is not None
        self.state.save_url(UrlRecord(
            url=task.url, portal=self.portal.name, kind=kind, status=status,
            first_seen=known.first_seen if known else stamp, last_seen=stamp, http_status=response.status,
            etag=known.etag if keep_validators else response.etag,
            last_modified=known.last_modified if keep_validators else response.last_modified,
            content_hash=content, sha256=None if kind == "list" else _sha256_of(self.root, self.portal.name, task.url),
            doc_id=None if kind == "list" else corpus.doc_id_for(task.url),
            link_title=task.title, parent_url=task.parent, reason=reason,
            last_fetched=stamp if response.status is not None else (known.last_fetched if known else None),
            last_changed=stamp if changed else (known.last_changed if known else None), last_run=self.run_id,
            revisit_seconds=self._revisit_seconds(kind, known, status, changed), family=family))

    def _revisit_seconds(self, kind: str, known: UrlRecord | None, status: str, changed: bool) -> float | None:
        previous = known.revisit_seconds if known else None
        if kind == "list" or status != "stored":
            return previous
        return self.revisit.next_interval(previous, changed)


def _is_page(task: Task, response: Response) -> bool:
    return task.kind == "report" and _extension_for(response) in ("html", "htm", "shtml")


def _sha256_of(root: Path, portal: str, url: str) -> str | None:
    document = corpus.read_document(root / portal / corpus.doc_id_for(url))
    return document.sha256 if document else None


def _extension_for(response: Response) -> str:
    """File type from the URL's suffix, else from the Content-Type, else `bin`."""
    for url in (response.final_url, response.url):
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix in _EXTENSIONS:
            return suffix
    return _TYPE_EXTENSIONS.get(response.content_type, "bin")
