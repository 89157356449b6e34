"""The engine seam: what every search engine implements, in engine-neutral records."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer import schema
from indexer.records import ReportRecord, SectionDoc
from indexer.schema import FACET_FIELDS

__all__ = ["FACET_FIELDS", "tally", "Engine", "EngineError", "EngineResult", "IndexLocked", "RebuildNeeded", "ReportHits",
           "ReportRecord", "SectionDoc"]



class EngineError(Exception):
    """An index problem, phrased for the user."""


class RebuildNeeded(EngineError):
    """The index was built by another analysis version or engine."""


class IndexLocked(EngineError):
    """Another process is writing the index."""


def tally(name: str, counts: Mapping) -> dict:
    """One facet as every engine returns it: matching reports per value, empty values (no agency, year 0)
    left out, range values as integers. The one definition of a facet count; engines only tally."""
    ranged = schema.spec(name).match == "range"
    if not ranged:  # keys already distinct: one comprehension (10⁴ agencies per query at country scale)
        return {value: int(count) for value, count in counts.items() if count and value not in ("", None, 0)}
    found: dict = {}
    for value, count in counts.items():
        value = int(value) if value is not None else value
        if count and value not in ("", None, 0):
            found[value] = found.get(value, 0) + int(count)
    return found


@dataclass(frozen=True)
class ReportHits:
    """One report among the results, with its matching sections (best first)."""

    report_id: str
    score: float
    sections: tuple[SectionDoc, ...]


@dataclass(frozen=True)
class EngineResult:
    total_reports: int
    total_sections: int
    reports: tuple[ReportHits, ...]
    facets: dict[str, dict] = field(default_factory=dict)


class Engine(ABC):
    """An index of `SectionDoc`s. Queries are `indexer.query` trees; filters are query `Field`s."""

    name: str

    def __init__(self, path: Path):
        self.path = path

    @abstractmethod
    def replace_reports(self, reports: dict[str, list[SectionDoc]], delete: Iterable[str] = (),
                        records: dict[str, ReportRecord] | None = None) -> None:
        """In one commit: replace each report in `reports` (its sections, and its record from `records`, else
        the one its sections imply), delete reports in `delete`."""

    # "module:function" of a pure, module-level `function(docs: list[SectionDoc]) -> prepared` that computes what
    # the engine's writer needs from one report's sections (tantivy: token streams). The index build runs it in
    # its reader workers (`nianbao index --jobs N`) and hands the results to `replace_prepared`; None: the
    # writer takes section documents as they are.
    preparer: str | None = None
    # Reports the index build writes in one commit. Whoosh merges segments at every commit (batches of 1,000
    # cost it more CPU than 200: README "Benchmarks"); tantivy spends less per report in bigger commits.
    batch_reports: int = 200

    def replace_prepared(self, reports: dict[str, object], delete: Iterable[str] = (),
                         records: dict[str, ReportRecord] | None = None) -> None:
        """`replace_reports` with each report's sections already through `preparer` (as they are without one)."""
        self.replace_reports(reports, delete, records)  # type: ignore[arg-type]

    @abstractmethod
    def fingerprints(self) -> dict[str, str]:
        """report_id → fingerprint of every indexed report."""

    @abstractmethod
    def search(self, query: object, *, offset: int, limit: int, sort: str = "relevance",
               facets: bool = True) -> EngineResult:
        """Reports matching `query` (grouped, paginated) and facet counts of matching reports."""

    def facet_counts(self, query: object, names: tuple[str, ...]) -> dict[str, dict]:
        """The facets `names` of the reports matching `query` (as `search(...).facets`); engines may count only
        those (the multi-select facets of a filtered search ask for one each)."""
        found = self.search(query, offset=0, limit=0, facets=True).facets
        return {name: found.get(name, {}) for name in names}

    @abstractmethod
    def report_sections(self, report_id: str) -> list[SectionDoc]:
        """All sections of one report, in order; empty when unknown."""

    @abstractmethod
    def report_record(self, report_id: str) -> ReportRecord | None:
        """The stored record of one report (every report field); None when unknown."""

    def matching_keys(self, query: object, reports: Collection[str] | None = None) -> set[str]:
        """`doc_key` of every section matching `query` (no ranking, no facets), only of the reports in `reports`
        when given (the bench checks a sample of a large index); engines may do it faster."""
        found = self.search(query, offset=0, limit=10**9, facets=False)
        return {section.doc_key for report in found.reports if reports is None or report.report_id in reports
                for section in report.sections}

    def close(self) -> None:
        """Release files and searchers."""

    # The manifest records what built the index, so a mismatch asks for a rebuild instead of
    # returning silently wrong results (kept by the index store, `indexer.store`).
    def write_manifest(self, fingerprint: str) -> None:
        from indexer.store import write_manifest

        write_manifest(self.path, {"engine": self.name, "analysis": fingerprint})

    def check_manifest(self, fingerprint: str) -> None:
        from indexer.store import read_manifest

        data = read_manifest(self.path)
        if data is None:
            raise RebuildNeeded(f"index at {self.path} has no readable manifest: rebuild needed "
                                "(run `nianbao index --rebuild`)")
        if data.get("engine") != self.name or data.get("analysis") != fingerprint:
            raise RebuildNeeded(f"index at {self.path} was built by {data.get('engine')} with "
                                f"{data.get('analysis')}, this is {self.name} with {fingerprint}: rebuild needed "
                                "(run `nianbao index --rebuild`)")
