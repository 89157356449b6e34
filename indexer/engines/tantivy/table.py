"""Search stage, tantivy engine: the report fields of every report, as numpy columns, per commit.

Queries answered per section (two words ANDed, NOT, `section:`) learn *which* reports match from one
aggregation (a bucket per report key); their facet counts then need each report's year, agency and
region. Reading those per query from fast fields costs more than the search, so they are read once
per commit into sorted columns and looked up with `searchsorted`.

Every commit writes a stamp document with a fresh token (`stamp_document`); a searcher sees exactly one
stamp, so a table is reused only by searchers of the commit it was read from, whichever process wrote.
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

import numpy as np
import tantivy
from tantivy import Query

from indexer import schema as vocabulary
from indexer.engines.tantivy.docs import REPORT_KIND, STAMP_KIND
from indexer.engines.tantivy.reports import BeyondAggregation

# The report facets (ranges as their integers, text as u64 keys) and the `sort=` fields.
REPORT_COLUMNS = tuple(dict.fromkeys(
    [s.name if s.match == "range" else f"{s.name}_key" for s in vocabulary.FIELDS if s.facet and s.level == "report"]
    + [name for name in vocabulary.SORTS if name != "relevance"]))


def stamp_document():
    """The document marking one commit (the writer deletes the previous one in the same commit)."""
    out = tantivy.Document()
    out.add_text("kind", STAMP_KIND)
    out.add_text("stamp", uuid.uuid4().hex)
    return out


def commit_stamp(searcher, schema) -> str | None:
    """The token of the commit `searcher` reads; None for an index written before stamps existed."""
    found = searcher.search(Query.term_query(schema, "kind", STAMP_KIND), limit=1, count=False).hits
    if not found:
        return None
    return searcher.doc(found[0][1])["stamp"][0]


@dataclass(frozen=True)
class ReportTable:
    keys: np.ndarray  # report_id_key of every report, sorted (uint64)
    columns: dict[str, np.ndarray]  # REPORT_COLUMNS, aligned with keys

    def rows(self, report_keys: np.ndarray) -> np.ndarray:
        """Row of each report key; BeyondAggregation for a key the table does not hold (the caller counts per
        hit)."""
        rows = np.searchsorted(self.keys, report_keys)
        if len(rows) and (rows.max(initial=0) >= len(self.keys) or not np.array_equal(self.keys[rows], report_keys)):
            raise BeyondAggregation("a matching report has no report document")
        return rows


_LOCK = threading.Lock()


def report_table(cache: dict, searcher, schema) -> ReportTable:
    """The table of the commit `searcher` reads; `cache` (owned by the engine) keeps the latest one."""
    stamp = commit_stamp(searcher, schema)
    with _LOCK:
        cached = cache.get("table")
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    table = _read_table(searcher, schema)
    if stamp is not None:
        with _LOCK:
            cache["table"] = (stamp, table)
    return table


def _read_table(searcher, schema) -> ReportTable:
    reports = Query.term_query(schema, "kind", REPORT_KIND)
    addresses = [address for _, address in searcher.search(reports, limit=max(1, searcher.num_docs),
                                                            count=False).hits]
    keys = np.array(searcher.fast_field_values("report_id_key", addresses), dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    columns = {}
    for name in REPORT_COLUMNS:
        values = searcher.fast_field_values(name, addresses)
        dtype = np.uint64 if name.endswith("_key") else np.int64
        columns[name] = np.array([v or 0 for v in values], dtype=dtype)[order]
    return ReportTable(keys=keys[order], columns=columns)
