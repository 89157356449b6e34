"""The report vocabulary: every report and section field declared once.

Everything else is derived from `FIELDS`: the query language's field names (`indexer.query`), the filter
and facet lists (`indexer.search`, the engines), the CLI `search` options, the web/API parameters and the
OpenAPI document, the CSV columns, and each engine's schema. Adding a field is one `FieldSpec` here plus
its extraction from the `Report` (the `extract` function), nowhere else.

Match kinds: `contains` (the value holds the filter text), `exact` (equals a known key), `range`
(an inclusive (low, high) of integers, written in the field's own syntax by its `RangeCodec`) and
`hierarchy` (contains, over several other fields: `region` is province, city or county).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from indexer.measures import MEASURES
from indexer.read.report import SECTION_LABELS
from indexer.read.statistics import OUTCOMES, outcome

Level = Literal["report", "section"]
Match = Literal["contains", "exact", "range", "hierarchy"]


class FieldValueError(Exception):
    """A filter value the field cannot read; `str()` is one line for the user (Chinese)."""


@dataclass(frozen=True)
class RangeCodec:
    """How a range field is written by people and stored by engines (integers, compared inclusively)."""

    parse: Callable[[str], tuple[int, int]]  # user text → inclusive (low, high); FieldValueError otherwise
    encode: Callable[[object], int | None]    # a record value → the integer engines index (None: no value)
    syntax: str                               # for people: `--help`, error examples
    pattern: str                              # what `parse` accepts, as a JSON-Schema regex (OpenAPI)


@dataclass(frozen=True)
class FieldSpec:
    """One field of the vocabulary."""

    name: str
    label: str                       # Chinese, for people (facet titles, chips, CSV headers)
    level: Level
    match: Match | None = None       # None: stored and shown, never matched
    facet: bool = False              # counted over all matches
    filter: bool = False             # a repeatable URL / CLI / API parameter
    query: bool = False              # a `name:` field of the query language
    sortable: bool = False           # a `sort=` order (newest first)
    exported: bool = False           # a CSV column
    on_sections: bool = True         # report level: carried by every section document (scalars only)
    column: str | None = None        # CSV header when it is not `label`
    parts: tuple[str, ...] = ()      # hierarchy: the fields it spans
    codec: RangeCodec | None = None  # range: the value syntax
    example: str = ""                # a query example, shown in error messages
    help: str = ""                   # parameter description (Chinese)
    extract: Callable | None = None  # report level: Report → value
    choices: Callable[[], dict[str, str]] | None = None  # exact: every accepted name → its canonical key
    default: object = ""
    json_schema: dict = field(default_factory=lambda: {"type": ["string", "null"]})  # for the OpenAPI document

    @property
    def header(self) -> str:
        return self.column or self.label

    def labels(self) -> dict[str, str]:
        """Canonical key → Chinese label, for fields whose values are keys (sections); else empty."""
        if self.choices is None:
            return {}
        return {key: name for name, key in reversed(self.choices().items()) if name != key}


# Python's `\s` (what str.isspace() calls white space), spelled out for JSON-Schema (ECMA) patterns too.
_SPACE = "[\\t\\n\\v\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
_YEARS = f"((?:19|20)[0-9]{{2}})(?:{_SPACE}*(?:\\.\\.|-|~|到|至){_SPACE}*((?:19|20)[0-9]{{2}}))?"
_YEAR = re.compile(_YEARS)


def parse_year_range(value: str) -> tuple[int, int]:
    """`2020` or `2018..2022` (also `-`, `~`, `到`, `至`) → inclusive (low, high)."""
    match = _YEAR.fullmatch(value)
    if not match:
        raise FieldValueError(f"年份“{value}”无法识别。")
    low, high = int(match.group(1)), int(match.group(2) or match.group(1))
    return (min(low, high), max(low, high))


YEAR = RangeCodec(parse=parse_year_range, encode=lambda value: int(value) if value else None,
                  syntax="2020 或 2018..2022", pattern=f"^{_YEARS}$")


_DATE = r"(19|20)[0-9]{2}([-/](0?[1-9]|1[0-2])([-/](0?[1-9]|[12][0-9]|3[01]))?)?"
_DATE_PART = re.compile(r"((?:19|20)[0-9]{2})(?:[-/]([0-9]{1,2})(?:[-/]([0-9]{1,2}))?)?")
_DATE_RANGE = re.compile(r"\.\.|~|到|至")


def _date_bound(text: str, last: bool) -> int:
    """`2021`, `2021-03` or `2021-03-05` → yyyymmdd, the first (or `last`) day it covers; a month or day
    left out is 00 at the low end, so a record dated `2021-03` (no day) falls inside `2021-03`."""
    match = _DATE_PART.fullmatch(text)
    if not match or not 1 <= int(match.group(2) or 1) <= 12 or not 1 <= int(match.group(3) or 1) <= 31:
        raise FieldValueError(f"日期“{text}”无法识别。")
    year, month, day = int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)
    if last:
        month, day = month or 12, day or 31
    return year * 10000 + month * 100 + day


def parse_date_range(value: str) -> tuple[int, int]:
    """`2021`, `2021-03-05` or `2021-01..2021-03` (also `~`, `到`, `至`) → inclusive yyyymmdd (low, high)."""
    parts = _DATE_RANGE.split(value)
    if len(parts) > 2:
        raise FieldValueError(f"日期范围“{value}”无法识别。")
    low, high = _date_bound(parts[0], False), _date_bound(parts[-1], True)
    if low > high:
        low, high = _date_bound(parts[-1], False), _date_bound(parts[0], True)
    return (low, high)


def encode_date(value: object) -> int | None:
    """A record's ISO date (`2021-03-05`, or `2021-03`) → yyyymmdd (day 00 when unknown)."""
    if not value:
        return None
    try:
        return _date_bound(str(value), False)
    except FieldValueError:
        return None  # a date the reader could not pin down is no value, not an error


DATE = RangeCodec(parse=parse_date_range, encode=encode_date, syntax="2021、2021-03-05 或 2021-01..2021-03",
                  pattern=f"^{_DATE}((\\.\\.|~|到|至){_DATE})?$")


MAX_COUNT = 10**9
_COUNT_RANGE = re.compile(f"([0-9]+){_SPACE}*(?:\\.\\.|-|~|到|至){_SPACE}*([0-9]+)")
_COUNT_BOUND = re.compile(f"(>=|<=|>|<|≥|≤)?{_SPACE}*([0-9]+)")


def parse_count_range(value: str) -> tuple[int, int]:
    """`0`, `>100`, `>=100`, `<5`, `<=5` (also `≥`, `≤`) or `1..5` (also `-`, `~`, `到`, `至`) → inclusive
    (low, high) counts, stored one up (see `encode_count`)."""
    if match := _COUNT_RANGE.fullmatch(value):
        low, high = sorted((int(match.group(1)), int(match.group(2))))
    elif match := _COUNT_BOUND.fullmatch(value):
        number = int(match.group(2))
        low, high = {">": (number + 1, MAX_COUNT), ">=": (number, MAX_COUNT), "≥": (number, MAX_COUNT),
                     "<": (0, number - 1), "<=": (0, number), "≤": (0, number)}.get(match.group(1), (number, number))
    else:
        raise FieldValueError(f"数量条件“{value}”无法识别。")
    return (min(low, MAX_COUNT) + 1, min(high, MAX_COUNT) + 1)


def encode_count(value: object) -> int | None:
    """A table total → the integer engines index: the count plus one, since engines keep 0 for "no value";
    a blank, `/` or unread total (None) stays no value, so it never matches `new:0`."""
    if value is None or isinstance(value, bool) or value != int(value) or value < 0:
        return None
    return min(int(value), MAX_COUNT) + 1


COUNT = RangeCodec(parse=parse_count_range, encode=encode_count, syntax="0、>100、>=100、<5 或 1..5",
                   pattern=f"^((>=|<=|>|<|≥|≤)?{_SPACE}*[0-9]+|[0-9]+{_SPACE}*(\\.\\.|-|~|到|至){_SPACE}*[0-9]+)$")


def check_names() -> dict[str, str]:
    """Every way to name a check outcome (key or Chinese label) → its key."""
    names = {key: key for key in OUTCOMES}
    names.update({label: key for key, label in OUTCOMES.items()})
    return names


def _statistics_fields() -> tuple[FieldSpec, ...]:
    """`check:` (the report's check outcome) and one count field per stored table total of `MEASURES`."""
    check = FieldSpec("check", "表格核对", "report", "exact", facet=True, filter=True, query=True,
                      choices=check_names, example="check:fail",
                      help="统计表核对结果：fail（未通过：任一核对项不符）、pass（通过）、na（无法核对）（可重复）",
                      extract=lambda r: outcome(r.statistics.checks))
    counts = tuple(
        FieldSpec(name, label, "report", "range", filter=True, query=True, codec=COUNT,
                  example=f"{name}:>100 或 {name}:1..5", help=f"{label}（总计列，{unit}）：{COUNT.syntax}（可重复）",
                  extract=lambda r, total=totals[0]: r.statistics.totals.get(total), default=None,
                  json_schema={"type": ["integer", "null"]})
        for name, (label, unit, totals, how) in MEASURES.items() if how == "value" and totals == (name,))
    return (check, *counts)


def section_names() -> dict[str, str]:
    """Every way to name a section (key or Chinese label) → its canonical key."""
    names = {key: key for key in SECTION_LABELS}
    names.update({label: key for key, label in SECTION_LABELS.items()})
    return names


# The `copy` facet's values: one key, "yes" (the report has a near-duplicate published by another body).
COPY_NAMES = {"yes": "yes", "是": "yes", "内容雷同": "yes"}  # the last-but-one name is the facet label


def copy_names() -> dict[str, str]:
    """Every way to ask for near-duplicated reports → the `copy` key."""
    return dict(COPY_NAMES)


def _region(part: str) -> Callable:
    return lambda report: getattr(report.region, part) or ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("report_id", "编号", "report", column="report_id", exported=True),
    FieldSpec("title", "标题", "report", exported=True, extract=lambda r: r.title or ""),
    FieldSpec("agency", "机构", "report", "contains", facet=True, filter=True, query=True, exported=True,
              example="agency:审批服务管理局", help="机构名称包含此文字（可重复，多值为“或”）",
              extract=lambda r: r.agency or ""),
    FieldSpec("year", "年度", "report", "range", facet=True, filter=True, query=True, sortable=True,
              exported=True, codec=YEAR, example="year:2020 或 year:2018..2022",
              help="年度：2020 或 2018..2022（可重复）", extract=lambda r: r.year, default=None,
              json_schema={"type": ["integer", "null"]}),
    FieldSpec("province", "省份", "report", "contains", facet=True, filter=True, query=True, exported=True,
              example="province:宁夏", help="省份（可重复）", extract=_region("province")),
    FieldSpec("city", "城市", "report", "contains", facet=True, filter=True, query=True, exported=True,
              example="city:银川", help="城市（可重复）", extract=_region("city")),
    FieldSpec("county", "区县", "report", "contains", facet=True, filter=True, query=True, exported=True,
              example="county:青铜峡", help="区县（可重复）", extract=_region("county")),
    FieldSpec("region", "地区", "report", "hierarchy", query=True, parts=("province", "city", "county"),
              example="region:中卫", on_sections=False),
    FieldSpec("url", "原文链接", "report", exported=True, extract=lambda r: r.url or ""),
    FieldSpec("template", "模板", "report", extract=lambda r: r.template),
    FieldSpec("fingerprint", "指纹", "report"),  # set by the index stage (what built this record)
    FieldSpec("tables", "统计表", "report", on_sections=False, extract=lambda r: list(r.tables), default=(),
              json_schema={"type": "array", "items": {"type": "object"}}),
    FieldSpec("warnings", "读取警告", "report", on_sections=False, extract=lambda r: list(r.warnings),
              default=(), json_schema={"type": "array", "items": {"type": "string"}}),
    FieldSpec("section", "章节", "section", "exact", facet=True, filter=True, query=True, exported=True,
              choices=section_names, example="section:requests",
              help="章节：键名（requests）或中文名（依申请公开）（可重复）"),
    FieldSpec("heading", "章节标题", "section", exported=True),
    FieldSpec("published", "发布日期", "report", "range", filter=True, query=True, exported=True, codec=DATE,
              example="published:2021-01..2021-03", help="发布日期：2021、2021-03-05 或 2021-01..2021-03（可重复）",
              extract=lambda r: r.published, default=None),
    # The reader cannot know this: every record is read with "" and `indexer.ledger` sets "yes" after the build
    # on reports with a near-duplicate from another agency (MinHash/LSH over the indexed text).
    FieldSpec("copy", "内容雷同", "report", "exact", facet=True, filter=True, query=True, choices=copy_names,
              example="copy:yes", help="内容雷同：yes（与其他机构的报告内容几乎相同）", extract=lambda r: ""),
    *_statistics_fields(),
)

BY_NAME = {spec.name: spec for spec in FIELDS}
REPORT_FIELDS = tuple(s for s in FIELDS if s.level == "report")
# Report fields every section document carries (what engines filter, facet and sort on, and show in hits).
SECTION_DOC_FIELDS = tuple(s for s in REPORT_FIELDS if s.on_sections and s.extract is not None
                           or s.name == "fingerprint")
QUERY_FIELDS = tuple(s.name for s in FIELDS if s.query)
FILTER_FIELDS = tuple(s.name for s in FIELDS if s.filter)
FACET_FIELDS = tuple(s.name for s in FIELDS if s.facet)
SORTS = ("relevance",) + tuple(s.name for s in FIELDS if s.sortable)
EXPORTED_REPORT_FIELDS = tuple(s for s in REPORT_FIELDS if s.exported)
# CSV columns are the exported fields in declaration order; the snippet and report-page columns follow this
# one, and fields declared after it are appended behind them, so existing columns keep their positions.
CSV_LINKS_AFTER = "heading"


def spec(name: str) -> FieldSpec:
    """The declaration of field `name` (KeyError for a name the vocabulary does not have)."""
    return BY_NAME[name]


def indexed_fields(*, match: Match) -> tuple[FieldSpec, ...]:
    """Fields engines index for matching with `match`, at either level (hierarchies are over these)."""
    return tuple(s for s in FIELDS if s.match == match and (s.level == "section" or s in SECTION_DOC_FIELDS))


def fingerprint() -> str:
    """Names what engines index from the vocabulary: a declaration change asks for a rebuild (manifest)."""
    shape = "|".join(f"{s.name}:{s.level}:{s.match}:{s.facet}:{s.on_sections}" for s in FIELDS)
    return "vocabulary-" + hashlib.sha1(shape.encode("utf-8")).hexdigest()[:12]


def range_value(name: str, value: object) -> int | None:
    """The integer an engine indexes for a range field's record value."""
    return BY_NAME[name].codec.encode(value)

