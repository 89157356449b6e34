"""Search stage, tantivy engine: queries whose match is decided per section (two words ANDed, NOT, `section:`).

A report matches when one of its sections does, so report documents cannot answer these. Instead of
materialising every matching section in Python (52,000 hits for `政务 公开 服务` over 20,000 reports),
aggregations return a bucket per matching report (its key and matching-section count; in key ranges when
there are more than one aggregation holds, see `buckets`) and the section facet; report fields for the other facets come from `tantivy_table`. The page is a top-N over
sections, widened until it holds enough distinct reports; only the shown reports' sections are loaded.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import tantivy
from tantivy import Occur, Query

from indexer import schema as vocabulary
from indexer.engines.base import FACET_FIELDS, EngineResult, ReportHits
from indexer.engines.tantivy.buckets import exact_counts, facet_field, gather, named_tally, terms
from indexer.engines.tantivy.docs import from_payload
from indexer.engines.tantivy.reports import page_of, section_facet, threads
from indexer.engines.tantivy.table import ReportTable

_FIRST_TOP_N = 64


def search_by_section(searcher, schema, sections: Query, table: ReportTable, names_of, *, offset: int, limit: int,
                      sort: str, facets: bool, buckets: int) -> EngineResult:
    """Reports with a section matching `sections` (a section-kind query), however many: the matching report
    keys come from aggregations of at most `buckets` buckets each (`buckets.exact_counts`).

    `names_of(field, keys)` maps facet keys back to their strings (BeyondAggregation for one it cannot).
    """
    wanted = {"n": {"value_count": {"field": "year"}}, "reports": terms("report_id_key", buckets)}
    if facets:
        wanted["section"] = terms("section_key", buckets)
    aggregation = threads().submit(gather, searcher, sections, wanted)  # tantivy releases the GIL
    ranked = _ranked_reports(searcher, sections, offset + limit)[offset:] if sort != "year" else []
    per_report = aggregation.result()
    found = exact_counts(searcher, schema, sections, "report_id_key", buckets, expected=len(table.keys),
                         first=per_report.get("reports"))
    report_keys = np.fromiter(found, dtype=np.uint64, count=len(found))
    rows = table.rows(report_keys)
    shown = _page_by_year(searcher, schema, sections, table.columns["year"][rows], offset, limit) \
        if sort == "year" else ranked
    counts = {}
    if facets:
        counts = _report_facets(table, rows, names_of)
        counts["section"] = section_facet(searcher, schema, sections, per_report, buckets, names_of)
    return EngineResult(total_reports=len(found), total_sections=int(per_report["n"]["value"] or 0),
                        reports=_page(searcher, schema, sections, shown), facets=counts)


def _ranked_reports(searcher, sections: Query, wanted: int) -> list[tuple[int, float, object]]:
    """The first `wanted` (report key, best section score, its address) in relevance order: a top-N over
    sections, widened until it holds `wanted` distinct reports or every matching section."""
    top_n = max(_FIRST_TOP_N, 4 * wanted)
    while True:
        hits = searcher.search(sections, limit=top_n, count=False).hits
        keys = searcher.fast_field_values("report_id_key", [address for _, address in hits])
        best: dict[int, tuple[int, float, object]] = {}
        for (score, address), key in zip(hits, keys):
            if key not in best:
                best[key] = (key, score, address)
        if len(best) >= wanted or len(hits) < top_n:
            return list(best.values())[:wanted]
        top_n *= 4


def _page_by_year(searcher, schema, sections: Query, years: np.ndarray, offset: int, limit: int) -> list:
    """Newest year first (unknown years last), by relevance within a year: only the years the page spans
    are searched, each for as many reports as the page takes from it."""
    shown = []
    start = 0
    for year, count in sorted(Counter(years.tolist()).items(), key=lambda item: -item[0]):
        first, last = max(offset, start), min(offset + limit, start + count)
        if first < last:
            in_year = Query.boolean_query([(Occur.Must, sections), (Occur.Must, Query.range_query(
                schema, "year", tantivy.FieldType.Integer, year, year))])
            shown += _ranked_reports(searcher, in_year, last - start)[first - start:]
        start += count
        if start >= offset + limit:
            break
    return shown


def _page(searcher, schema, sections: Query, shown: list[tuple[int, float, object]]) -> tuple[ReportHits, ...]:
    """The shown reports with all their matching sections, best first (ids read from each best hit)."""
    report_ids = [from_payload(searcher.doc(address)["payload"][0]).report_id for _, _, address in shown]
    return page_of(searcher, schema, sections, report_ids, [score for _, score, _ in shown])


def _report_facets(table: ReportTable, rows: np.ndarray, names_of) -> dict[str, dict]:
    counts: dict[str, dict] = {}
    for name in FACET_FIELDS:
        spec = vocabulary.spec(name)
        if spec.level == "section":
            continue
        values, numbers = np.unique(table.columns[facet_field(name)][rows], return_counts=True)
        counts[name] = named_tally(name, dict(zip(values.tolist(), numbers.tolist())), names_of)
    return counts
