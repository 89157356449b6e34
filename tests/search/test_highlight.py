"""Snippets: escaped report text, <mark> around exactly the matched text (in the original spelling)."""
from __future__ import annotations

import html
import re

from hypothesis import given, settings, strategies as st

from indexer.normalize import normalize
from indexer.search import SearchRequest, highlight, match_spans, search, snippet

MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def marked(snippet_html: str) -> list[str]:
    return [html.unescape(m) for m in MARK.findall(snippet_html)]


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_spans_cover_exactly_each_occurrence(indexed_sections, data):
    section, text = data.draw(st.sampled_from([p for p in indexed_sections if len(p[1]) > 10]))
    start = data.draw(st.integers(0, len(text) - 2))
    phrase = text[start:start + data.draw(st.integers(2, 8))].strip()
    if len(phrase) < 2:
        return
    spans = match_spans(section.text, (phrase,))
    assert spans
    for begin, end in spans:
        piece = section.text[begin:end]
        assert normalize(piece) == phrase or phrase in normalize(piece)  # overlapping occurrences merge
        assert piece == piece.strip()  # no half-spaces around the match
    occurrences = text.count(phrase)
    assert sum(normalize(section.text[b:e]).count(phrase) for b, e in spans) >= occurrences > 0


def test_pdf_spacing_is_highlighted_in_the_original_spelling(search_engine):
    # The read stage already joins most PDF spacing, so the indexed text reads "不予公开"…
    result = search(search_engine, SearchRequest(q='"不予公开"', filters={"county": ("合作市",)}))
    assert "<mark>不予公开</mark>" in result.hits[0].sections[0].snippet
    # …but any spacing that reaches the index is highlighted as written, never half-marked.
    text = "全年受理申请，其中不 予公开 3 件，统计期限自 2021 年 1 月 1 日起。"
    assert "<mark>不 予公开</mark>" in snippet(text, ("不予公开",))
    assert "<mark>2021 年 1 月 1 日</mark>" in snippet(text, ("2021年1月1日",))


def test_highlights_match_the_phrase_in_search_results(search_engine):
    for query, phrase in (('"一窗受理"', "一窗受理"), ('"政府信息公开"', "政府信息公开"), ('"市一窗"', "市一窗")):
        result = search(search_engine, SearchRequest(q=query, per_page=20))
        assert result.hits
        for hit in result.hits:
            for section in hit.sections:
                pieces = marked(section.snippet)
                assert pieces and all(phrase in normalize(p) for p in pieces), section.snippet


def test_words_highlight_whole_query_words_not_shorter_overlaps():
    text = "推进政务服务中心建设，政务服务事项全部进驻。"
    spans = match_spans(text, ("政务服务", "服务"))
    assert [text[b:e] for b, e in spans] == ["政务服务", "政务服务"]


def test_script_in_report_text_comes_back_escaped(search_engine):
    result = search(search_engine, SearchRequest(q='"<script>"'))
    assert result.total == 1
    shown = result.hits[0].sections[0].snippet
    assert "<script>" not in shown and "<mark>&lt;script&gt;</mark>alert(&quot;x&quot;)" in shown


def test_script_in_the_query_comes_back_escaped(search_engine):
    result = search(search_engine, SearchRequest(q='<script>alert("x")</script>'))
    for hit in result.hits:
        for section in hit.sections:
            assert "<script>" not in section.snippet


def test_snippet_without_match_and_highlight_escape_everything():
    assert snippet("<b>无匹配</b>", ("一窗受理",)) == "&lt;b&gt;无匹配&lt;/b&gt;"
    assert highlight("a<b>c", [(1, 4)]) == "a<mark>&lt;b&gt;</mark>c"
