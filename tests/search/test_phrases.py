"""Exact phrases are substrings: the quoted phrase returns exactly the sections whose text contains it."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from indexer.analysis import words
from indexer.query import parse_query
from tests.search.conftest import engine_search, section_keys

QUOTES_AND_BRACKETS = set('"“”()（）')


def expected_keys(indexed_sections, phrase: str) -> set[str]:
    return {s.doc_key for s, text in indexed_sections if phrase in text}


def found_keys(engine, phrase: str) -> set[str]:
    return section_keys(engine_search(engine, parse_query(f'"{phrase}"')))


def usable(phrase: str) -> bool:
    return len(phrase.strip()) >= 2 and phrase == phrase.strip() and not QUOTES_AND_BRACKETS & set(phrase)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_random_substring_returns_exactly_the_sections_containing_it(search_engine, indexed_sections, data):
    _, text = data.draw(st.sampled_from([p for p in indexed_sections if len(p[1]) > 10]))
    start = data.draw(st.integers(0, len(text) - 2))
    phrase = text[start:start + data.draw(st.integers(2, 8))]
    if usable(phrase):
        assert found_keys(search_engine, phrase) == expected_keys(indexed_sections, phrase), phrase


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_substring_crossing_a_jieba_word_boundary(search_engine, indexed_sections, data):
    _, text = data.draw(st.sampled_from([p for p in indexed_sections if len(p[1]) > 20]))
    boundaries = [start for _, start, _ in words(text) if 0 < start < len(text) - 1]
    boundary = data.draw(st.sampled_from(boundaries))
    start = boundary - data.draw(st.integers(1, min(4, boundary)))
    phrase = text[start:boundary + data.draw(st.integers(1, 4))]
    if usable(phrase):
        assert found_keys(search_engine, phrase) == expected_keys(indexed_sections, phrase), phrase


@settings(max_examples=60, deadline=None)
@given(phrase=st.text(alphabet="0123456789", min_size=2, max_size=8))
def test_digit_strings(search_engine, indexed_sections, phrase):
    assert found_keys(search_engine, phrase) == expected_keys(indexed_sections, phrase), phrase


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mixed_latin_and_cjk(search_engine, indexed_sections, data):
    mixed = [(text, i) for _, text in indexed_sections for i in range(1, len(text))
             if text[i - 1].isascii() != text[i].isascii() and text[i - 1].isalnum() and text[i].isalnum()]
    text, edge = data.draw(st.sampled_from(mixed))
    start = max(0, edge - data.draw(st.integers(1, 4)))
    phrase = text[start:edge + data.draw(st.integers(1, 4))]
    if usable(phrase):
        assert found_keys(search_engine, phrase) == expected_keys(indexed_sections, phrase), phrase


def test_known_traps(search_engine, indexed_sections):
    # jieba segments 合作市一窗受理 as 合作/市一窗/受理 and keeps 中华人民共和国 whole; PDF text has `不 予公开`,
    # `1 2 3 4 5`; full-width ＡＢＣ folds to abc.
    for phrase in ("市一窗", "合作市一窗受理", "人民共和国政府", "不予公开", "12345", "abc", "app端", "一网通办",
                   "365办公", "2021年1月1日"):
        expected = expected_keys(indexed_sections, phrase)
        assert expected, phrase
        assert found_keys(search_engine, phrase) == expected, phrase


def test_phrase_absent_from_every_section_finds_nothing(search_engine, indexed_sections):
    # All bigrams of 受理一窗 occur somewhere (一窗, 受理), but never in this order.
    assert not expected_keys(indexed_sections, "受理一窗")
    assert found_keys(search_engine, "受理一窗") == set()


def test_one_character_phrase(search_engine, indexed_sections):
    assert found_keys(search_engine, "诉") == {s.doc_key for s, text in indexed_sections if "诉" in text}
