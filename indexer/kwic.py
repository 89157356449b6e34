"""Search stage, concordance (KWIC): every occurrence of a phrase with its context, and a trend per year.

The index only narrows the search to sections containing the phrase; occurrences are then counted on the
normalised section text (as `str.count` would: non-overlapping), so the numbers a journalist cites are
plain substring counts. Context is cut from the original text, as printed in the report.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer import query as q
from indexer.cite import Position
from indexer.engines import Engine, SectionDoc
from indexer.normalize import normalize, normalize_with_map
from indexer.read.report import SECTION_LABELS
from indexer.search import SearchRequest, build_query

CONTEXT_CHARS = 30
MAX_PHRASE_CHARS = 100
MAX_REPORTS = 5000
MAX_LINES = 20000
KWIC_SORTS = ("year", "agency", "left", "right")


@dataclass(frozen=True)
class KwicLine:
    report_id: str
    title: str
    agency: str
    year: int | None
    section: str
    heading: str
    left: str
    match: str
    right: str
    position: int  # character offset of the match in the section's original text
    section_no: int = 0
    length: int = 0  # characters of the match in the original text (spaces folded by `normalize` included)
    values: Mapping = field(default_factory=dict, compare=False)  # the report's fields, for citations

    @property
    def at(self) -> Position:
        """Where this occurrence is, for a permalink."""
        return Position(self.report_id, self.section_no, self.position, self.length)

    def to_json(self) -> dict:
        return {"report_id": self.report_id, "title": self.title, "agency": self.agency, "year": self.year,
                "section": self.section, "label": SECTION_LABELS.get(self.section, self.section),
                "heading": self.heading, "left": self.left, "match": self.match, "right": self.right,
                "section_no": self.section_no, "offset": self.position, "length": self.length}


@dataclass(frozen=True)
class TrendPoint:
    year: int
    reports: int
    occurrences: int


@dataclass(frozen=True)
class Concordance:
    phrase: str
    lines: tuple[KwicLine, ...]
    total_occurrences: int
    total_reports: int
    trend: tuple[TrendPoint, ...]
    truncated: bool

    def to_json(self) -> dict:
        return {"phrase": self.phrase, "total_occurrences": self.total_occurrences,
                "total_reports": self.total_reports, "truncated": self.truncated,
                "trend": [{"year": t.year, "reports": t.reports, "occurrences": t.occurrences} for t in self.trend],
                "lines": [line.to_json() for line in self.lines]}


def clean_phrase(text: str) -> str:
    """The phrase a KWIC request asks for: quotes and surrounding spaces removed, length checked.

    Quotes delimit phrases in the query language, so they cannot be searched for: they are dropped.
    """
    # A copied sentence keeps the quotes inside it (`推进线上“一网通办”`); only the outer pair goes.
    phrase = text.replace('"', "").strip()
    if len(phrase) > 1 and phrase[0] in "“”" and phrase[-1] in "“”":
        phrase = phrase[1:-1].strip()
    if not phrase:
        raise q.QueryError("请输入要查找的短语。", '例如："一窗受理"。')
    if len(phrase) > MAX_PHRASE_CHARS:
        raise q.QueryError(f"短语过长（{len(phrase)} 字，上限 {MAX_PHRASE_CHARS} 字）。", "请缩短短语。")
    if not normalize(phrase):
        raise q.QueryError("短语只含空白或不可见字符。", '例如："一窗受理"。')
    return phrase


def concordance(engine: Engine, phrase: str, filters: dict[str, tuple[str, ...]] | None = None,
                sort: str = "year", context: int = CONTEXT_CHARS) -> Concordance:
    """Every occurrence of `phrase` in the sections matching it and `filters`, sorted by `sort`."""
    phrase = clean_phrase(phrase)
    if sort not in KWIC_SORTS:
        raise q.QueryError(f"未知的排序方式“{sort}”。", "可用：year、agency、left、right。")
    tree = build_query(SearchRequest(q=f'"{phrase}"', filters=filters or {}))
    found = engine.search(tree, offset=0, limit=MAX_REPORTS, sort="year", facets=False)
    needle = normalize(phrase)
    lines: list[KwicLine] = []
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    reports = 0
    for hit in found.reports:
        occurrences = [line for doc in hit.sections for line in section_lines(doc, needle, context)]
        if not occurrences:
            continue
        reports += 1
        if occurrences[0].year:
            per_year[occurrences[0].year][0] += 1
            per_year[occurrences[0].year][1] += len(occurrences)
        lines.extend(occurrences)
    trend = tuple(TrendPoint(year, r, o) for year, (r, o) in sorted(per_year.items()))
    ordered = sort_lines(lines, sort)
    return Concordance(phrase=phrase, lines=tuple(ordered[:MAX_LINES]), total_occurrences=len(lines),
                       total_reports=reports, trend=trend,
                       truncated=len(lines) > MAX_LINES or found.total_reports > MAX_REPORTS)


def section_lines(doc: SectionDoc, needle: str, context: int = CONTEXT_CHARS) -> list[KwicLine]:
    """One KWIC line per non-overlapping occurrence of the normalised `needle` in `doc`'s text."""
    normalized, origin = normalize_with_map(doc.text)
    lines = []
    start = normalized.find(needle)
    while start != -1 and needle:
        end = start + len(needle)
        begin, stop = origin[start], origin[end - 1] + 1
        lines.append(KwicLine(
            report_id=doc.report_id, title=doc.title, agency=doc.agency, year=doc.year, section=doc.section,
            heading=doc.heading, left=_flat(doc.text[max(0, begin - context):begin]),
            match=_flat(doc.text[begin:stop]), right=_flat(doc.text[stop:stop + context]), position=begin,
            section_no=doc.section_no, length=stop - begin, values=doc.values))
        start = normalized.find(needle, end)
    return lines


def sort_lines(lines: list[KwicLine], sort: str) -> list[KwicLine]:
    """Lines ordered for reading: by year (newest first), agency, or the words left/right of the match."""
    keys = {
        "year": lambda l: (-(l.year or 0), l.agency, l.report_id, l.position),
        "agency": lambda l: (l.agency, -(l.year or 0), l.report_id, l.position),
        # Sorting on the reversed left context groups what immediately precedes the phrase.
        "left": lambda l: (l.left[::-1], l.report_id, l.position),
        "right": lambda l: (l.right, l.report_id, l.position),
    }
    return sorted(lines, key=keys[sort])


def _flat(text: str) -> str:
    """Context on one line: line breaks and runs of spaces become one space."""
    return " ".join(text.split())
