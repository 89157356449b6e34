"""Search stage, batch search: for a list of terms, how many reports and occurrences each has, by year and agency.

Every term is a phrase with KWIC's meaning (`indexer.kwic`): the index narrows the search to the sections
containing it, occurrences are plain non-overlapping substring counts on the normalised text, so a batch
and a concordance of the same term agree. The CLI (`nianbao batch`), the web page, the CSV/JSON exports and
`/api/batch` all call `run_batch`. A term list can be stored under a short content id (`store_terms`) so a
permalink reruns the same list on today's index.
"""
from __future__ import annotations

import bisect
import csv
import functools
import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer import query as q
from indexer.cite import CITATION_COLUMNS, Citer, Position
from indexer.engines import Engine, SectionDoc
from indexer.kwic import clean_phrase
from indexer.normalize import normalize, normalize_with_map
from indexer.search import SearchRequest, build_query

MAX_TERMS = 500
MAX_FILE_BYTES = 256 * 1024
MAX_ROWS = 50_000  # per-report rows kept for export; the counts are always over every report
ALL_REPORTS = 10**7  # one engine call per term: pages of a year-sorted result could skip ties
MAX_STORED_LISTS = 10_000  # a full folder stores nothing more (the caller puts the terms in the URL instead)
_LIST_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class ReportCount:
    """One report a term occurs in: how often, and where first (for a permalink)."""

    doc: SectionDoc   # the section of the first occurrence (with the report's fields)
    occurrences: int
    at: int           # the first occurrence in the section's normalised text
    length: int       # the term's normalised length

    @property
    def values(self) -> Mapping:
        """The report's fields (`title`, `agency`, `url`, …)."""
        return self.doc.values

    @property
    def section(self) -> str:
        return self.doc.section

    @property
    def heading(self) -> str:
        return self.doc.heading

    @property
    def first(self) -> Position:
        """The first occurrence in the section's original text (mapped back only when asked: exports)."""
        origin = _origin_map(self.doc.text)
        begin, stop = origin[self.at], origin[self.at + self.length - 1] + 1
        return Position(self.doc.report_id, self.doc.section_no, begin, stop - begin)


@functools.lru_cache(maxsize=64)
def _origin_map(text: str):
    return normalize_with_map(text)[1]


@dataclass(frozen=True)
class TermCount:
    term: str
    reports: int
    occurrences: int
    by_year: dict[int, list[int]]     # year → [reports, occurrences]
    by_agency: dict[str, list[int]]   # agency → [reports, occurrences]
    rows: tuple[ReportCount, ...] = ()

    def to_json(self, citer: Citer | None = None) -> dict:
        """Counts by year and agency; with a `citer`, also every report (citation fields) it occurs in."""
        reports = {} if citer is None else {"report_rows": [
            {"occurrences": row.occurrences,
             **citer.to_json(row.values, row.section, row.heading, row.first, f'"{self.term}"')}
            for row in self.rows]}
        return {"term": self.term, "reports": self.reports, "occurrences": self.occurrences, **reports,
                "by_year": [{"year": y, "reports": r, "occurrences": o} for y, (r, o) in sorted(self.by_year.items())],
                "by_agency": [{"agency": a, "reports": r, "occurrences": o}
                              for a, (r, o) in sorted(self.by_agency.items(), key=lambda i: (-i[1][1], i[0]))]}


@dataclass(frozen=True)
class BatchResult:
    terms: tuple[TermCount, ...]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    truncated: bool = False  # some per-report rows were left out (MAX_ROWS); counts are complete

    def to_json(self, citer: Citer | None = None) -> dict:
        return {"filters": {k: list(v) for k, v in self.filters.items()}, "truncated": self.truncated,
                "terms": [t.to_json(citer) for t in self.terms]}

    def csv_rows(self, citer: Citer) -> list[list]:
        """One row per (term, report) with the term's totals and the report's citation; terms found nowhere
        have no row (they are in the JSON and on the page with zero counts)."""
        return [[term.term, term.reports, term.occurrences, row.occurrences,
                 *citer.cells(row.values, row.section, row.heading, row.first, f'"{term.term}"')]
                for term in self.terms for row in term.rows]


CSV_COLUMNS = ("词条", "该词报告数", "该词出现次数", "本报告出现次数") + CITATION_COLUMNS


def parse_terms(text: str) -> tuple[str, ...]:
    """One term or phrase per line (blank lines and lines starting with `#` skipped, repeats dropped);
    QueryError naming the line when one is unusable (too long, only quotes), or when there are more than
    MAX_TERMS."""
    terms: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        try:
            terms[clean_phrase(line)] = None
        except q.QueryError as exc:
            raise q.QueryError(f"第 {number} 行：{exc.message}", exc.suggestion) from None
    if not terms:
        raise q.QueryError("请输入要统计的词语或短语，每行一个。", "例如：一窗受理（换行）一网通办。")
    if len(terms) > MAX_TERMS:
        raise q.QueryError(f"词条过多：共 {len(terms)} 条，上限 {MAX_TERMS} 条。", f"请分成几批查询，每批不超过 {MAX_TERMS} 条。")
    return tuple(terms)


def decode_terms_file(data: bytes, filename: str = "") -> str:
    """An uploaded term list as text, one term a line: UTF-8 (with or without BOM), else GB18030 (what Excel on
    Chinese Windows saves); of a `.csv` the first column. QueryError when too large or neither."""
    if len(data) > MAX_FILE_BYTES:
        raise q.QueryError(f"文件过大（上限 {MAX_FILE_BYTES // 1024} KB）。", f"每行一个词，最多 {MAX_TERMS} 行。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if filename.lower().endswith(".csv"):
            text = "\n".join(row[0] for row in csv.reader(io.StringIO(text)) if row)
        return text
    raise q.QueryError("文件无法识别为文本。", "请上传 UTF-8 或 GBK 编码的纯文本（.txt）或单列 CSV 文件。")


def run_batch(engine: Engine, terms: tuple[str, ...], filters: Mapping[str, tuple[str, ...]] | None = None) -> BatchResult:
    """Counts for every term of `terms` (already parsed) in the reports matching `filters`.

    The reports holding any of the terms are read one year at a time, newest first (`candidate_slices`), so a
    batch over a whole country holds one year's candidates in memory, not the corpus (measured: 5.7 GB at
    200,000 synthetic reports when every candidate was read at once). Within a slice each report's normalised
    sections are searched for each term in memory, so a section is read once per batch, not once per term.
    """
    filters = dict(filters or {})
    tallies = [_Tally(term) for term in terms]
    for reports in candidate_slices(engine, terms, filters):
        kept = 0
        for tally in tallies:  # per-report rows: MAX_ROWS in all, the earlier terms first
            tally.add(reports, MAX_ROWS - kept)
            kept += len(tally.rows)
    results = [tally.result() for tally in tallies]
    return BatchResult(terms=tuple(results), filters=filters,
                       truncated=sum(r.reports for r in results) > sum(len(r.rows) for r in results))


@dataclass(frozen=True)
class _Candidate:
    """A report holding at least one term: its matching sections and their normalised texts, joined."""

    sections: tuple[SectionDoc, ...]
    starts: tuple[int, ...]  # where each section begins in `text`
    text: str                # normalised sections joined by _SEPARATOR (no term contains it)


_SEPARATOR = "\x00"


def candidate_slices(engine: Engine, terms: tuple[str, ...], filters: Mapping) -> Iterator[list[_Candidate]]:
    """Every report (matching `filters`) with a section containing one of `terms`, one year at a time: newest
    year first, reports without a year last, as one year-sorted search would list them."""
    phrases = q.Or(tuple(q.Phrase(term) for term in terms)) if len(terms) > 1 else q.Phrase(terms[0])
    narrowed = build_query(SearchRequest(filters=dict(filters)))
    tree = phrases if isinstance(narrowed, q.MatchAll) else q.And((phrases, narrowed))
    found = engine.search(tree, offset=0, limit=0, facets=True)
    by_year = {int(year): count for year, count in found.facets.get("year", {}).items() if count}
    years = [q.Field("year", (year, year)) for year in sorted(by_year, reverse=True)]
    for year in years:
        yield candidate_reports(engine, q.And((tree, year)))
    if found.total_reports > sum(by_year.values()):  # reports without a year (or in a year the facet left out)
        rest = q.And((tree, q.Not(q.Or(tuple(years))))) if years else tree
        yield candidate_reports(engine, rest)


def candidate_reports(engine: Engine, tree: object) -> list[_Candidate]:
    """Every report matching `tree`, newest first, with its matching sections in order, normalised and joined."""
    found = engine.search(tree, offset=0, limit=ALL_REPORTS, sort="year", facets=False)
    candidates = []
    for hit in found.reports:
        sections = tuple(sorted(hit.sections, key=lambda d: d.section_no))
        texts = [normalize(doc.text) for doc in sections]
        starts, at = [], 0
        for text in texts:
            starts.append(at)
            at += len(text) + len(_SEPARATOR)
        candidates.append(_Candidate(sections, tuple(starts), _SEPARATOR.join(texts)))
    return candidates


class _Tally:
    """One term's counts, added up over the slices of candidate reports."""

    def __init__(self, term: str) -> None:
        self.term = term
        self.needle = normalize(term).replace(_SEPARATOR, "")
        self.reports = self.occurrences = 0
        self.by_year: dict[int, list[int]] = {}
        self.by_agency: dict[str, list[int]] = {}
        self.rows: list[ReportCount] = []

    def add(self, reports: list[_Candidate], max_rows: int) -> None:
        """Count the term in `reports`, keeping at most `max_rows` per-report rows in all (the first ones)."""
        del self.rows[max(0, max_rows):]
        needle = self.needle
        for report in reports:
            found = report.text.find(needle) if needle else -1
            if found == -1:
                continue
            count = report.text.count(needle)
            self.reports, self.occurrences = self.reports + 1, self.occurrences + count
            index = bisect.bisect_right(report.starts, found) - 1
            first = report.sections[index]
            for key, table in ((first.year, self.by_year), (first.agency, self.by_agency)):
                if key:
                    slot = table.setdefault(key, [0, 0])
                    slot[0], slot[1] = slot[0] + 1, slot[1] + count
            if len(self.rows) < max_rows:
                self.rows.append(ReportCount(first, count, found - report.starts[index], len(needle)))

    def result(self) -> TermCount:
        return TermCount(self.term, self.reports, self.occurrences, self.by_year, self.by_agency, tuple(self.rows))


def list_id(terms: tuple[str, ...]) -> str:
    """The content id of a term list: the same list always gets the same id."""
    return hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()[:16]


def store_terms(folder: Path, terms: tuple[str, ...]) -> str:
    """Keep `terms` under their content id in `folder` (written once, never changed); returns the id.
    OSError when the folder cannot be written or already holds MAX_STORED_LISTS lists."""
    ident = list_id(terms)
    path = Path(folder) / f"{ident}.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        if sum(1 for _ in zip(range(MAX_STORED_LISTS), path.parent.iterdir())) >= MAX_STORED_LISTS:
            raise OSError(f"{folder} holds {MAX_STORED_LISTS} term lists already")
        temp = path.with_suffix(".tmp")
        temp.write_text("\n".join(terms) + "\n", encoding="utf-8")
        temp.replace(path)
    return ident


def read_terms(folder: Path, ident: str) -> tuple[str, ...]:
    """The stored term list `ident`; QueryError when there is none (or the id is malformed)."""
    path = Path(folder) / f"{ident}.txt"
    if not _LIST_ID.match(ident or "") or not path.is_file():
        raise q.QueryError(f"找不到编号为“{ident[:40]}”的词表。", "请重新粘贴或上传词表。")
    return parse_terms(path.read_text(encoding="utf-8"))
