"""Search stage, tantivy engine: `indexer.query.Reports` trees (unquoted words anywhere in one report).

Report documents hold all their sections' tokens (sections apart, see `tantivy_docs.SECTION_GAP`), so the
tree matched against them answers "does it hold over the whole report"; their BM25 ranks the reports. The
sections shown are then the matching reports' sections that hold a positive word or phrase, read per hit
from fast fields, and facets are counted over those (every matching report has at least one).
"""
from __future__ import annotations

from tantivy import Query

from indexer import query as q
from indexer.engines.base import EngineResult
from indexer.engines.tantivy.docs import REPORT_KIND, SECTION_KIND
from indexer.engines.tantivy.query import of_kind, translate


def search_whole_reports(engine, searcher, tree: q.Reports, *, offset: int, limit: int, sort: str,
                         facets: bool) -> EngineResult:
    """Reports `tree.child` holds for (best first, or newest with `sort="year"`) with their shown sections."""
    schema = engine.schema
    every = max(1, searcher.num_docs)
    order = {"order_by_field": "year"} if sort == "year" else {}
    found = searcher.search(of_kind(translate(tree.child, schema), REPORT_KIND, schema), limit=every, **order).hits
    report_keys = searcher.fast_field_values("report_id_key", [address for _, address in found])
    scores = dict(zip(report_keys, (score if sort != "year" else 0.0 for score, _ in found)))
    shown = _sections_of(searcher, schema, tree.shown, set(scores))
    unmarked = set(scores) - {key for _, key in shown}
    if unmarked:  # matched without a positive word or phrase (`-word`, a filter in an OR): shown whole
        shown += _sections_of(searcher, schema, None, unmarked)
    page = list(dict.fromkeys(report_keys))[offset:offset + limit]
    hits_of: dict[int, list] = {key: [] for key in page}
    for hit, key in shown:
        if key in hits_of:
            hits_of[key].append(hit)
    reports = tuple(engine._report_hits(searcher, [(scores[key], a) for _, a in sorted(hits_of[key], key=_best)])
                    for key in page)
    addresses = [address for (_, address), _ in shown]
    counts = engine._facet_counts(searcher, addresses, [key for _, key in shown]) if facets else {}
    return EngineResult(total_reports=len(scores), total_sections=len(shown), reports=reports, facets=counts)


def _best(hit: tuple) -> tuple:
    return (-hit[0], hit[1].segment_ord, hit[1].doc)


def _sections_of(searcher, schema, shown: object | None, report_keys: set[int]) -> list[tuple]:
    """((score, address), report key) of the sections matching `shown` (None: every section) in `report_keys`."""
    query = translate(shown, schema) if shown is not None else Query.all_query()
    hits = searcher.search(of_kind(query, SECTION_KIND, schema), limit=max(1, searcher.num_docs)).hits
    keys = searcher.fast_field_values("report_id_key", [address for _, address in hits])
    return [(hit, key) for hit, key in zip(hits, keys) if key in report_keys]
