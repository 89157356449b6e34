"""Search stage, report detail: one indexed report with its sections, stored original and other years.

The report viewer and `/api/reports/<id>` read this; it joins the index (sections, metadata) with the
corpus (the file as fetched) without ever leaving the corpus folder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from crawler.corpus import RECORD_NAME, StoredDocument, read_document
from indexer import query as q
from indexer.engines import Engine
from indexer.read.report import SECTION_LABELS
from indexer.records import ReportRecord, SectionDoc
from indexer.schema import REPORT_FIELDS

# Report ids are corpus doc ids (hex digests); anything else cannot name a corpus folder.
_REPORT_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
MAX_OTHER_YEARS = 50

# The type we send is chosen by the stored file's extension, never by the (untrusted) fetch record;
# no charset: many portals serve GBK, and the bytes are sent exactly as fetched.
DOWNLOAD_TYPES = {
    "html": "text/html", "htm": "text/html", "pdf": "application/pdf",
    "doc": "application/msword", "wps": "application/vnd.ms-works",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain", "md": "text/markdown",
}


@dataclass(frozen=True)
class OtherYear:
    report_id: str
    year: int | None
    title: str


# Report fields with a place of their own in the JSON shape; the other report fields follow `template`.
_DETAIL_SHAPED = ("report_id", "title", "agency", "year", "province", "city", "county", "url", "template",
                  "fingerprint")


def report_extras() -> tuple:
    """Report fields the detail JSON carries after `template` (those without a place of their own)."""
    return tuple(s for s in REPORT_FIELDS if s.name not in _DETAIL_SHAPED and (s.extract is not None))


@dataclass(frozen=True)
class ReportDetail:
    """One report: its record (every report field, also readable as attributes), sections, original, others."""

    record: ReportRecord
    sections: tuple[SectionDoc, ...]
    document: StoredDocument | None
    other_years: tuple[OtherYear, ...]

    def __getattr__(self, name: str):
        return getattr(object.__getattribute__(self, "record"), name)

    @property
    def download_type(self) -> str:
        """Content type of the stored original, from its extension."""
        suffix = self.document.path.suffix.lstrip(".").lower() if self.document else ""
        return DOWNLOAD_TYPES.get(suffix, "application/octet-stream")

    @property
    def download_name(self) -> str:
        """A readable file name for the stored original (agency, year, original extension)."""
        stem = "-".join(str(p) for p in (self.agency, self.year) if p) or self.report_id
        stem = re.sub(r'[\\/:*?"<>|\s]+', "_", stem)
        return f"{stem}{self.document.path.suffix if self.document else ''}"

    def to_json(self) -> dict:
        return {
            "report_id": self.report_id, "title": self.title, "agency": self.agency, "year": self.year,
            "region": {"province": self.province or None, "city": self.city or None, "county": self.county or None},
            "url": self.url or None, "template": self.template,
            **{s.name: self.record.values.get(s.name) for s in report_extras()},
            "original": None if self.document is None else {
                "content_type": self.download_type, "fetched_at": self.document.fetched_at,
                "sha256": self.document.sha256, "filename": self.download_name},
            "sections": [{"section": s.section, "label": SECTION_LABELS.get(s.section, s.section),
                          "heading": s.heading, "text": s.text} for s in self.sections],
            "other_years": [{"report_id": o.report_id, "year": o.year, "title": o.title} for o in self.other_years],
        }


def valid_report_id(report_id: str) -> bool:
    """True when `report_id` could name a corpus folder (no separators, dots or other path tricks)."""
    return bool(_REPORT_ID.match(report_id or ""))


def read_report_detail(engine: Engine, corpus: Path, report_id: str) -> ReportDetail | None:
    """The indexed report `report_id` with its stored original and other years, or None when unknown."""
    if not valid_report_id(report_id):
        return None
    record = engine.report_record(report_id)
    if record is None:
        return None
    return ReportDetail(record=record, sections=tuple(engine.report_sections(report_id)),
                        document=find_document(corpus, report_id), other_years=other_years(engine, record))


def find_document(corpus: Path, report_id: str) -> StoredDocument | None:
    """The corpus document with id `report_id` (its file guaranteed inside `corpus`), or None."""
    if not valid_report_id(report_id):
        return None
    root = Path(corpus).resolve()
    for record in sorted(root.glob(f"*/{report_id}/{RECORD_NAME}")):
        document = read_document(record.parent)
        if document is not None and document.path.resolve().is_relative_to(root):
            return document
    return None


def other_years(engine: Engine, report: ReportRecord) -> tuple[OtherYear, ...]:
    """The same agency's other reports, newest first."""
    if not report.agency:
        return ()
    found = engine.search(q.Field("agency", report.agency), offset=0, limit=MAX_OTHER_YEARS, sort="year",
                          facets=False)
    others = []
    for hit in found.reports:
        first = hit.sections[0]
        # The agency filter matches substrings: keep exact namesakes only.
        if hit.report_id != report.report_id and first.agency == report.agency:
            others.append(OtherYear(hit.report_id, first.year, first.title))
    return tuple(others)
