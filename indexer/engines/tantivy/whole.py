"""Search stage, tantivy engine: `indexer.query.Reports` trees (unquoted words anywhere in one report).

When every requirement is one word or phrase with report filters (`tantivy_query.report_level`), "some
section meets it" is "the report document matches it": the reports are the report documents matching all
requirements, and the sections are those matching any, restricted to those reports by id (or, when most
reports match, to all but the others); the shown page's sections are read by the page's ids alone. The
aggregation path of `tantivy_reports` then answers (measured on `政务 公开 服务` over 2,000 reports: the per-hit path took
≈ 1 s). Otherwise (a `-word` in the requirements) each requirement is matched on section documents and its
hits' report keys read from fast fields, and reports are ranked by their best section, as in Whoosh.
"""
from __future__ import annotations

import functools

from tantivy import Occur, Query

from indexer import query as q
from indexer.engines.base import EngineResult
from indexer.engines.tantivy.docs import REPORT_KIND, SECTION_KIND
from indexer.engines.tantivy.query import of_kind, report_level, translate
from indexer.engines.tantivy.reports import BeyondAggregation, report_page, search_documents


def search_whole_reports(engine, searcher, tree: q.Reports, *, offset: int, limit: int, sort: str,
                         facets: bool) -> EngineResult:
    """Reports meeting every requirement of `tree` (best first, or newest with `sort="year"`), with the sections
    that met one."""
    if all(report_level(required) for required in tree.required):
        try:
            return _on_report_documents(engine, searcher, tree, offset=offset, limit=limit, sort=sort, facets=facets)
        except BeyondAggregation:
            pass
    return _per_hit(engine, searcher, tree, offset=offset, limit=limit, sort=sort, facets=facets)


def _on_report_documents(engine, searcher, tree: q.Reports, *, offset: int, limit: int, sort: str,
                         facets: bool) -> EngineResult:
    schema = engine.schema
    each = [translate(required, schema) for required in tree.required]
    reports = of_kind(Query.boolean_query([(Occur.Must, query) for query in each]), REPORT_KIND, schema)
    # The page of reports also counts them: that count decides how `_of_reports` names them (one pass less).
    found = report_page(searcher, reports, offset=offset, limit=limit, sort=sort)
    any_one = Query.boolean_query([(Occur.Should, query) for query in each])
    sections = of_kind(Query.boolean_query([(Occur.Must, any_one),
                                            (Occur.Must, _of_reports(engine, searcher, reports, found.count))]),
                       SECTION_KIND, schema)
    return search_documents(searcher, schema, reports, sections, shown=of_kind(any_one, SECTION_KIND, schema),
                            buckets=engine.buckets, names_of=functools.partial(engine._names_of, searcher),
                            offset=offset, limit=limit, sort=sort, facets=facets, found=found)


def _of_reports(engine, searcher, reports: Query, matching: int) -> Query:
    """The documents of the `matching` reports whose report document `reports` matches, naming the fewer report
    ids: those reports, or (when most reports match, as common words do) all but the others. A term set of
    thousands of ids made the section aggregation ten times slower (measured on `政务 公开 服务` over 3,000
    reports)."""
    every = Query.term_query(engine.schema, "kind", REPORT_KIND)
    if 2 * matching <= searcher.doc_freq("kind", REPORT_KIND):
        return Query.term_set_query(engine.schema, "report_id", _ids(engine, searcher, reports))
    others = Query.boolean_query([(Occur.Must, every), (Occur.MustNot, reports)])
    return Query.boolean_query([(Occur.Must, Query.all_query()),
                                (Occur.MustNot, Query.term_set_query(engine.schema, "report_id",
                                                                     _ids(engine, searcher, others)))])


def _ids(engine, searcher, query: Query) -> list[str]:
    """The report ids of the report documents `query` matches."""
    found = searcher.search(query, limit=max(1, searcher.num_docs), count=False).hits
    keys = searcher.fast_field_values("report_id_key", [address for _, address in found])
    names = engine._names_of(searcher, "report_id", keys)
    return sorted({names[key] for key in keys})


def _per_hit(engine, searcher, tree: q.Reports, *, offset: int, limit: int, sort: str, facets: bool) -> EngineResult:
    hits: dict[tuple, tuple] = {}  # (segment, doc) → (score, address, report key)
    reports: set[int] | None = None
    for required in tree.required:
        found = _matches(searcher, engine.schema, required)
        keys = {key for _, _, key in found}
        reports = keys if reports is None else reports & keys
        for score, address, key in found:
            place = (address.segment_ord, address.doc)
            if place not in hits or hits[place][0] < score:
                hits[place] = (score, address, key)
        if not reports:
            return EngineResult(total_reports=0, total_sections=0, reports=(),
                                facets=engine._facet_counts(searcher, [], []) if facets else {})
    shown = sorted((hit for hit in hits.values() if hit[2] in reports),
                   key=lambda hit: (-hit[0], hit[1].segment_ord, hit[1].doc))
    order = list(dict.fromkeys(key for _, _, key in shown))  # by their best section
    if sort == "year":
        year_of = dict(zip([key for _, _, key in shown],
                           searcher.fast_field_values("year", [address for _, address, _ in shown])))
        order.sort(key=lambda key: -(year_of[key] or 0))
    page = order[offset:offset + limit]
    sections: dict[int, list] = {key: [] for key in page}
    for score, address, key in shown:
        if key in sections:
            sections[key].append((score if sort != "year" else 0.0, address))
    addresses = [address for _, address, _ in shown]
    return EngineResult(total_reports=len(order), total_sections=len(shown),
                        reports=tuple(engine._report_hits(searcher, sections[key]) for key in page),
                        facets=engine._facet_counts(searcher, addresses, [key for _, _, key in shown]) if facets else {})


def _matches(searcher, schema, tree: object) -> list[tuple]:
    """(score, address, report key) of every section matching `tree`."""
    hits = searcher.search(of_kind(translate(tree, schema), SECTION_KIND, schema), limit=max(1, searcher.num_docs)).hits
    keys = searcher.fast_field_values("report_id_key", [address for _, address in hits])
    return [(score, address, key) for (score, address), key in zip(hits, keys)]
