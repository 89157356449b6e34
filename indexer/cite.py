"""Search stage, citations: what every exported row carries so a reader can check it, and where it points.

A `Position` names one occurrence (report, section number, character offset and length in the section's
original text); its permalink opens the report viewer there with the occurrence highlighted. The citation
columns are the vocabulary's exported fields (`indexer.schema`) plus the fetch date (a corpus fact, read
from the stored fetch record) and the permalink. Search, KWIC and batch exports all build rows here.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from indexer.read.report import SECTION_LABELS
from indexer.reports import find_document
from indexer.schema import FIELDS, FieldSpec

# The fragment of the highlighted occurrence: browsers without JavaScript scroll to it by themselves.
ANCHOR = "occurrence"
MAX_CITED_CHARS = 1000
# Every exported field (report and section level) in declaration order, then what the index does not hold.
EXPORTED: tuple[FieldSpec, ...] = tuple(s for s in FIELDS if s.exported)
FETCHED_COLUMN = "抓取日期"
PERMALINK_COLUMN = "定位链接"
CITATION_COLUMNS: tuple[str, ...] = tuple(s.header for s in EXPORTED) + (FETCHED_COLUMN, PERMALINK_COLUMN)
CITATION_NAMES: tuple[str, ...] = tuple(s.name for s in EXPORTED) + ("fetched", "permalink")  # keys in JSON


@dataclass(frozen=True)
class Position:
    """One occurrence: `length` characters at `offset` in section `section_no` of report `report_id`."""

    report_id: str
    section_no: int
    offset: int
    length: int

    def params(self) -> dict[str, int]:
        """The viewer's URL parameters for this position (same names as `parse_position` reads)."""
        return {"section_no": self.section_no, "offset": self.offset, "length": self.length}

    def label(self) -> str:
        """`3:120+4` — section number, offset and length, for a CSV cell."""
        return f"{self.section_no}:{self.offset}+{self.length}"


def permalink(root: str, position: Position, query: str = "") -> str:
    """The absolute viewer URL of `position` under the site `root` (`https://host/prefix/`)."""
    params = {**({"q": query} if query else {}), **position.params()}
    return f"{root.rstrip('/')}/reports/{quote(position.report_id)}?{urlencode(params)}#{ANCHOR}"


def parse_position(report_id: str, args: Mapping, section_lengths: Mapping[int, int]) -> Position | None:
    """The position a viewer URL asks for, or None when it names none; ValueError when it names a bad one
    (not numbers, a section the report does not have, or a span outside the section)."""
    if args.get("offset") in (None, ""):
        return None
    try:
        section_no, offset = int(args.get("section_no", "")), int(args["offset"])
        length = int(args.get("length") or 1)
    except ValueError:
        raise ValueError("位置参数应为整数。") from None
    size = section_lengths.get(section_no)
    if size is None or offset < 0 or not 0 < length <= MAX_CITED_CHARS or offset + length > size:
        raise ValueError("链接指向的位置不在这份报告中（报告可能已更新）。")
    return Position(report_id, section_no, offset, length)


class Citer:
    """Builds citation cells for one export: fetch dates read once per report, permalinks under `root`."""

    def __init__(self, corpus: Path, root: str, query: str = ""):
        self.corpus, self.root, self.query = Path(corpus), root, query
        self._fetched: dict[str, str] = {}

    def fetched(self, report_id: str) -> str:
        """When the stored original of `report_id` was fetched (ISO time), '' when the corpus lacks it."""
        if report_id not in self._fetched:
            document = find_document(self.corpus, report_id)
            self._fetched[report_id] = document.fetched_at if document else ""
        return self._fetched[report_id]

    def cells(self, values: Mapping, section: str, heading: str, position: Position,
              query: str | None = None) -> list[str]:
        """The CITATION_COLUMNS of one occurrence: `values` are its report's fields (a record or a hit);
        `query` (else this export's) is highlighted too when the permalink is opened."""
        own = {"report_id": position.report_id, "section": SECTION_LABELS.get(section, section), "heading": heading}
        fields = [own[s.name] if s.name in own else _text(values.get(s.name)) for s in EXPORTED]
        return fields + [self.fetched(position.report_id), self.link(position, query)]

    def to_json(self, values: Mapping, section: str, heading: str, position: Position,
                query: str | None = None) -> dict:
        """The same citation as a JSON object, keyed by field name (`fetched`, `permalink` last)."""
        data = dict(zip(CITATION_NAMES, self.cells(values, section, heading, position, query)))
        data.update(section=section, year=values.get("year"))  # keys and numbers stay typed in JSON
        return data

    def link(self, position: Position, query: str | None = None) -> str:
        """The permalink of `position` (with the query, so its other matches are marked too)."""
        return permalink(self.root, position, self.query if query is None else query)

    def columns_after(self, values: Mapping, position: Position, present: tuple[str, ...]) -> list[str]:
        """Citation cells for the columns a layout does not already have (`present`: field names it has)."""
        cells = self.cells(values, "", "", position)
        return [cell for name, cell in zip(CITATION_NAMES, cells) if name not in present]


def missing_columns(present: tuple[str, ...]) -> tuple[str, ...]:
    """Headers of the citation columns a layout lacks, in the order `Citer.columns_after` fills them."""
    return tuple(header for name, header in zip(CITATION_NAMES, CITATION_COLUMNS) if name not in present)


def _text(value: object) -> str:
    return "" if value is None else str(value)

