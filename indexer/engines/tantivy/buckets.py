"""Search stage, tantivy engine: exact counts per value of a numeric fast field, however many values match.

A tantivy terms aggregation returns at most a bounded number of buckets (65,000 by default; more is refused
or cut), which is too few to list the reports matching a common word at country scale (10⁶ reports), or an
agency facet with 10⁵ agencies. Keys here are spread evenly over their range (`docs.key_of` is a hash), so
the range is cut into pieces expected to hold fewer values than the limit, each piece is aggregated with
the query restricted to it (a fast-field range query), and a piece that still overflows is cut again. The
counts are exact, and one aggregation never holds more than `limit` buckets: the memory of a query is its
answer (8 bytes and a count per distinct value), not its number of matching documents.

`[index.tantivy] aggregation_buckets` sets the limit (tests lower it to reach the cut pieces with a few
documents).
"""
from __future__ import annotations

import math

import tantivy
from tantivy import Occur, Query

from indexer import schema as vocabulary
from indexer.engines.base import tally
from indexer.engines.tantivy.docs import NO_VALUE_KEY

SPLIT = 4  # pieces a piece that overflowed is cut into
_FILL = 0.75  # aim each piece at this share of the limit (hash keys are not perfectly even)
_UNSIGNED = (0, 2**64 - 1)
_SIGNED = (-(2**63), 2**63 - 1)


class Overflow(Exception):
    """One aggregation held more values than its limit."""


def terms(field: str, limit: int) -> dict:
    """A terms aggregation returning every value of `field`, up to `limit` of them."""
    return {"terms": {"field": field, "size": limit, "segment_size": limit}}


def complete(result: dict) -> dict:
    """value → document count of a terms aggregation result; Overflow when values were left out."""
    if result.get("sum_other_doc_count") or result.get("doc_count_error_upper_bound"):
        raise Overflow()
    return {bucket["key"]: bucket["doc_count"] for bucket in result["buckets"]}


def aggregate(searcher, query: Query, wanted: dict) -> dict:
    """`searcher.aggregate`, with tantivy's refusal (its bucket limit, reported as a bare ValueError: the library's
    only signal) turned into Overflow."""
    try:
        return searcher.aggregate(query, wanted)
    except ValueError:
        raise Overflow() from None


def exact_counts(searcher, schema, query: Query, field: str, limit: int, *, signed: bool = False,
                 expected: int = 0, first: dict | None = None) -> dict[int, int]:
    """Documents matching `query` per value of the numeric fast field `field` (i64 when `signed`, else u64).

    `expected`: how many distinct values may match (sizes the first cut; 0: try the whole range first).
    `first`: a terms result (`terms(field, limit)`) already computed over the whole range, used when complete.
    """
    if first is not None:
        try:
            return complete(first)
        except Overflow:
            expected = max(expected, limit + 1)
    whole = _SIGNED if signed else _UNSIGNED
    pieces = max(1, math.ceil(expected / (_FILL * limit)))
    counts: dict[int, int] = {}
    pending = _cut(whole, pieces)
    kind = tantivy.FieldType.Integer if signed else tantivy.FieldType.Unsigned
    while pending:
        low, high = pending.pop()
        if (low, high) == whole:
            where = query
        else:
            where = Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.range_query(
                schema, field, kind, low, high))])
        try:
            counts.update(complete(aggregate(searcher, where, {"v": terms(field, limit)})["v"]))
        except Overflow:
            if low == high:  # one value cannot overflow; tantivy refused for another reason
                raise
            pending += _cut((low, high), SPLIT)
    return counts


def _cut(span: tuple[int, int], pieces: int) -> list[tuple[int, int]]:
    """`span` (inclusive bounds) cut into `pieces` adjacent inclusive spans of near-equal width."""
    low, high = span
    pieces = min(pieces, high - low + 1)
    width = (high - low + 1) // pieces
    bounds = [low + n * width for n in range(pieces)] + [high + 1]
    return [(bounds[n], bounds[n + 1] - 1) for n in range(pieces)]


def gather(searcher, query: Query, wanted: dict) -> dict:
    """Aggregations run together in one pass; if tantivy refuses the request (too many buckets in all), each
    alone, and one refused alone is left out (`exact_counts` then cuts its range)."""
    try:
        return aggregate(searcher, query, wanted)
    except Overflow:
        found = {}
        for name, spec in wanted.items():
            try:
                found.update(aggregate(searcher, query, {name: spec}))
            except Overflow:
                continue
        return found


def facet_field(name: str) -> str:
    """The fast field a facet is counted on: the integer itself for ranges, else the value's u64 key."""
    return name if vocabulary.spec(name).match == "range" else f"{name}_key"


def facet_counts(searcher, schema, query: Query, names: tuple[str, ...], first: dict, limit: int,
                 names_of) -> dict[str, dict]:
    """Matching documents per value of each facet in `names` (report documents: matching reports), exact.

    `first`: `gather` over `{name: terms(facet_field(name), limit)}`; `names_of(field, keys)` maps u64 keys back
    to strings.
    """
    counts = {}
    for name in names:
        ranged = vocabulary.spec(name).match == "range"
        found = exact_counts(searcher, schema, query, facet_field(name), limit, signed=ranged, first=first.get(name))
        counts[name] = named_tally(name, found, names_of)
    return counts


def named_tally(name: str, found: dict[int, int], names_of) -> dict:
    """`tally` of counts per value of `facet_field(name)`: u64 keys named (the empty value's key dropped)."""
    if vocabulary.spec(name).match != "range":
        found = {key: n for key, n in found.items() if key != NO_VALUE_KEY}
        strings = names_of(name, found)
        found = {strings[key]: n for key, n in found.items()}
    return tally(name, found)
