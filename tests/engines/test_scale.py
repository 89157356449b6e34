"""Issue 18: the index does not depend on how many workers built it (`nianbao index --jobs`), and tantivy's
counts do not depend on how many buckets one aggregation may hold (`[index.tantivy] aggregation_buckets`)."""
from __future__ import annotations

import pytest

from indexer.bench import QUERY_MIX
from indexer.bench_corpus import write_synthetic_corpus
from indexer.build import build_index
from indexer.engines import engine_options, open_engine
from indexer.search import SearchRequest, search

REPORTS = 60
# Whole answers on one page: tantivy orders equal scores (and, sorted by year, equal years) by document address,
# which depends on how its indexing threads split the documents, so the tests order ties by report id.
REQUESTS = [SearchRequest(q=entry[1], filters=entry[2], per_page=REPORTS, sort=sort)
            for entry in QUERY_MIX for sort in ("relevance", "year")]


@pytest.fixture(scope="module")
def built(demo_settings, tmp_path_factory):
    """(engine, jobs) → index folder, each built from the same synthetic corpus."""
    folder = tmp_path_factory.mktemp("scale")
    regions = write_synthetic_corpus(demo_settings.paths.corpus, folder / "corpus", REPORTS, seed=18)
    indexes = {}
    for name in ("tantivy", "whoosh"):
        for jobs in (1, 2):
            indexes[name, jobs] = folder / f"{name}-{jobs}"
            summary = build_index(folder / "corpus", indexes[name, jobs], name, regions, jobs=jobs)
            assert (summary.added, summary.failed) == (REPORTS, ())
    return indexes


def answers(engine) -> list[dict]:
    """Every request's JSON answer, ties in the requested order put in report id order."""
    found = []
    for request in REQUESTS:
        shown = search(engine, request).to_json()
        field = "score" if request.sort == "relevance" else "year"
        order = [hit[field] or 0 for hit in shown["hits"]]
        assert order == sorted(order, reverse=True), request
        shown["hits"].sort(key=lambda hit: (-(hit[field] or 0), hit["report_id"]))
        found.append(shown)
    return found


@pytest.mark.parametrize("name", ["tantivy", "whoosh"])
def test_one_worker_and_two_build_indexes_that_answer_alike(built, name):
    one, two = open_engine(name, built[name, 1]), open_engine(name, built[name, 2])
    try:
        assert one.fingerprints() == two.fingerprints()
        expected = answers(one)
        assert any(result["total"] > 20 for result in expected)  # the mix finds something
        assert answers(two) == expected
    finally:
        one.close()
        two.close()


def test_tantivy_counts_alike_when_one_aggregation_holds_only_two_buckets(built):
    # With two buckets per aggregation, every facet and the list of matching reports are counted in pieces.
    whole = open_engine("tantivy", built["tantivy", 2])
    pieces = open_engine("tantivy", built["tantivy", 2], options=engine_options("tantivy")(aggregation_buckets=2))
    try:
        expected = answers(whole)
        assert max(len(result["facets"]["agency"]) for result in expected) > 2
        assert max(result["total"] for result in expected) > 2
        assert answers(pieces) == expected
    finally:
        whole.close()
        pieces.close()
