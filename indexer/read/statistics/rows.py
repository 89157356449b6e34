"""Read stage, statistics: the rows a table reader walks, from any format. Pure.

A `Row` is the printed pieces of one table row in reading order. Extractors that know more than text
give more: HTML and DOCX grids with merged cells expanded (copies flagged `merged`), PDF rows with the
x-extent of every piece and the page. Formats without structure (plain text, DOC, RTF) come through
`rows_from_text`: tab- or pipe-separated lines, or one cell per line under its row label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.read.statistics.cells import classify, looks_like_value

MIN_STACKED_VALUES = 3


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


def rows_from_text(text: str) -> list[Row]:
    """Every line as a row: tab-separated cells, `| a | b |` cells, else one piece; stacked cells folded."""
    rows = [Row(tuple(Piece(cell.strip()) for cell in _split(line))) for line in text.split("\n")]
    has_grid = any(len(row.pieces) > 1 for row in rows)
    return rows if has_grid else fold_stacked(rows)


def _split(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        if re.fullmatch(r"[|\s:：\-—]+", stripped):
            return [""]  # a Markdown rule line (`|---|---|`)
        return stripped.strip("|").split("|")
    return [line]


def fold_stacked(rows: list[Row]) -> list[Row]:
    """Text with one cell per line: a label line followed by ≥3 value lines becomes one row."""
    folded: list[Row] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        end = index + 1
        while end < len(rows) and _is_value_line(rows[end]):
            end += 1
        if end - index - 1 >= MIN_STACKED_VALUES:
            folded.append(Row(row.pieces + tuple(p for r in rows[index + 1:end] for p in r.pieces)))
            index = end
        else:
            folded.append(row)
            index += 1
    return folded


def _is_value_line(row: Row) -> bool:
    return len(row.pieces) == 1 and row.pieces[0].text.strip() != "" and classify(row.pieces[0].text)[1] != "text"


def split_row(row: Row) -> tuple[str, list[Piece]]:
    """A row's label (its distinct leading texts joined) and its trailing run of value pieces."""
    end = len(row.pieces)
    while end > 0 and _is_value_piece(row.pieces[end - 1]):
        end -= 1
    labels: list[str] = []
    for piece in row.pieces[:end]:
        text = piece.text.strip()
        if text and (not labels or labels[-1] != text):
            labels.append(text)
    return " ".join(labels), list(row.pieces[end:])


def _is_value_piece(piece: Piece) -> bool:
    return looks_like_value(piece.text)
