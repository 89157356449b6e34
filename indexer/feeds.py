"""Search stage, saved searches as feeds: the newest indexed reports matching a search (or any term of a batch),
as an Atom document any feed reader can subscribe to — no account, the URL is the subscription.

Entries are ordered by when the report was first indexed (`indexer.ledger`), newest first, so a feed grows
after each crawl and index; an entry's `updated` is when its text last changed. Matching is the search's own
(`indexer.search.build_query`, all matching sections via `Engine.matching_keys`), so a feed holds exactly the
reports the search page finds, whatever their rank.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from indexer import query as q
from indexer.engines import Engine
from indexer.ledger import indexed_times
from indexer.records import ReportRecord
from indexer.search import SearchRequest, build_query

FEED_ENTRIES = 50
MAX_BATCH_TERMS = 500


@dataclass(frozen=True)
class FeedEntry:
    """One report in a feed: its record, when it was first indexed and last changed, the terms it matched."""

    record: ReportRecord
    indexed_at: str
    updated_at: str
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedInfo:
    """What a feed is about and where it lives (absolute URLs, built by the web layer)."""

    title: str
    self_url: str
    page_url: str
    report_url: Callable[[str], str]


def matching_reports(engine: Engine, tree: object) -> set[str]:
    """Ids of every report with a section matching `tree`."""
    return {key.rsplit(":", 1)[0] for key in engine.matching_keys(tree)}


def newest(engine: Engine, index_path: Path, matches: dict[str, tuple[str, ...]],
           limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """The `limit` most recently indexed of `matches` (report id → the terms it matched), newest first."""
    times = indexed_times(index_path)
    ordered = sorted((rid for rid in matches if rid in times), key=lambda rid: (times[rid][0], rid), reverse=True)
    entries = []
    for rid in ordered[:limit]:
        record = engine.report_record(rid)
        if record is not None:
            entries.append(FeedEntry(record, *times[rid], terms=matches[rid]))
    return entries


def search_feed_entries(engine: Engine, index_path: Path, request: SearchRequest) -> list[FeedEntry]:
    """The newest reports the search `request` finds (its q and filters; page and sort do not matter)."""
    return newest(engine, index_path, dict.fromkeys(matching_reports(engine, build_query(request)), ()))


def batch_feed_entries(engine: Engine, index_path: Path, terms: Iterable[str],
                       filters: dict[str, tuple[str, ...]] | None = None) -> list[FeedEntry]:
    """The newest reports matching any term of a batch (each term in the query language, `filters` applied to
    all), each entry naming the terms it matched. QueryError for a term that cannot be read or too many terms."""
    terms = [t.strip() for t in terms if t.strip()]
    if len(terms) > MAX_BATCH_TERMS:
        raise q.QueryError(f"检索词过多（{len(terms)} 个）。", f"一次最多 {MAX_BATCH_TERMS} 个。")
    found: dict[str, list[str]] = {}
    for term in dict.fromkeys(terms):
        for rid in matching_reports(engine, build_query(SearchRequest(q=term, filters=filters or {}))):
            found.setdefault(rid, []).append(term)
    return newest(engine, index_path, {rid: tuple(matched) for rid, matched in found.items()})


def atom_document(info: FeedInfo, entries: list[FeedEntry]) -> bytes:
    """The Atom 1.0 document of a feed (UTF-8 XML); report fields are text, escaped by the XML writer."""
    feed = FeedGenerator()
    feed.id(info.self_url)
    feed.title(info.title)
    feed.link(href=info.self_url, rel="self", type="application/atom+xml")
    feed.link(href=info.page_url, rel="alternate", type="text/html")
    feed.language("zh-CN")
    feed.generator("Nianbao")
    feed.updated(max((_time(e.updated_at) for e in entries), default=_time("2000-01-01T00:00:00+00:00")))
    for entry in reversed(entries):  # feedgen prepends: add oldest first to keep newest first in the document
        item = feed.add_entry()
        link = info.report_url(entry.record.report_id)
        item.id(link)
        item.title(_title(entry.record))
        item.link(href=link, rel="alternate", type="text/html")
        item.published(_time(entry.indexed_at))
        item.updated(_time(entry.updated_at))
        if entry.record.agency:
            item.author(name=entry.record.agency)
        item.summary(_summary(entry))
    return feed.atom_str(pretty=True)


def _time(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def _title(record: ReportRecord) -> str:
    return record.title or " ".join(str(p) for p in (record.agency, record.year) if p) or record.report_id


def _summary(entry: FeedEntry) -> str:
    record = entry.record
    region = " ".join(p for p in (record.province, record.city, record.county) if p)
    parts = [record.agency or "机构不详", f"{record.year}年度" if record.year else "年度不详", region]
    if entry.terms:
        parts.append("匹配：" + "、".join(entry.terms))
    return " · ".join(p for p in parts if p)
