"""Read stage, statistics: one printed table cell → a typed `Cell` (text, value, kind, provenance). Pure.

A blank cell or a `/` `—` `-` is never turned into 0: kinds `blank` and `na` carry no value, and every check
that needs such a cell is NOT ASSESSABLE. A number with a stray character (`1O`, `12a`) is `text`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

NOT_APPLICABLE = {"/", "\\", "—", "——", "-", "--", "－", "–", "―", "─", "×", "无", "空"}
# Units portals print inside a cell (`11.38 万元`); the number before them is the value.
_UNITS = ("万元", "元", "件", "条", "个", "人次", "人", "次", "篇", "项", "起", "期")
_INTEGER = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$|^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+\.\d+$")


@dataclass(frozen=True)
class Cell:
    table: str  # t2, t3, t4, indicators
    row: str  # a stable key (`refused.state_secret`), or the printed label for indicator rows
    col: str  # a stable key (`natural_person`, `total`, `made`), or the printed header for indicator rows
    text: str  # as printed
    value: int | Decimal | None
    kind: str  # number, zero, blank, na, text
    row_label: str = ""
    col_label: str = ""
    page: int | None = None

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row}.{self.col}"

    def to_json(self) -> dict:
        value = float(self.value) if isinstance(self.value, Decimal) else self.value
        return {"table": self.table, "row": self.row, "col": self.col, "text": self.text, "value": value,
                "kind": self.kind, "key": self.key, "row_label": self.row_label, "col_label": self.col_label,
                "page": self.page}


@lru_cache(maxsize=8192)  # tables repeat the same few cell texts (`0`, blanks) thousands of times
def classify(text: str) -> tuple[int | Decimal | None, str]:
    """The value and kind of a printed cell: `("12", …)` → `(12, "number")`, `""` → `(None, "blank")`."""
    normal = unicodedata.normalize("NFKC", text or "")
    compact = re.sub(r"[\s\u3000]+", "", normal)
    if not compact:
        return None, "blank"
    if re.search(r"\d\s+\d", normal):
        return None, "text"  # two numbers run together (`3 4`): never guess which one is meant
    if compact in NOT_APPLICABLE or set(compact) <= {"-", "—", "－", "/"}:
        return None, "na"
    number = _strip_unit(compact)
    if _INTEGER.match(number):
        value = int(number.replace(",", ""))
        return value, "zero" if value == 0 else "number"
    if _DECIMAL.match(number):
        value = Decimal(number)
        return value, "zero" if value == 0 else "number"
    return None, "text"


def is_numeric_kind(kind: str) -> bool:
    return kind in ("number", "zero")


@lru_cache(maxsize=8192)
def looks_like_value(text: str) -> bool:
    """A value cell of a table row: a number, blank or not-applicable mark, or a number with a stray character."""
    value, kind = classify(text)
    return kind != "text" or is_damaged_number(text)


@lru_cache(maxsize=8192)
def is_damaged_number(text: str) -> bool:
    """`1O`, `12a`, `3 4`: mostly digits with a stray character, which must not become a value."""
    normal = unicodedata.normalize("NFKC", text or "")
    if re.fullmatch(r"\s*\d+(\s+\d+)+\s*", normal):
        return True
    compact = re.sub(r"\s+", "", normal)
    digits = sum(ch.isdigit() for ch in compact)
    return 0 < len(compact) <= 8 and digits >= len(compact) - 1 and digits >= 1 and not _strip_unit(compact).isdigit()


def _strip_unit(compact: str) -> str:
    for unit in _UNITS:
        if compact.endswith(unit) and len(compact) > len(unit):
            return compact[: -len(unit)]
    return compact
