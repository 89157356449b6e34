"""Read stage, statistics: value pieces → the columns they stand under. Pure.

A grid row (HTML, DOCX, tabs) has one piece per column, blanks included. A PDF row loses its blank
cells: there the x-centre of each piece is matched to the column centres learnt from the table's full
rows. When neither tells where a value belongs, the row is left unplaced (a warning), never guessed.
"""
from __future__ import annotations

from statistics import median

from indexer.read.statistics.rows import Piece


def place(values: list[Piece], width: int, centres: list[float] | None) -> list[Piece | None] | None:
    """`width` slots filled from `values`; None where nothing was printed; None overall when unplaceable."""
    if len(values) > width:
        return _window(values, width)
    if len(values) == width:
        return list(values)
    if not centres or any(p.x0 is None for p in values):
        return None
    slots: list[Piece | None] = [None] * width
    for piece in values:
        middle = (piece.x0 + piece.x1) / 2
        nearest = min(range(width), key=lambda i: abs(centres[i] - middle))
        if slots[nearest] is not None:
            return None
        slots[nearest] = piece
    return slots


def _window(values: list[Piece], width: int) -> list[Piece] | None:
    """Drop empty cells outside the table's columns (a label spanning two columns, a stray last column).

    Of the windows whose dropped cells are all empty, the one with fewest empty end cells wins (a
    printed total is seldom blank); ties go to the rightmost, as cells missing under a rowspan are on the left.
    """
    def blank(piece: Piece) -> bool:
        return not piece.text.strip()

    options = [o for o in range(len(values) - width + 1)
               if all(blank(p) for p in values[:o] + values[o + width:])]
    if not options:
        return None
    best = min(options, key=lambda o: (blank(values[o]) + blank(values[o + width - 1]), -o))
    return list(values[best:best + width])


def learn_centres(rows: list[list[Piece]], width: int) -> list[float] | None:
    """Median x-centre of each column over the rows that print all `width` values with positions."""
    full = [r for r in rows if len(r) == width and all(p.x0 is not None for p in r)]
    if not full:
        return None
    return [median((r[i].x0 + r[i].x1) / 2 for r in full) for i in range(width)]
