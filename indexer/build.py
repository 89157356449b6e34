"""Index stage: corpus → index, incrementally (new reports added, changed replaced, deleted removed)."""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from crawler.corpus import BadEntry, StoredDocument, scan_corpus
from indexer.analysis import analysis_fingerprint
from indexer.engines import Engine, open_engine
from indexer.ledger import update_ledger
from indexer.read.bounded import ReadFailure, ReadJob, ReaderPool, continuation, read_job
from indexer.read.report import PARSER_VERSION, Region, Report
from indexer.records import ReportRecord, report_record, section_docs
from indexer.statsdb import StatisticsUpdate
from indexer.store import FolderStore, IndexStore
from nianbao.config import ReaderSettings


@dataclass(frozen=True)
class BuildSummary:
    added: int
    replaced: int
    removed: int
    unchanged: int
    failed: tuple[tuple[str, str], ...]
    skipped: tuple[tuple[str, str], ...] = ()  # corpus entries with a bad record: (folder, reason)
    seen: frozenset[str] = field(default=frozenset(), repr=False, compare=False)  # every report id in the corpus

    def to_json(self) -> dict:
        return {"added": self.added, "replaced": self.replaced, "removed": self.removed,
                "unchanged": self.unchanged, "failed": [{"source": s, "reason": r} for s, r in self.failed],
                "skipped": [{"source": s, "reason": r} for s, r in self.skipped]}


def read_report(document: StoredDocument, region: Region | None = None) -> Report:
    """Extract and parse one stored document in this process (no limits: for trusted corpora, e.g. bench)."""
    return read_job(read_job_for(document, region))


def read_job_for(document: StoredDocument, region: Region | None) -> ReadJob:
    """What a reader needs to read `document`."""
    return ReadJob(path=str(document.path), source=str(document.path), url=document.url, region=region,
                   title_hint=document.link_title)


def fingerprint_of(document: StoredDocument, region: Region | None) -> str:
    """Changes whenever the stored bytes, the parser or the configured region change."""
    key = f"{document.sha256}|{PARSER_VERSION}|{region}|{document.url}|{analysis_fingerprint()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def build_index(corpus: Path, index_path: Path, engine_name: str, regions: dict[str, Region], *,
                rebuild: bool = False, progress: Callable[[str], None] | None = None,
                options: object | None = None, store: IndexStore | None = None,
                limits: ReaderSettings = ReaderSettings(), jobs: int | None = None) -> BuildSummary:
    """Bring the index at `index_path` and the statistics database beside it in line with the corpus; `rebuild`
    starts both from empty. `jobs` worker processes read and analyse (default: `limits.workers`).

    One build at a time (IndexLocked otherwise). A rebuild is staged beside the index and promoted when
    complete, so searches keep being answered from the old index meanwhile (see `indexer.store`).
    """
    store = store or FolderStore(Path(index_path))
    with store.lock():
        staged = None if not rebuild and store.exists() else store.stage()
        engine = open_engine(engine_name, staged or store.current(), create=staged is not None, options=options)
        statistics = StatisticsUpdate(Path(index_path), rebuild=rebuild)
        try:
            summary = update_engine(engine, corpus, regions, progress, limits, jobs=jobs, statistics=statistics)
            update_ledger(engine, Path(index_path))  # post-build: indexed times, near-duplicates (`copy`)
        except BaseException:
            statistics.close()
            engine.close()
            if staged is not None:
                store.discard(staged)
            raise
        engine.close()
        if staged is not None:
            store.promote(staged)
        statistics.finish(summary.seen)
        return summary


def build_lock(index_path: Path) -> AbstractContextManager[None]:
    """Hold the exclusive build lock of the index at `index_path`."""
    return FolderStore(Path(index_path)).lock()


def update_engine(engine: Engine, corpus: Path, regions: dict[str, Region],
                  progress: Callable[[str], None] | None = None,
                  limits: ReaderSettings = ReaderSettings(), *, jobs: int | None = None,
                  statistics: StatisticsUpdate | None = None) -> BuildSummary:
    """Bring an open engine (and `statistics`, when given) in line with the corpus; the caller opens and closes
    them.

    Documents are read, and analysed by the engine's `preparer`, in a `ReaderPool` of `jobs` workers under
    `limits`: one over a limit is a failed entry, never a stall. Outcomes come back in corpus order and are
    written by this one process in batches of `engine.batch_reports`, so the index does not depend on `jobs`.
    """
    skipped: list[tuple[str, str]] = []

    def documents():
        for entry in scan_corpus(corpus):
            if isinstance(entry, BadEntry):
                skipped.append((str(entry.folder), entry.reason))
            else:
                yield entry

    if jobs is not None:
        limits = dataclasses.replace(limits, workers=max(1, jobs))
    with ReaderPool(limits) as pool:
        summary = _Update(engine, statistics, progress or (lambda _: None)).run(documents(), regions, pool)
    return dataclasses.replace(summary, skipped=tuple(skipped))


@dataclass(frozen=True)
class Prepared:
    """What a worker sends back for one report: its record, its sections through the engine's preparer, and
    the report without its sections (the statistics store needs the rest)."""

    record: ReportRecord
    sections: object
    report: Report


def prepare_report(report: Report, report_id: str, fingerprint: str, preparer: str | None) -> Prepared:
    """A reader worker's continuation (`ReadJob.then`): everything the writer and the statistics need."""
    record = report_record(report_id, report, fingerprint)
    docs = section_docs(record, report)
    return Prepared(record, continuation(preparer)(docs) if preparer else docs,
                    dataclasses.replace(report, sections=(), tables=()))


class _Update:
    """One pass over the corpus: skip what is current, read the rest once, write engine and statistics."""

    def __init__(self, engine: Engine, statistics: StatisticsUpdate | None, progress: Callable[[str], None]):
        self.engine, self.statistics, self.progress = engine, statistics, progress
        self.indexed = engine.fingerprints()
        self.seen: set[str] = set()
        self.added = self.replaced = self.unchanged = 0
        self.failed: list[tuple[str, str]] = []
        self.batch: dict[str, object] = {}
        self.records: dict[str, ReportRecord] = {}
        self.stats: list[tuple[str, str, Report]] = []

    def run(self, documents: Iterable[StoredDocument], regions: dict[str, Region], pool: ReaderPool) -> BuildSummary:
        for (document, fingerprint, for_engine, for_stats), outcome in pool.read_all(self._stale(documents, regions)):
            if isinstance(outcome, ReadFailure):  # one unreadable file must not stop the batch
                if for_engine:
                    self.failed.append((str(document.path), outcome.reason))
                if for_stats:
                    self.statistics.failed += 1
                continue
            if for_engine:
                self._add(document.doc_id, outcome)
            if for_stats:
                self.stats.append((document.doc_id, fingerprint, outcome.report))
            if len(self.batch) >= self.engine.batch_reports or len(self.stats) >= self.engine.batch_reports:
                self._flush()
        gone = [rid for rid in self.indexed if rid not in self.seen]
        self._flush(gone)
        return BuildSummary(added=self.added, replaced=self.replaced, removed=len(gone), unchanged=self.unchanged,
                            failed=tuple(self.failed), seen=frozenset(self.seen))

    def _stale(self, documents: Iterable[StoredDocument], regions: dict[str, Region]):
        """A read job for each document the engine or the statistics lack in its current version."""
        preparer = self.engine.preparer
        for document in documents:
            self.seen.add(document.doc_id)
            region = regions.get(document.portal)
            fingerprint = fingerprint_of(document, region)
            for_engine = self.indexed.get(document.doc_id) != fingerprint
            self.unchanged += not for_engine
            for_stats = self.statistics is not None and self.statistics.wants(document.doc_id, fingerprint)
            if for_engine or for_stats:
                job = dataclasses.replace(read_job_for(document, region), then="indexer.build:prepare_report",
                                          then_args=(document.doc_id, fingerprint, preparer))
                yield job, (document, fingerprint, for_engine, for_stats)

    def _add(self, report_id: str, prepared: Prepared) -> None:
        self.batch[report_id] = prepared.sections
        self.records[report_id] = prepared.record
        if report_id in self.indexed:
            self.replaced += 1
        else:
            self.added += 1
        self.progress(f"{prepared.record.agency or '?'} {prepared.record.year or '?'}")

    def _flush(self, gone: list[str] | None = None) -> None:
        if self.batch or gone:
            self.engine.replace_prepared(self.batch, delete=gone or (), records=self.records)
        if self.stats:
            self.statistics.write(self.stats)
        self.batch, self.records, self.stats = {}, {}, []
