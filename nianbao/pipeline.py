"""The shell's pipeline: crawl → corpus → index, as one public API for the CLI, the daemon, the console and tests.

The stages never call each other upward (the crawler never imports the indexer); this module is where they
are joined. Settings come in explicitly; nothing is loaded at import time.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crawler.crawl import PortalSummary, crawl
from indexer.build import BuildSummary, build_index
from indexer.engines import RebuildNeeded
from indexer.read.report import Region
from nianbao.config import Settings


@dataclass(frozen=True)
class CrawlAndIndex:
    """What `crawl_then_index` did: one summary per portal crawled, then the index update."""

    crawls: list[PortalSummary]
    index: BuildSummary


def portal_regions(settings: Settings) -> dict[str, Region]:
    """The configured region of each portal, by portal name (portals without one are left out)."""
    return {p.name: Region(*(list(p.region) + [None] * 3)[:3]) for p in settings.portals if p.region}


def index_corpus(settings: Settings, *, rebuild: bool = False, rebuild_if_outdated: bool = False,
                 on_rebuild: Callable[[str], None] | None = None, jobs: int | None = None,
                 progress: Callable[[str], None] | None = None) -> BuildSummary:
    """Bring the configured index in line with the configured corpus (`rebuild`: start from empty).

    With `rebuild_if_outdated`, an index built by another analysis or engine version is rebuilt (after
    telling `on_rebuild` why) instead of raising `RebuildNeeded`. `jobs` worker processes read and analyse
    (default `[reader] workers`); `progress` hears of each report written.
    """
    def build(from_empty: bool) -> BuildSummary:
        return build_index(settings.paths.corpus, settings.paths.index, settings.index.engine,
                           portal_regions(settings), rebuild=from_empty, limits=settings.reader,
                           options=settings.index.options(), jobs=jobs, progress=progress)

    try:
        return build(rebuild)
    except RebuildNeeded as exc:
        if not rebuild_if_outdated:
            raise
        if on_rebuild is not None:
            on_rebuild(str(exc))
        return build(True)


def crawl_then_index(settings: Settings, portals: Iterable[str] = (), *,
                     should_stop: Callable[[], bool] | None = None,
                     progress: Callable[[dict], None] | None = None) -> CrawlAndIndex:
    """Crawl the named portals (default: every enabled one), then index what they stored."""
    crawls = crawl(settings, portals, should_stop=should_stop, progress=progress)
    return CrawlAndIndex(crawls=crawls, index=index_corpus(settings))


def index_after_run(settings: Settings) -> Callable[[object], str]:
    """The daemon's `after_run` callback: an incremental index update, described in a log line."""

    def update(_run_summary) -> str:
        summary = index_corpus(settings)
        return "index: " + describe_index_update(summary) + "".join(
            f"\n  index failed: {source}: {reason}" for source, reason in summary.failed)

    return update


def describe_index_update(summary: BuildSummary) -> str:
    """`3 added, 1 replaced, 0 removed, 5 unchanged, 0 failed, 0 skipped`: one line for logs and the CLI."""
    return (f"{summary.added} added, {summary.replaced} replaced, {summary.removed} removed, "
            f"{summary.unchanged} unchanged, {len(summary.failed)} failed, {len(summary.skipped)} skipped")
