"""Read stage, statistics: the rows a table reader walks, from any format. Pure.

A `Row` is the printed pieces of one table row in reading order. Extractors that know more than text
give more: HTML and DOCX grids with merged cells expanded (copies flagged `merged`), PDF rows with the
x-extent of every piece and the page. Formats without structure (plain text, DOC, RTF) come through
`text_rows.rows_from_text`.
"""
from __future__ import annotations

from dataclasses import dataclass

from indexer.read.statistics.cells import looks_like_value


@dataclass(frozen=True)
class Piece:
    text: str
    x0: float | None = None
    x1: float | None = None
    merged: str = ""  # "colspan" / "rowspan": a copy of a cell spanning several grid positions


@dataclass(frozen=True)
class Row:
    pieces: tuple[Piece, ...]
    page: int | None = None
    grid: int | None = None  # which source table (HTML/DOCX) the row belongs to

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.pieces]


def split_row(row: Row) -> tuple[str, list[Piece]]:
    """A row's label (its distinct leading texts joined) and its trailing run of value pieces."""
    end = len(row.pieces)
    while end > 0 and looks_like_value(row.pieces[end - 1].text):
        end -= 1
    labels: list[str] = []
    for piece in row.pieces[:end]:
        text = piece.text.strip()
        if text and (not labels or labels[-1] != text):
            labels.append(text)
    return " ".join(labels), list(row.pieces[end:])
