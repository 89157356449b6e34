"""Index stage: corpus → index, incrementally (new reports added, changed replaced, deleted removed)."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from crawler.corpus import StoredDocument, read_corpus
from indexer.analysis import analysis_fingerprint
from indexer.engines import Engine, open_engine
from indexer.engines.base import SectionDoc
from indexer.extract import UnsupportedFormat, extract
from indexer.report import PARSER_VERSION, Region, Report, parse_report

BATCH_REPORTS = 200


@dataclass(frozen=True)
class BuildSummary:
    added: int
    replaced: int
    removed: int
    unchanged: int
    failed: tuple[tuple[str, str], ...]

    def to_json(self) -> dict:
        return {"added": self.added, "replaced": self.replaced, "removed": self.removed,
                "unchanged": self.unchanged, "failed": [{"source": s, "reason": r} for s, r in self.failed]}


def read_report(document: StoredDocument, region: Region | None = None) -> Report:
    """Extract and parse one stored document."""
    extracted = extract(document.path.read_bytes(), document.path.name)
    report = parse_report(extracted.text, source=str(document.path), url=document.url, region=region,
                          title_hint=extracted.title or document.link_title)
    return report


def section_docs(report_id: str, report: Report, fingerprint: str) -> list[SectionDoc]:
    """The index documents of one report: one per section, each carrying the report's fields."""
    return [
        SectionDoc(report_id=report_id, section_no=n, section=s.key, heading=s.heading, text=s.text,
                   title=report.title or "", agency=report.agency or "", year=report.year,
                   province=report.region.province or "", city=report.region.city or "",
                   county=report.region.county or "", url=report.url or "", template=report.template,
                   fingerprint=fingerprint)
        for n, s in enumerate(report.sections)
    ]


def fingerprint_of(document: StoredDocument, region: Region | None) -> str:
    """Changes whenever the stored bytes, the parser or the configured region change."""
    key = f"{document.sha256}|{PARSER_VERSION}|{region}|{document.url}|{analysis_fingerprint()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def build_index(corpus: Path, index_path: Path, engine_name: str, regions: dict[str, Region], *,
                rebuild: bool = False, progress: Callable[[str], None] | None = None) -> BuildSummary:
    """Bring the index at `index_path` in line with the corpus; `rebuild` starts from empty."""
    engine = open_engine(engine_name, index_path, create=rebuild or not _exists(index_path))
    try:
        return update_engine(engine, corpus, regions, progress)
    finally:
        engine.close()


def update_engine(engine: Engine, corpus: Path, regions: dict[str, Region],
                  progress: Callable[[str], None] | None = None) -> BuildSummary:
    """Bring an open engine in line with the corpus (the caller opens and closes it)."""
    return _update(engine, read_corpus(corpus), regions, progress or (lambda _: None))


def _exists(index_path: Path) -> bool:
    return Path(index_path).is_dir() and any(Path(index_path).iterdir())


def _update(engine: Engine, documents: Iterable[StoredDocument], regions: dict[str, Region],
            progress: Callable[[str], None]) -> BuildSummary:
    indexed = engine.fingerprints()
    seen: set[str] = set()
    batch: dict[str, list[SectionDoc]] = {}
    added = replaced = unchanged = 0
    failed: list[tuple[str, str]] = []
    for document in documents:
        seen.add(document.doc_id)
        region = regions.get(document.portal)
        fingerprint = fingerprint_of(document, region)
        if indexed.get(document.doc_id) == fingerprint:
            unchanged += 1
            continue
        try:
            report = read_report(document, region)
        except UnsupportedFormat as exc:
            failed.append((str(document.path), str(exc)))
            continue
        except Exception as exc:  # one unreadable file must not stop the batch
            failed.append((str(document.path), f"{type(exc).__name__}: {exc}"))
            continue
        batch[document.doc_id] = section_docs(document.doc_id, report, fingerprint)
        if document.doc_id in indexed:
            replaced += 1
        else:
            added += 1
        progress(f"{report.agency or '?'} {report.year or '?'}")
        if len(batch) >= BATCH_REPORTS:
            engine.replace_reports(batch)
            batch = {}
    gone = [rid for rid in indexed if rid not in seen]
    if batch or gone:
        engine.replace_reports(batch, delete=gone)
    return BuildSummary(added=added, replaced=replaced, removed=len(gone), unchanged=unchanged,
                        failed=tuple(failed))
