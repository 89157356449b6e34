"""Read stage, statistics: what one table reader returns, and how a placed piece becomes a typed cell. Pure."""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer.read.statistics.cells import Cell, classify, is_damaged_number
from indexer.read.statistics.rows import Piece


@dataclass
class TableRead:
    cells: list[Cell] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    start: int | None = None  # index of the table's first data row in the row stream
    end: int | None = None  # index of its last row
    version: str | None = None  # what the table's own words say about the template


def make_cell(read: TableRead, table: str, row: str, col: str, piece: Piece | None, *, row_label: str,
              col_label: str, page: int | None) -> Cell:
    """A typed cell; a merged copy or a damaged number carries no value and says so in a warning."""
    where = f"{table} {row_label} / {col_label}"
    if piece is None:
        return Cell(table, row, col, "", None, "blank", row_label, col_label, page)
    if piece.merged:
        read.warnings.append(f"merged cell at {where}: its value is kept once, in the first column it spans")
        return Cell(table, row, col, "", None, "blank", row_label, col_label, page)
    value, kind = classify(piece.text)
    if kind == "text" and is_damaged_number(piece.text):
        read.warnings.append(f"not a clean number at {where}: {piece.text!r}")
    return Cell(table, row, col, piece.text.strip(), value, kind, row_label, col_label, page)
