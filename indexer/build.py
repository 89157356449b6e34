"""Index stage: corpus → index, incrementally (new reports added, changed replaced, deleted removed)."""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from crawler.corpus import BadEntry, StoredDocument, scan_corpus
from indexer.analysis import analysis_fingerprint
from indexer.engines import Engine, open_engine
from indexer.ledger import update_ledger
from indexer.read.bounded import ReadFailure, ReadJob, ReaderPool, read_job
from indexer.read.report import PARSER_VERSION, Region, Report
from indexer.records import ReportRecord, SectionDoc, report_record, section_docs
from indexer.statsdb import update_statistics
from indexer.store import FolderStore, IndexStore
from nianbao.config import ReaderSettings

BATCH_REPORTS = 200


@dataclass(frozen=True)
class BuildSummary:
    added: int
    replaced: int
    removed: int
    unchanged: int
    failed: tuple[tuple[str, str], ...]
    skipped: tuple[tuple[str, str], ...] = ()  # corpus entries with a bad record: (folder, reason)

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
                limits: ReaderSettings = ReaderSettings()) -> BuildSummary:
    """Bring the index at `index_path` in line with the corpus; `rebuild` starts from empty.

    One build at a time (IndexLocked otherwise). A rebuild is staged beside the index and promoted when
    complete, so searches keep being answered from the old index meanwhile (see `indexer.store`).
    """
    store = store or FolderStore(Path(index_path))
    with store.lock():
        staged = None if not rebuild and store.exists() else store.stage()
        engine = open_engine(engine_name, staged or store.current(), create=staged is not None, options=options)
        try:
            summary = update_engine(engine, corpus, regions, progress, limits)
            update_ledger(engine, Path(index_path))  # post-build: indexed times, near-duplicates (`copy`)
        except BaseException:
            engine.close()
            if staged is not None:
                store.discard(staged)
            raise
        engine.close()
        if staged is not None:
            store.promote(staged)
        update_statistics(Path(index_path), corpus, regions, rebuild=rebuild, limits=limits)
        return summary


def build_lock(index_path: Path) -> AbstractContextManager[None]:
    """Hold the exclusive build lock of the index at `index_path`."""
    return FolderStore(Path(index_path)).lock()


def update_engine(engine: Engine, corpus: Path, regions: dict[str, Region],
                  progress: Callable[[str], None] | None = None,
                  limits: ReaderSettings = ReaderSettings()) -> BuildSummary:
    """Bring an open engine in line with the corpus (the caller opens and closes it).

    Documents are read by a `ReaderPool` under `limits`: one over a limit is a failed entry, never a stall.
    """
    skipped: list[tuple[str, str]] = []

    def documents():
        for entry in scan_corpus(corpus):
            if isinstance(entry, BadEntry):
                skipped.append((str(entry.folder), entry.reason))
            else:
                yield entry

    with ReaderPool(limits) as pool:
        summary = _update(engine, documents(), regions, progress or (lambda _: None), pool)
    return dataclasses.replace(summary, skipped=tuple(skipped))


def _update(engine: Engine, documents: Iterable[StoredDocument], regions: dict[str, Region],
            progress: Callable[[str], None], pool: ReaderPool) -> BuildSummary:
    indexed = engine.fingerprints()
    seen: set[str] = set()
    batch: dict[str, list[SectionDoc]] = {}
    records: dict[str, ReportRecord] = {}
    added = replaced = unchanged = 0
    failed: list[tuple[str, str]] = []

    def changed():
        nonlocal unchanged
        for document in documents:
            seen.add(document.doc_id)
            region = regions.get(document.portal)
            fingerprint = fingerprint_of(document, region)
            if indexed.get(document.doc_id) == fingerprint:
                unchanged += 1
            else:
                yield read_job_for(document, region), (document, fingerprint)

    for (document, fingerprint), report in pool.read_all(changed()):
        if isinstance(report, ReadFailure):  # one unreadable file must not stop the batch
            failed.append((str(document.path), report.reason))
            continue
        records[document.doc_id] = record = report_record(document.doc_id, report, fingerprint)
        batch[document.doc_id] = section_docs(record, report)
        if document.doc_id in indexed:
            replaced += 1
        else:
            added += 1
        progress(f"{report.agency or '?'} {report.year or '?'}")
        if len(batch) >= BATCH_REPORTS:
            engine.replace_reports(batch, records=records)
            batch, records = {}, {}
    gone = [rid for rid in indexed if rid not in seen]
    if batch or gone:
        engine.replace_reports(batch, delete=gone, records=records)
    return BuildSummary(added=added, replaced=replaced, removed=len(gone), unchanged=unchanged,
                        failed=tuple(failed))
