"""Match normalisation: the one way indexed text and queries are folded before comparison.

PDF extraction leaves `不 予公开`, `2020 年` and full-width digits; a reader searching `不予公开` or
`2020年` expects a hit. Both the indexer and the query side call `normalize`; snippets call
`normalize_with_map` to carry highlights back to the original text.
"""
from __future__ import annotations

import re
import unicodedata

_CJK = "\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")
_SPACE_RUN = re.compile(r"  +")
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


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """`normalize(text)` plus, for each of its characters, the index of the original character.

    Applies exactly the steps of `normalize`, tracking positions, so both always agree.
    """
    table = _fold_table()
    if all(len(table[ord(char)] or "") == 1 for char in set(text)):
        # Fast path (nearly every text): each character folds to exactly one, so positions are unchanged.
        chars, origin = list(text.translate(table)), list(range(len(text)))
    else:
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
