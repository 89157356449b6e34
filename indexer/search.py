"""Search stage: SearchRequest → SearchResult (grouped hits, highlighted snippets, facets).

The one search function the CLI, the web pages and the JSON API all call.
"""
from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from indexer import query as q, schema
from indexer.engines import Engine
from indexer.interpret import Interpretation, interpret
from indexer.normalize import normalize, normalize_with_map
from indexer.read.report import SECTION_LABELS
from indexer.records import SectionDoc
from indexer.schema import EXPORTED_REPORT_FIELDS, FACET_FIELDS, FILTER_FIELDS, SORTS

SNIPPET_CONTEXT = 60
WITHIN = ("report", "section")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    facets: bool = True  # False skips facet counting (bench, callers that show no facets)
    within: str = "report"  # where unquoted words must all occur: one report, or one section (WITHIN)
    literal: tuple[str, ...] = ()  # words kept as text even where they name a region or agency of the index
    interpret: bool = True  # False: no word is read as a filter (see indexer.interpret)


@dataclass(frozen=True)
class SectionHit:
    section: str
    heading: str
    snippet: str  # HTML: escaped text with <mark> around matches
    section_no: int | None = None  # which section of the report (for citations: `indexer.cite.Position`)

    def to_json(self) -> dict:
        return {"section": self.section, "label": SECTION_LABELS.get(self.section, self.section),
                "heading": self.heading, "snippet": self.snippet}


# Hit fields with a place of their own in the JSON shape; other exported report fields follow `url`.
_HIT_SHAPED = ("report_id", "title", "agency", "year", "province", "city", "county", "url")


def hit_extras() -> tuple:
    """Exported report fields a hit's JSON carries after `url` (those without a place of their own)."""
    return tuple(s for s in EXPORTED_REPORT_FIELDS if s.name not in _HIT_SHAPED)


@dataclass(frozen=True)
class ReportHit:
    """One report among the results: its report fields (`values`, also attributes) and matching sections."""

    report_id: str
    values: dict
    score: float
    sections: tuple[SectionHit, ...]

    def __getattr__(self, name: str):
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    def to_json(self) -> dict:
        extra = {s.name: self.values.get(s.name) or None for s in hit_extras()}
        return {"report_id": self.report_id, "title": self.title, "agency": self.agency, "year": self.year,
                "region": {"province": self.province or None, "city": self.city or None,
                           "county": self.county or None},
                "url": self.url, **extra, "score": round(self.score, 4),
                "sections": [s.to_json() for s in self.sections]}


class FacetValue(NamedTuple):
    """One value of a facet (a named tuple, not a dataclass: a country-wide agency facet has 10⁴ of them per
    query, and a frozen dataclass costs several times more to build)."""
    value: str | int
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    total_sections: int
    hits: tuple[ReportHit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    interpreted: tuple[Interpretation, ...] = ()  # query words read as filters (shown, removable)
    # Multi-select facets: each filtered facet field counted under every filter but its own, so the values
    # not picked stay visible with the reports they would add (`year=2017` still shows 2020 and its count).
    facets_without_own_filter: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)

    def facet_choices(self) -> dict[str, tuple[FacetValue, ...]]:
        """What a facet list shows: `facets`, with filtered fields counted without their own filter."""
        return {**self.facets, **self.facets_without_own_filter}

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def to_json(self) -> dict:
        return {
            "query": self.request.q, "total": self.total, "total_sections": self.total_sections,
            "page": self.request.page, "per_page": self.request.per_page, "sort": self.request.sort,
            "hits": [h.to_json() for h in self.hits],
            "facets": {name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                       for name, values in self.facets.items()},
            "within": self.request.within, "interpreted": [i.to_json() for i in self.interpreted],
            "facets_without_own_filter": {name: [{"value": v.value, "label": v.label, "count": v.count}
                                                 for v in values]
                                          for name, values in self.facets_without_own_filter.items()},
        }


def build_query(request: SearchRequest) -> object:
    """The user's query combined with the request's facet filters (OR within a field, AND across)."""
    return combine(q.parse_query(request.q), request.filters, request.within)


def combine(text: object, filters: dict[str, tuple[str, ...]], within: str = "report") -> object:
    """A parsed query AND each filter field (its values ORed), matched over reports or sections (`within`)."""
    clauses = [] if isinstance(text, q.MatchAll) else [text]
    for name in FILTER_FIELDS:
        options = [q.field_filter(name, str(value)) for value in filters.get(name) or () if str(value)]
        if options:
            clauses.append(options[0] if len(options) == 1 else q.Or(tuple(options)))
    if not clauses:
        return q.MatchAll()
    tree = clauses[0] if len(clauses) == 1 else q.And(tuple(clauses))
    return q.over_reports(tree) if within == "report" else tree


def search(engine: Engine, request: SearchRequest) -> SearchResult:
    """Run `request` against `engine`: grouped hits with snippets, facets over all matches.

    Words naming a region or agency of the index become filters (`SearchResult.interpreted`), and the
    facet of each filtered field is counted without that field's own filter, so its other values stay
    visible with the counts they would add (multi-select facets).
    """
    if request.sort not in SORTS:
        raise q.QueryError(f"未知的排序方式“{request.sort}”。", "可用：relevance（相关度）、year（年份）。")
    if request.within not in WITHIN:
        raise q.QueryError(f"未知的匹配范围“{request.within}”。", "可用：report（同一份报告）、section（同一章节）。")
    per_page = max(1, min(request.per_page, MAX_PER_PAGE))
    page = max(1, request.page)
    request = dataclasses.replace(request, page=page, per_page=per_page)
    text = q.parse_query(request.q)
    text, interpreted = interpret(engine, text, request.literal) if request.interpret else (text, ())
    filters = with_readings(request.filters, interpreted)
    tree = combine(text, filters, request.within)
    found = engine.search(tree, offset=(page - 1) * per_page, limit=per_page, sort=request.sort,
                          facets=request.facets)
    own_free = _own_field_free_counts(engine, text, filters, request.within) if request.facets else {}
    terms = highlight_terms(tree)
    hits = tuple(_report_hit(r.report_id, r.score, r.sections, terms) for r in found.reports)
    return SearchResult(request=request, total=found.total_reports, total_sections=found.total_sections,
                        hits=hits, facets=_facets(found.facets, filters), interpreted=interpreted,
                        facets_without_own_filter=_facets(own_free, filters, only=tuple(own_free)))


def with_readings(filters: dict[str, tuple[str, ...]], interpreted: tuple[Interpretation, ...]) -> dict:
    """The request's filters plus the values its query words were read as."""
    merged = {name: tuple(values) for name, values in filters.items()}
    for reading in interpreted:
        merged[reading.field] = tuple(dict.fromkeys(merged.get(reading.field, ()) + (reading.value,)))
    return merged


def _own_field_free_counts(engine: Engine, text: object, filters: dict, within: str) -> dict[str, dict]:
    """For each filtered facet field, its counts under every filter but its own."""
    counts = {}
    for name in FACET_FIELDS:
        if filters.get(name):
            others = {k: v for k, v in filters.items() if k != name}
            tree = combine(text, others, within)
            counts[name] = engine.facet_counts(tree, (name,))[name]
    return counts


def highlight_terms(tree: object) -> tuple[str, ...]:
    """Normalised strings whose occurrences are highlighted: positive phrases and query words."""
    from indexer.analysis import query_words

    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, q.Phrase):
            found.append(normalize(node.text))
        elif isinstance(node, q.Words):
            found.extend(query_words(node.text))  # exactly the pieces the engine matched
        elif isinstance(node, (q.And, q.Or)):
            for child in node.children:
                walk(child)
        elif isinstance(node, q.Reports):
            for required in node.required:
                walk(required)

    walk(tree)
    return tuple(t for t in dict.fromkeys(found) if t)


def _report_hit(report_id: str, score: float, sections: tuple[SectionDoc, ...], terms: tuple[str, ...]) -> ReportHit:
    first = sections[0]
    return ReportHit(
        report_id=report_id, values=dict(first.values), score=score,
        sections=tuple(SectionHit(s.section, s.heading, snippet(s.text, terms), s.section_no) for s in sections),
    )


def match_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the original `text` whose normalised form equals one of `terms`, merged where they overlap."""
    normalized, origin = normalize_with_map(text)
    spans = []
    for term in terms:
        start = normalized.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = normalized.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [(origin[s], origin[e - 1] + 1) for s, e in merged]


def snippet(text: str, terms: tuple[str, ...], context: int = SNIPPET_CONTEXT) -> str:
    """An escaped window of `text` around its first match, matches wrapped in <mark>."""
    spans = match_spans(text, terms)
    if not spans:
        cut = text[: 2 * context]
        return html.escape(cut) + ("…" if len(text) > len(cut) else "")
    start = max(0, spans[0][0] - context)
    end = min(len(text), spans[0][1] + 2 * context)
    return ("…" if start > 0 else "") + highlight(text[start:end], [(s - start, e - start) for s, e in spans
                                                                    if s >= start and e <= end]) + (
        "…" if end < len(text) else "")


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """Escape `text`, wrapping each (start, end) span in <mark>."""
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _facets(counts: dict[str, dict], filters: dict, only: tuple[str, ...] = FACET_FIELDS
            ) -> dict[str, tuple[FacetValue, ...]]:
    result = {}
    for name in only:
        selected = {str(v) for v in filters.get(name, ())}
        values = counts.get(name, {})
        labels = schema.spec(name).labels()
        # Ranges (years) read newest first; other facets by count, then value: two stable sorts over (value,
        # count) pairs, FacetValues built once in order (10⁴ agencies per query at country scale).
        order = sorted(values.items(), key=lambda item: str(item[0]))
        if schema.spec(name).match == "range":
            order.sort(key=lambda item: (-item[0] if isinstance(item[0], int) else 0, -item[1]))
        else:
            order.sort(key=itemgetter(1), reverse=True)  # stable: equal counts keep the value order
        result[name] = tuple(FacetValue(v, labels.get(v, str(v)), c, str(v) in selected) for v, c in order)
    return result
