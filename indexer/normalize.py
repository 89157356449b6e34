"""Match normalisation: the one way indexed text and queries are folded before comparison.

PDF extraction leaves `不 予公开`, `2020 年` and full-width digits; a reader searching `不予公开` or
`2020年` expects a hit. Both the indexer and the query side call `normalize`; snippets call
`normalize_with_map` to carry highlights back to the original text.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence

_CJK = "\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")
_SPACE_RUN = re.compile(r"  +")
# One pass over the folded text doing what normalize's three steps do to each maximal run of spaces:
# drop it next to CJK or at either end, otherwise keep its first space (group 1 is what goes).
_DROPPED_SPACES = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])|^ +| +$| ( +)")
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


class _FoldTable(dict):
    """Per-character folding for str.translate, computed on first sight of each character:
    NFKC + casefold, whitespace → ' ', invisible characters dropped."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        if char in _INVISIBLE:
            folded = None
        else:
            folded = "".join(" " if c.isspace() else c for c in unicodedata.normalize("NFKC", char).casefold())
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold_table() -> _FoldTable:
    return _FOLD


def normalize(text: str) -> str:
    """Fold `text` for matching: width, case, invisible characters, and spaces around CJK."""
    folded = text.translate(_fold_table())
    folded = _SPACE_NEXT_TO_CJK.sub("", folded)
    return _SPACE_RUN.sub(" ", folded).strip(" ")


class OffsetMap(Sequence[int]):
    """For each character of a normalised text, the index of the original character it came from.

    Stored as runs (normalised start, original start) within which both advance together, so building
    the map for a long section costs a few list entries per space run instead of one per character.
    """

    def __init__(self, starts: list[int], origins: list[int], length: int):
        self._starts, self._origins, self._length = starts, origins, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("OffsetMap index out of range")
        run = bisect_right(self._starts, index) - 1
        return self._origins[run] + index - self._starts[run]


def normalize_with_map(text: str) -> tuple[str, Sequence[int]]:
    """`normalize(text)` plus, for each of its characters, the index of the original character.

    Applies exactly the steps of `normalize`, tracking positions, so both always agree (property-tested
    in tests/search/test_normalize.py).
    """
    table = _fold_table()
    if not _folds_one_to_one(text):
        return _normalize_with_list(text)  # rare: a character folds to several or none
    # Each character folds to exactly one: only the space runs `normalize` drops or shortens move offsets.
    folded = text.translate(table)
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = kept_from = 0
    for run in _DROPPED_SPACES.finditer(folded):
        drop_from = run.start(1) if run.group(1) is not None else run.start()
        if drop_from > kept_from:
            pieces.append(folded[kept_from:drop_from])
            starts.append(length)
            origins.append(kept_from)
            length += drop_from - kept_from
        kept_from = run.end()
    if kept_from < len(folded):
        pieces.append(folded[kept_from:])
        starts.append(length)
        origins.append(kept_from)
        length += len(folded) - kept_from
    return "".join(pieces), OffsetMap(starts, origins, length)


_ONE_TO_ONE: set[str] = set()  # characters seen to fold to exactly one character


def _folds_one_to_one(text: str) -> bool:
    unseen = set(text) - _ONE_TO_ONE
    table = _fold_table()
    for char in unseen:
        if len(table[ord(char)] or "") != 1:
            return False
        _ONE_TO_ONE.add(char)
    return True


def _normalize_with_list(text: str) -> tuple[str, list[int]]:
    """`normalize_with_map` for any text, one list entry per character."""
    table = _fold_table()
    chars, origin = [], []
    for index, char in enumerate(text):
        folded = table[ord(char)]
        if folded:
            chars.extend(folded)
            origin.extend([index] * len(folded))
    chars, origin = _drop_spans(chars, origin, _SPACE_NEXT_TO_CJK, keep=0)
    chars, origin = _drop_spans(chars, origin, _SPACE_RUN, keep=1)
    start = 0
    while start < len(chars) and chars[start] == " ":
        start += 1
    end = len(chars)
    while end > start and chars[end - 1] == " ":
        end -= 1
    return "".join(chars[start:end]), origin[start:end]


def _drop_spans(chars: list[str], origin: list[int], pattern: re.Pattern, keep: int) -> tuple[list[str], list[int]]:
    joined = "".join(chars)
    out_chars: list[str] = []
    out_origin: list[int] = []
    last = 0
    for match in pattern.finditer(joined):
        out_chars.extend(chars[last:match.start() + keep])
        out_origin.extend(origin[last:match.start() + keep])
        last = match.end()
    out_chars.extend(chars[last:])
    out_origin.extend(origin[last:])
    return out_chars, out_origin
