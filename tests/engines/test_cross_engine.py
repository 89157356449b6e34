"""Whoosh and tantivy answer every query alike: same sections, same report totals, same facet counts."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings as hyp_settings, strategies as st

from indexer import query as q
from indexer.engines import SectionDoc, open_engine
from indexer.engines.base import FACET_FIELDS
from indexer.normalize import normalize
from indexer.search import SearchRequest, build_query, search
from tests.engines.conftest import ENGINES, synthetic_docs

ALL_SYNTHETIC_TEXTS = {d.text for docs in synthetic_docs().values() for d in docs}
DEMO_QUERIES = (
    '"一窗受理"', "一窗受理", '"受"', '"受理"', '"2020年1月1日"', '"2020"', '"100"', '"APP"', '"app"', '"www.qtx"',
    '"（一）"', "审批 -一窗受理", "一窗受理 OR 一网通办", "year:2017..2018", "section:requests",
    "region:中卫", "agency:审批", "county:青铜峡 审批", "(公开 OR 申请) -收费 year:2020", "NOT 审批", "",
    "政府信息公开", '"不存在的短语xyz"', "agency:审.批", '"政府信息公开工作年度报告"',
)
SYNTHETIC_QUERIES = (
    '"一窗受理"', '"市一窗"', '"office hours"', '"open data"', '"ABC 公司"', '"128件"', '"9:00-17:00"',
    '"*"', '"?"', '"$"', '"["', '"+"', '"^"', '"a+b"', '"x^2"', '"受"', '"一窗一窗"', "受理 -合作",
    "agency:县.批", "agency:审批局", "region:银川", "province:甘肃", "year:2021", "section:proactive OR 受",
    '"其他"', '"受理" year:2022', '"受理" OR "窗口"', "",
)


def sections_found(engine, tree) -> tuple[set, int, int, dict]:
    result = engine.search(tree, offset=0, limit=10_000)
    found = {(r.report_id, s.section_no) for r in result.reports for s in r.sections}
    return found, result.total_reports, result.total_sections, result.facets


@pytest.mark.parametrize("text", DEMO_QUERIES)
def test_demo_corpus_queries_agree(demo_engines, text):
    tree = build_query(SearchRequest(q=text))
    whoosh, tantivy = (sections_found(demo_engines[name], tree) for name in ENGINES)
    assert tantivy == whoosh


@pytest.mark.parametrize("text", SYNTHETIC_QUERIES)
def test_synthetic_queries_agree(synthetic_engines, text):
    tree = build_query(SearchRequest(q=text))
    whoosh, tantivy = (sections_found(synthetic_engines[name], tree) for name in ENGINES)
    assert tantivy == whoosh


@pytest.mark.parametrize("text", ['"office hours"', '"ABC 公司"', '"*"', '"一窗一窗"', '"受"'])
def test_synthetic_phrases_find_exactly_the_containing_texts(synthetic_engines, text):
    phrase = normalize(text.strip('"'))
    expected = {t for t in ALL_SYNTHETIC_TEXTS if phrase in normalize(t)}
    assert expected, "the oracle must have something to find"
    for name in ENGINES:
        result = synthetic_engines[name].search(q.Phrase(phrase), offset=0, limit=100)
        assert {s.text for r in result.reports for s in r.sections} == expected, name


@pytest.mark.parametrize("text", ["一窗受理", "审批 year:2018..2022", '"政府信息公开"'])
def test_snippets_and_pages_agree(demo_engines, text):
    results = {name: search(demo_engines[name], SearchRequest(q=text, per_page=100)) for name in ENGINES}
    snippets = {name: {(h.report_id, s.section, s.snippet) for h in r.hits for s in h.sections}
                for name, r in results.items()}
    assert snippets["tantivy"] == snippets["whoosh"] and snippets["whoosh"]
    assert results["tantivy"].facets == results["whoosh"].facets


def test_year_sort_and_pagination_agree(demo_engines):
    pages = {}
    for name in ENGINES:
        seen = []
        for page in (1, 2, 3):
            result = search(demo_engines[name], SearchRequest(q="公开", sort="year", per_page=2, page=page))
            seen.extend((h.year, h.report_id) for h in result.hits)
        pages[name] = seen
    years = [year for year, _ in pages["whoosh"]]
    assert years == sorted(years, reverse=True) and len(pages["whoosh"]) == 5
    assert [y for y, _ in pages["tantivy"]] == years
    assert sorted(pages["tantivy"]) == sorted(pages["whoosh"])


@pytest.fixture(scope="module")
def demo_sections(demo_engines):
    result = demo_engines["whoosh"].search(q.MatchAll(), offset=0, limit=1000)
    return [s for r in result.reports for s in r.sections]


def oracle_facets(sections) -> dict[str, dict]:
    """Facet counts by hand: matching reports per value (a report counts once per value)."""
    counts: dict[str, dict] = {name: {} for name in FACET_FIELDS}
    for name in FACET_FIELDS:
        pairs = {(s.report_id, getattr(s, name)) for s in sections if getattr(s, name) not in ("", None, 0)}
        for _, value in pairs:
            counts[name][value] = counts[name].get(value, 0) + 1
    return counts


@pytest.mark.parametrize("engine_name", ENGINES)
@hyp_settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_quoted_phrase_returns_exactly_the_sections_containing_it(demo_engines, demo_sections, engine_name, data):
    section = data.draw(st.sampled_from([s for s in demo_sections if len(normalize(s.text)) > 10]))
    text = normalize(section.text)
    start = data.draw(st.integers(0, len(text) - 1))
    phrase = text[start:start + data.draw(st.integers(1, 8))].strip()
    if not phrase or '"' in phrase:
        return
    matching = [s for s in demo_sections if phrase in normalize(s.text)]
    result = demo_engines[engine_name].search(q.Phrase(phrase), offset=0, limit=1000)
    assert {(r.report_id, s.section_no) for r in result.reports for s in r.sections} == \
        {(s.report_id, s.section_no) for s in matching}, phrase
    assert result.facets == oracle_facets(matching), phrase


@pytest.mark.parametrize("engine_name", ENGINES)
@hyp_settings(max_examples=40, deadline=None)
@given(phrase=st.text(alphabet="一窗受理市合作 abcABC128年件:-*?", min_size=1, max_size=6))
def test_any_phrase_over_a_small_alphabet_is_a_substring_match(synthetic_engines, engine_name, phrase):
    needle = normalize(phrase)
    if not needle:
        return
    expected = {t for t in ALL_SYNTHETIC_TEXTS if needle in normalize(t)}
    result = synthetic_engines[engine_name].search(q.Phrase(needle), offset=0, limit=100)
    assert {s.text for r in result.reports for s in r.sections} == expected, needle


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("text", ["公开", "year:2020", "section:requests OR section:overview", ""])
def test_facets_count_matching_reports_over_all_matches(demo_engines, demo_sections, engine_name, text):
    tree = build_query(SearchRequest(q=text))
    result = demo_engines[engine_name].search(tree, offset=0, limit=1)
    everything = demo_engines[engine_name].search(tree, offset=0, limit=1000)
    matching = [s for r in everything.reports for s in r.sections]
    assert len(result.reports) <= 1 and result.total_reports == len(everything.reports)
    assert result.facets == oracle_facets(matching)
    assert sum(result.facets["year"].values()) <= result.total_reports


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("text", ["公开 申请", "审批 -一窗受理", "section:requests 公开"])
@pytest.mark.parametrize("sort", ["relevance", "year"])
def test_pages_of_section_level_queries_follow_one_order(demo_engines, engine_name, text, sort):
    # Two words ANDed, NOT and `section:` are decided per section: pages come from a widened top-N, which
    # must cut the same order the single long page shows.
    whole = search(demo_engines[engine_name], SearchRequest(q=text, sort=sort, per_page=100))
    paged = [h.report_id for page in (1, 2, 3)
             for h in search(demo_engines[engine_name], SearchRequest(q=text, sort=sort, per_page=2, page=page)).hits]
    assert len(whole.hits) >= 3
    assert paged == [h.report_id for h in whole.hits][:6]
    if sort == "year":
        years = [h.year or 0 for h in whole.hits]
        assert years == sorted(years, reverse=True)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_phrases_never_join_the_end_of_one_section_to_the_next(tmp_path, engine_name):
    first, second = "甲乙丙丁戊己庚", "子丑寅卯辰巳午"
    doc = SectionDoc(report_id="r", section_no=0, section="overview", heading="一", text=first, year=2021)
    engine = open_engine(engine_name, tmp_path / engine_name, create=True)
    try:
        engine.replace_reports({"r": [doc, dataclasses.replace(doc, section_no=1, section="proactive",
                                                               heading="二", text=second)]})
        # Every stretch across the boundary, also with one or two characters there left out (a phrase
        # whose terms skip positions must not find its pieces on both sides of the gap).
        joined = first + second
        candidates = {variant[start:end] for cut in range(len(first) - 2, len(first) + 2) for drop in (0, 1, 2)
                      for variant in [joined[:cut] + joined[cut + drop:]]
                      for start in range(len(variant)) for end in range(start + 3, len(variant) + 1)}
        for phrase in candidates:
            inside = phrase in first or phrase in second
            assert (engine.search(q.Phrase(phrase), offset=0, limit=10).total_reports == 1) == inside, phrase
        for text in (first, second, first[2:5], second[1:6]):
            assert engine.search(q.Phrase(text), offset=0, limit=10).total_sections == 1, text
    finally:
        engine.close()
