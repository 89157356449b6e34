"""The whole path on the bundled corpus: files → reports → index → search → CLI JSON."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings as hyp_settings, strategies as st

from indexer.build import build_index
from indexer.engines import open_engine
from indexer.normalize import normalize
from indexer.query import QueryError
from indexer.search import SearchRequest, search
from nianbao.pipeline import portal_regions
from tests.conftest import REPO
from tests.test_config import run_cli


@pytest.fixture(scope="module")
def engine(demo_settings):
    engine = open_engine(demo_settings.index.engine, demo_settings.paths.index)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def all_sections(engine):
    result = engine.search(__import__("indexer.query", fromlist=["MatchAll"]).MatchAll(), offset=0, limit=1000)
    return [s for r in result.reports for s in r.sections]


def test_exact_phrase_finds_qingtongxia_2020_with_highlight(engine):
    result = search(engine, SearchRequest(q='"一窗受理"'))
    assert [(h.agency, h.year) for h in result.hits] == [("青铜峡市审批服务管理局", 2020)]
    snippet = result.hits[0].sections[0].snippet
    assert "<mark>一窗受理</mark>" in snippet
    assert {f.value: f.count for f in result.facets["agency"]} == {"青铜峡市审批服务管理局": 1}
    assert {f.value: f.count for f in result.facets["year"]} == {2020: 1}


def test_phrase_matches_across_pdf_style_spaces(engine):
    # qingtongxia writes "2020 年 1 月 1 日", jinfeng "2020年1月1日"; a reader types the latter.
    result = search(engine, SearchRequest(q='"2020年1月1日"'))
    assert {h.agency for h in result.hits} >= {"青铜峡市审批服务管理局", "银川市金凤区审批服务管理局"}


@hyp_settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_quoted_phrase_returns_exactly_the_sections_containing_it(engine, all_sections, data):
    section = data.draw(st.sampled_from([s for s in all_sections if len(normalize(s.text)) > 10]))
    text = normalize(section.text)
    start = data.draw(st.integers(0, len(text) - 2))
    length = data.draw(st.integers(2, 8))
    phrase = text[start:start + length].strip()
    if not phrase or '"' in phrase:
        return
    expected = {(s.report_id, s.section_no) for s in all_sections if phrase in normalize(s.text)}
    found = engine.search(__import__("indexer.query", fromlist=["Phrase"]).Phrase(phrase), offset=0, limit=1000)
    got = {(s.report_id, s.section_no) for r in found.reports for s in r.sections}
    assert got == expected, phrase


def test_facets_count_all_matches_not_the_page(engine):
    result = search(engine, SearchRequest(q="政府信息公开", per_page=1))
    assert len(result.hits) == 1
    assert result.total == 5
    assert sum(f.count for f in result.facets["year"]) == 5


def test_filters_narrow_results(engine):
    result = search(engine, SearchRequest(q="审批", filters={"year": ("2020",)}))
    assert result.total == 2 and {h.year for h in result.hits} == {2020}
    result = search(engine, SearchRequest(q="审批 year:2017..2018"))
    assert {h.year for h in result.hits} == {2017, 2018}


def test_excluded_word_removes_sections(engine):
    with_word = search(engine, SearchRequest(q="审批", per_page=100))
    without = search(engine, SearchRequest(q="审批 -一窗受理", per_page=100))
    assert without.total_sections == with_word.total_sections - 1
    assert not any("一窗受理" in s.snippet for h in without.hits for s in h.sections)


def test_unbalanced_quote_is_a_query_error(engine):
    with pytest.raises(QueryError):
        search(engine, SearchRequest(q='"一窗受理'))


def test_index_twice_changes_nothing_and_deleted_reports_leave(demo_settings, tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(demo_settings.paths.corpus, corpus)
    index = tmp_path / "index"
    first = build_index(corpus, index, "whoosh", portal_regions(demo_settings))
    second = build_index(corpus, index, "whoosh", portal_regions(demo_settings))
    assert (first.added, second.added, second.unchanged) == (5, 0, 5)
    shutil.rmtree(next((corpus / "qingtongxia").iterdir()))
    third = build_index(corpus, index, "whoosh", portal_regions(demo_settings))
    assert third.removed == 1
    engine = open_engine("whoosh", index)
    try:
        assert search(engine, SearchRequest(q='"一窗受理"')).total == 0
    finally:
        engine.close()


def test_cli_search_json_shape(demo_config):
    result = run_cli("--config", str(demo_config), "search", "一窗受理", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 1 and data["total_sections"] >= 1
    hit = data["hits"][0]
    assert {"report_id", "title", "agency", "year", "url", "sections"} <= set(hit)
    assert {"section", "heading", "snippet"} <= set(hit["sections"][0])
    assert data["facets"]["agency"] == [{"value": "青铜峡市审批服务管理局", "label": "青铜峡市审批服务管理局", "count": 1}]
    assert data["facets"]["year"][0]["value"] == 2020


def test_cli_bad_query_is_one_line(demo_config):
    result = run_cli("--config", str(demo_config), "search", '"一窗受理')
    assert result.returncode == 2
    assert "引号" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_parse_json_shape():
    # The bundled demo corpus (in the repo), so this runs on a clone without ../shared too.
    sample = next((REPO / "corpus" / "zhongning").glob("*/original.txt"))
    result = run_cli("parse", str(sample), "--json")
    data = json.loads(result.stdout)
    assert {"source", "title", "agency", "year", "region", "template", "sections", "tables", "warnings"} <= set(data)
    assert data["agency"] == "中宁县审批服务管理局" and data["year"] == 2022
    assert [s["key"] for s in data["sections"]] == ["preamble", "overview", "proactive", "requests", "review",
                                                    "problems", "other"]
