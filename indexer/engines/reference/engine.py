"""The reference engine: report records and section documents kept as JSON lines, searched by `scan`.

Relevance is corpus order (no ranking); everything else — which sections match, report totals, facet counts,
`sort=year`, pagination — is what every engine must answer alike.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from indexer import schema as vocabulary
from indexer.analysis import analysis_fingerprint
from indexer.engines.base import Engine, EngineError, EngineResult, ReportHits, ReportRecord, SectionDoc
from indexer.engines.reference.scan import facet_counts, prepare, scan
from indexer.store import has_manifest

FORMAT_VERSION = "1"
RECORDS, SECTIONS = "records.jsonl", "sections.jsonl"


class ReferenceEngine(Engine):
    name = "reference"

    def __init__(self, path: Path, *, create: bool = False):
        super().__init__(path)
        fingerprint = f"{analysis_fingerprint()}/{vocabulary.fingerprint()}/reference-{FORMAT_VERSION}"
        if create:
            path.mkdir(parents=True, exist_ok=True)
            self.records: dict[str, ReportRecord] = {}
            self.sections: dict[str, list[SectionDoc]] = {}
            self._save()
            self.write_manifest(fingerprint)
        elif not (path / SECTIONS).is_file():
            if has_manifest(path):
                self.check_manifest(fingerprint)  # another engine's index: say "rebuild needed"
            raise EngineError(f"no index at {path}: build it with `nianbao index`")
        else:
            self.check_manifest(fingerprint)
            self.records = {r.report_id: r for r in map(ReportRecord.from_json, _lines(path / RECORDS))}
            self.sections = {}
            for doc in map(SectionDoc.from_json, _lines(path / SECTIONS)):
                self.sections.setdefault(doc.report_id, []).append(doc)
        self._scanned = prepare(self._all_sections())

    def _all_sections(self) -> list[SectionDoc]:
        return [doc for docs in self.sections.values() for doc in docs]

    def replace_reports(self, reports: dict[str, list[SectionDoc]], delete: Iterable[str] = (),
                        records: dict[str, ReportRecord] | None = None) -> None:
        for report_id in list(delete) + list(reports):
            self.records.pop(report_id, None)
            self.sections.pop(report_id, None)
        for report_id, docs in reports.items():
            if docs:
                self.sections[report_id] = sorted(docs, key=lambda d: d.section_no)
                self.records[report_id] = (records or {}).get(report_id) or ReportRecord.of_sections(docs)
        self._save()
        self._scanned = prepare(self._all_sections())

    def _save(self) -> None:
        """Both files replaced atomically (a reader sees the old or the new corpus, never half of one)."""
        _write_lines(self.path / RECORDS, (r.to_json() for r in self.records.values()))
        _write_lines(self.path / SECTIONS, (d.to_json() for d in self._all_sections()))

    def fingerprints(self) -> dict[str, str]:
        return {report_id: record.fingerprint for report_id, record in self.records.items()}

    def report_sections(self, report_id: str) -> list[SectionDoc]:
        return list(self.sections.get(report_id, ()))

    def report_record(self, report_id: str) -> ReportRecord | None:
        return self.records.get(report_id)

    def search(self, query: object, *, offset: int, limit: int, sort: str = "relevance",
               facets: bool = True) -> EngineResult:
        matches = scan(query, self._scanned)
        grouped: dict[str, list[SectionDoc]] = {}
        for match in matches:
            grouped.setdefault(match.doc.report_id, []).append(match.doc)
        order = list(grouped)
        if sort != "relevance":  # newest first; corpus order within a value
            order.sort(key=lambda rid: -(vocabulary.range_value(sort, getattr(grouped[rid][0], sort)) or 0))
        page = tuple(ReportHits(rid, 0.0, tuple(grouped[rid])) for rid in order[offset:offset + limit])
        return EngineResult(total_reports=len(order), total_sections=len(matches), reports=page,
                            facets=facet_counts(matches) if facets else {})


def _lines(path: Path) -> Iterable[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _write_lines(path: Path, rows: Iterable[dict]) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(partial, path)
