"""Facet counts are numbers of matching reports per value, counted over all matches (not the page)."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from indexer.engines.base import FACET_FIELDS
from indexer.search import SearchRequest, build_query, search
from tests.search.conftest import engine_search

QUERIES = [
    ("公开", {}), ('"政府信息公开"', {}), ("审批 -一窗受理", {}), ("一窗受理 OR 一网通办", {}),
    ("", {"year": ("2020", "2021")}), ("公开", {"section": ("requests",)}), ('"统计期限"', {"province": ("宁夏",)}),
    ("政务 year:2015..2022", {}), ("公开", {"agency": ("教育局",), "year": ("2010..2024",)}),
]


def direct_counts(sections) -> dict[str, Counter]:
    """Matching reports per value, computed from the matching sections themselves."""
    counts = {}
    for name in FACET_FIELDS:
        pairs = {(s.report_id, getattr(s, name)) for s in sections}
        counts[name] = Counter(value for _, value in pairs if value not in ("", None))
    return counts


@pytest.mark.parametrize("text, filters", QUERIES)
def test_facets_equal_counts_over_all_matching_sections(search_engine, text, filters):
    request = SearchRequest(q=text, filters=filters, per_page=2)
    result = search(search_engine, request)
    everything = engine_search(search_engine, build_query(request))
    sections = [s for report in everything.reports for s in report.sections]
    assert len(result.hits) <= 2 and result.total == len(everything.reports) > 0
    assert result.total_sections == len(sections)
    expected = direct_counts(sections)
    for name in FACET_FIELDS:
        assert {f.value: f.count for f in result.facets[name]} == dict(expected[name]), name


@settings(max_examples=30, deadline=None)
@given(word=st.sampled_from(["公开", "审批", "服务", "申请", "复议", "政务", "信息"]),
       year=st.one_of(st.none(), st.integers(2010, 2024)),
       agency=st.one_of(st.none(), st.sampled_from(["人民政府", "教育局", "审批"])))
def test_facets_for_random_filtered_queries(search_engine, word, year, agency):
    filters = {k: (str(v),) for k, v in (("year", year), ("agency", agency)) if v is not None}
    request = SearchRequest(q=word, filters=filters, per_page=1)
    result = search(search_engine, request)
    everything = engine_search(search_engine, build_query(request))
    expected = direct_counts([s for report in everything.reports for s in report.sections])
    for name in FACET_FIELDS:
        assert {f.value: f.count for f in result.facets[name]} == dict(expected[name]), name


def test_year_facet_sums_to_total_and_section_facet_counts_reports(search_engine):
    result = search(search_engine, SearchRequest(q="公开", per_page=1))
    assert sum(f.count for f in result.facets["year"]) == result.total
    assert all(f.count <= result.total for f in result.facets["section"])
    assert sum(f.count for f in result.facets["section"]) >= result.total


def test_selected_facet_value_is_marked(search_engine):
    result = search(search_engine, SearchRequest(q="公开", filters={"year": ("2020",)}))
    assert [f.value for f in result.facets["year"] if f.selected] == [2020]
