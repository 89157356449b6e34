"""Search stage, tantivy engine: the report-document path for queries `tantivy_query.report_level` accepts.

Totals and facet counts come from tantivy aggregations over report documents (one per report, so a
document count is a report count; `buckets` keeps them exact past an aggregation's limit), the page from a top-N over them; no per-hit Python work, which is
what makes broad phrases (`"公开"` matches every report) fast. Only the shown reports' sections are read.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tantivy import Occur, Query

from indexer import schema as vocabulary
from indexer.engines.base import FACET_FIELDS, EngineResult, ReportHits, SectionDoc
from indexer.engines.tantivy.buckets import facet_counts, facet_field, gather, terms
from indexer.engines.tantivy.docs import MAX_SECTIONS_PER_REPORT, REPORT_KIND, SECTION_KIND, from_payload
from indexer.engines.tantivy.query import of_kind, translate


class BeyondAggregation(Exception):
    """Data aggregations cannot name (a facet value too long to be a term, a report without its report
    document): the engine then counts per hit instead. Never raised for the number of matches or values
    (`buckets` cuts those into pieces)."""


_REPORT_FACETS = tuple(name for name in FACET_FIELDS if vocabulary.spec(name).level == "report")


def search_by_report(searcher, schema, tree: object, *, offset: int, limit: int, sort: str, facets: bool,
                     buckets: int, names_of) -> EngineResult:
    """Same answer as the per-section path, for report-level queries. `buckets`: the most one aggregation holds;
    `names_of(field, keys)`: facet keys back to strings."""
    query = translate(tree, schema)
    return search_documents(searcher, schema, of_kind(query, REPORT_KIND, schema), of_kind(query, SECTION_KIND, schema),
                            offset=offset, limit=limit, sort=sort, facets=facets, buckets=buckets, names_of=names_of)


def report_facets(searcher, schema, tree: object, names: tuple[str, ...], *, buckets: int, names_of) -> dict | None:
    """Only the report facets `names` of a report-level query: one aggregation pass over report documents, no
    section pass and no page; None when a name is not a report facet (the caller searches in full)."""
    if any(name not in _REPORT_FACETS for name in names):
        return None
    reports = of_kind(translate(tree, schema), REPORT_KIND, schema)
    first = gather(searcher, reports, {name: terms(facet_field(name), buckets) for name in names})
    return facet_counts(searcher, schema, reports, names, first, buckets, names_of)


def search_documents(searcher, schema, reports: Query, sections: Query, *, offset: int, limit: int, sort: str,
                     facets: bool, buckets: int, names_of, shown: Query | None = None, found=None) -> EngineResult:
    """The answer when the matching reports are the report documents `reports` matches, and their matching
    sections the section documents `sections` matches (`buckets`, `names_of` as for `search_by_report`).
    `shown`: a cheaper query the shown reports' matching sections also meet (default `sections`); `found`: the
    page of `reports` with its count, when the caller already searched it."""
    # Three passes over the postings: tantivy releases the GIL, so they run side by side on both cores.
    wanted = {"n": {"value_count": {"field": "year"}}, **({"section": terms("section_key", buckets)} if facets else {})}
    section_aggs = threads().submit(gather, searcher, sections, wanted)
    report_aggs = threads().submit(gather, searcher, reports, {name: terms(facet_field(name), buckets)
                                                               for name in _REPORT_FACETS}) if facets else None
    if found is None:
        found = report_page(searcher, reports, offset=offset, limit=limit, sort=sort)
    hits = found.hits[:limit]  # tantivy returns one hit for limit 0 (a count-only search, as `interpret` makes)
    report_ids = [json.loads(searcher.doc(address)["payload"][0])["report_id"] for _, address in hits]
    scores = [score if sort != "year" else 0.0 for score, _ in hits]
    page = page_of(searcher, schema, sections if shown is None else shown, report_ids, scores)
    counts = {}
    if facets:
        counts = facet_counts(searcher, schema, reports, _REPORT_FACETS, report_aggs.result(), buckets, names_of)
        counts["section"] = section_facet(searcher, schema, sections, section_aggs.result(), buckets, names_of)
    return EngineResult(total_reports=found.count, total_sections=int(section_aggs.result()["n"]["value"] or 0),
                        reports=page, facets=counts)


def report_page(searcher, reports: Query, *, offset: int, limit: int, sort: str):
    """The page of report documents `reports` matches (best first, or newest with `sort="year"`), with their count."""
    order = {"order_by_field": "year"} if sort == "year" else {}
    return searcher.search(reports, limit=max(1, limit), offset=offset, count=True, **order)


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def threads() -> ThreadPoolExecutor:
    """Threads for the aggregation passes, started on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="nianbao-tantivy")
        return _pool


def section_facet(searcher, schema, sections: Query, aggs: dict, buckets: int, names_of) -> dict:
    """Reports per section key: matching sections per key, less the extra ones where a report repeats a key.

    `aggs`: `buckets.gather` with `"section": terms("section_key", buckets)`."""
    counts = Counter(facet_counts(searcher, schema, sections, ("section",), aggs, buckets, names_of)["section"])
    if searcher.doc_freq("repeat", "1"):  # rare: a report with two sections of one key
        repeated = _boolean(sections, Query.term_query(schema, "repeat", "1"))
        involved = sorted({_load(searcher, address).report_id for _, address in _all(searcher, repeated)})
        if involved:
            theirs = _boolean(sections, Query.term_set_query(schema, "report_id", involved))
            pairs = Counter((d.report_id, d.section) for d in (_load(searcher, a) for _, a in _all(searcher, theirs)))
            for (_, key), n in pairs.items():
                counts[key] -= n - 1
    return dict(+counts)


def _all(searcher, query: Query) -> list:
    return searcher.search(query, limit=max(1, searcher.num_docs)).hits


def _load(searcher, address):
    return from_payload(searcher.doc(address)["payload"][0])


def page_of(searcher, schema, sections: Query, report_ids: list[str], scores: list[float]) -> tuple[ReportHits, ...]:
    """The shown reports (in the given order, with their scores) and all their sections matching `sections`."""
    if not report_ids:
        return ()
    shown = _boolean(sections, Query.term_set_query(schema, "report_id", report_ids))
    grouped: dict[str, list] = {rid: [] for rid in report_ids}
    bound = max(1, min(searcher.num_docs, MAX_SECTIONS_PER_REPORT * len(report_ids)))  # tantivy reserves it
    for score, address in searcher.search(shown, limit=bound).hits:
        doc = _load(searcher, address)
        grouped[doc.report_id].append((score, doc))
    return tuple(ReportHits(rid, score, best_first(grouped[rid])) for rid, score in zip(report_ids, scores)
                 if grouped[rid])


def best_first(scored: list[tuple[float, SectionDoc]]) -> tuple[SectionDoc, ...]:
    """One report's matching sections, best first; equal scores in reading order, not in document-address order
    (which differs between builds: tantivy's indexing threads place documents as they come)."""
    return tuple(doc for _, doc in sorted(scored, key=lambda pair: (-pair[0], pair[1].section_no)))


def _boolean(*must: Query) -> Query:
    return Query.boolean_query([(Occur.Must, m) for m in must])
