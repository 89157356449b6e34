"""Report-level search: unquoted words anywhere in one report, words naming a region or agency read as visible
filters, quotes inside phrases, multi-select facets and per-phrase concordances."""
from __future__ import annotations

import pytest

from indexer.kwic import concordance
from indexer.query import Phrase, QueryError, Words, parse_query
from indexer.search import SearchRequest, search


def counties(result) -> set[str]:
    return {hit.county for hit in result.hits}


def test_words_in_different_sections_find_the_report(search_engine):
    # In the 合作市 report 最多跑一次 is only in `proactive`, 放管服 only in `requests`.
    across = search(search_engine, SearchRequest(q="最多跑一次 放管服", per_page=100))
    assert "合作市" in counties(across)
    shown = {s.section for hit in across.hits if hit.county == "合作市" for s in hit.sections}
    assert {"proactive", "requests"} <= shown  # the matching sections, each with its snippet
    marked = {s.section: s.snippet for hit in across.hits if hit.county == "合作市" for s in hit.sections}
    assert "<mark>最多跑一次</mark>" in marked["proactive"] and "<mark>放管服</mark>" in marked["requests"]
    within = search(search_engine, SearchRequest(q="最多跑一次 放管服", within="section", per_page=100))
    assert "合作市" not in counties(within)
    assert within.to_json()["within"] == "section" and across.to_json()["within"] == "report"


def test_a_minus_word_drops_sections_not_the_report(search_engine):
    result = search(search_engine, SearchRequest(q='最多跑一次 放管服 -"行政复议"', per_page=100))
    assert "合作市" in counties(result)
    assert all("行政复议" not in s.snippet for hit in result.hits for s in hit.sections)


def test_section_field_keeps_words_in_one_section(search_engine):
    result = search(search_engine, SearchRequest(q="最多跑一次 放管服 section:proactive", per_page=100))
    assert "合作市" not in counties(result)


def test_unknown_within_is_explained(search_engine):
    with pytest.raises(QueryError, match="匹配范围"):
        search(search_engine, SearchRequest(q="公开", within="page"))


def test_a_county_name_becomes_a_filter_shown_as_such(search_engine):
    result = search(search_engine, SearchRequest(q="金凤区 申请"))
    assert [(i.word, i.field, i.value, i.title) for i in result.interpreted] == [("金凤区", "county", "金凤区", "地区")]
    assert result.total >= 1 and counties(result) == {"金凤区"}
    assert "银川市金凤区审批服务管理局" in {hit.agency for hit in result.hits}
    assert result.to_json()["interpreted"] == [{"word": "金凤区", "field": "county", "title": "地区", "value": "金凤区"}]


def test_removing_the_reading_searches_the_word_as_text(search_engine):
    result = search(search_engine, SearchRequest(q="金凤区 申请", literal=("金凤区",), per_page=100))
    assert result.interpreted == () and result.total >= 1
    for hit in result.hits:  # the word is now text: every report found holds it
        assert "金凤区" in "".join(s.text for s in search_engine.report_sections(hit.report_id))


def test_place_without_suffix_and_agency_full_name(search_engine):
    city = search(search_engine, SearchRequest(q="银川 公开"))
    assert [(i.field, i.value) for i in city.interpreted] == [("city", "银川市")]
    agency = search(search_engine, SearchRequest(q="青铜峡市审批服务管理局 公开"))
    assert [(i.field, i.value) for i in agency.interpreted] == [("agency", "青铜峡市审批服务管理局")]
    assert {h.agency for h in agency.hits} == {"青铜峡市审批服务管理局"}


def test_only_standalone_words_naming_what_the_index_holds_are_read(search_engine):
    for text in ("金凤区 OR 申请", "申请 -金凤区", "“金凤区” 申请", "海淀区 申请", "审批 申请"):
        assert search(search_engine, SearchRequest(q=text)).interpreted == (), text
    assert search(search_engine, SearchRequest(q="金凤区 申请", interpret=False)).interpreted == ()


def test_quotes_of_another_kind_inside_a_phrase_are_part_of_it(search_engine):
    assert parse_query('"推进线上“一网通办”"') == Phrase("推进线上“一网通办”")
    assert parse_query("“推行「一窗受理」”") == Phrase("推行「一窗受理」")
    assert parse_query('"a" b') == parse_query('"a" b')  # plain phrases are unchanged
    assert parse_query('“一窗受理"') == Phrase("一窗受理")  # mixed quotes still pair up
    result = search(search_engine, SearchRequest(q='"推进线上“一网通办”"'))
    assert "青铜峡市审批服务管理局" in {hit.agency for hit in result.hits}
    assert all("<mark>推进线上“一网通办”</mark>" in hit.sections[0].snippet for hit in result.hits)
    lines = concordance(search_engine, "推进线上“一网通办”").lines
    assert lines and lines[0].match == "推进线上“一网通办”"


def test_words_parse_unchanged():
    assert parse_query("金凤区") == Words("金凤区")


def test_a_filtered_facet_keeps_its_other_values(search_engine):
    everything = search(search_engine, SearchRequest(q="公开"))
    years = {f.value: f.count for f in everything.facets["year"]}
    one = search(search_engine, SearchRequest(q="公开", filters={"year": ("2020",)}))
    assert [f.value for f in one.facets["year"]] == [2020]  # the results themselves: 2020 only
    choices = {f.value: (f.count, f.selected) for f in one.facet_choices()["year"]}
    assert choices == {year: (count, year == 2020) for year, count in years.items()}
    two = search(search_engine, SearchRequest(q="公开", filters={"year": ("2020", "2018")}))
    assert two.total == years[2020] + years[2018]
    assert {f.value for f in two.facet_choices()["year"] if f.selected} == {2020, 2018}
    listed = {f["value"]: f["count"] for f in two.to_json()["facets_without_own_filter"]["year"]}
    assert listed == years and set(two.to_json()["facets"]) == set(everything.to_json()["facets"])
