"""normalize_with_map: the normalised text snippets search, and where each of its characters came from."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from indexer.normalize import normalize, normalize_with_map

# Spaces and line breaks next to CJK, Latin and digits; full-width forms; a ligature that folds to two
# characters and invisible characters that fold to none (the per-character path).
PIECES = [" ", "  ", "\n", "\u3000", "\t", "政", "务", "公开", "a", "B", "1", "２", "Ｏ", "ﬁ", "\u200b", "-",
          "。"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_map_agrees_with_normalize_and_points_at_the_source_character(text):
    normalized, origin = normalize_with_map(text)
    assert normalized == normalize(text)
    assert len(origin) == len(normalized)
    for index, char in enumerate(normalized):
        source = text[origin[index]]
        assert char in normalize(source) or (char == " " and source.isspace())
    assert list(origin) == sorted(origin)


def test_offsets_skip_dropped_spaces_in_a_long_text():
    text = "第一章 总体情况\n\n  本机关 2021 年  收到申请 7 件。  Office  365  " * 200
    normalized, origin = normalize_with_map(text)
    assert normalized == normalize(text)
    start = normalized.index("office 365")
    assert text[origin[start]:origin[start + len("office 365") - 1] + 1] == "Office  365"
