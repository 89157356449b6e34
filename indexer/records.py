"""Index stage: the two index records, shaped by the vocabulary (`indexer.schema`).

A `ReportRecord` holds every report-level field the reader produced (tables, warnings, publish date,
template, fingerprint included): nothing is lost at the index. A `SectionDoc` (the section record) is one
searchable section carrying its report's scalar fields (`schema.SECTION_DOC_FIELDS`), which engines filter,
facet and sort on. Both read their report fields as attributes (`doc.agency`, `record.published`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer import schema

_REPORT_NAMES = frozenset(s.name for s in schema.REPORT_FIELDS if s.extract is not None or s.name == "fingerprint")
_SECTION_NAMES = frozenset(s.name for s in schema.SECTION_DOC_FIELDS)


def _values(names: frozenset, given: Mapping, kind: str) -> Mapping:
    unknown = set(given) - names
    if unknown:
        raise TypeError(f"{kind} has no field {', '.join(sorted(unknown))}")
    values = {s.name: given.get(s.name, s.default) for s in schema.REPORT_FIELDS if s.name in names}
    # Lists, not tuples: a record reads back from JSON the same as it was written.
    return {name: list(value) if isinstance(value, tuple) else value for name, value in values.items()}


def _attribute(record, name: str):
    values = object.__getattribute__(record, "values")
    if name in values:
        return values[name]
    raise AttributeError(name)


@dataclass(frozen=True, init=False)
class SectionDoc:
    """One indexed section with its report's scalar fields (`values`, also readable as attributes)."""

    report_id: str
    section_no: int
    section: str
    heading: str
    text: str
    values: Mapping = field(compare=True)

    def __init__(self, report_id: str, section_no: int, section: str, heading: str, text: str,
                 values: Mapping | None = None, **report_fields: object):
        object.__setattr__(self, "report_id", report_id)
        object.__setattr__(self, "section_no", section_no)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "heading", heading)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "values", _values(_SECTION_NAMES, {**(values or {}), **report_fields},
                                                   "SectionDoc"))

    __getattr__ = _attribute

    def __hash__(self) -> int:
        return hash((self.report_id, self.section_no, self.text))

    @property
    def doc_key(self) -> str:
        return f"{self.report_id}:{self.section_no}"

    def to_json(self) -> dict:
        return {"report_id": self.report_id, "section_no": self.section_no, "section": self.section,
                "heading": self.heading, "text": self.text, **self.values}

    @classmethod
    def from_json(cls, data: Mapping) -> SectionDoc:
        """The inverse of `to_json`; fields of an older vocabulary are ignored."""
        known = {k: v for k, v in data.items() if k in _SECTION_NAMES}
        return cls(data["report_id"], data["section_no"], data["section"], data["heading"], data["text"], known)


@dataclass(frozen=True)
class ReportRecord:
    """One indexed report: every report-level field of the vocabulary (`values`, also attributes)."""

    report_id: str
    values: Mapping

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _values(_REPORT_NAMES, self.values, "ReportRecord"))

    __getattr__ = _attribute

    def section_fields(self) -> dict:
        """The scalar fields every section document of this report carries."""
        return {name: self.values[name] for name in _SECTION_NAMES}

    def to_json(self) -> dict:
        return {"report_id": self.report_id, **self.values}

    @classmethod
    def from_json(cls, data: Mapping) -> ReportRecord:
        """The inverse of `to_json`; fields of an older vocabulary are ignored."""
        return cls(data["report_id"], {k: v for k, v in data.items() if k in _REPORT_NAMES})

    @classmethod
    def of_sections(cls, sections: list[SectionDoc]) -> ReportRecord:
        """The record implied by a report's section documents (for callers that index sections only)."""
        return cls(sections[0].report_id, dict(sections[0].values))


def report_record(report_id: str, report, fingerprint: str) -> ReportRecord:
    """Every report-level field of `report` (a `indexer.read.report.Report`), by the vocabulary's extractors."""
    values = {s.name: s.extract(report) for s in schema.REPORT_FIELDS if s.extract is not None}
    return ReportRecord(report_id, {**values, "fingerprint": fingerprint})


def section_docs(record: ReportRecord, report) -> list[SectionDoc]:
    """The section documents of one report: one per section, each carrying the record's scalar fields."""
    carried = record.section_fields()
    return [SectionDoc(record.report_id, n, s.key, s.heading, s.text, carried) for n, s in enumerate(report.sections)]
