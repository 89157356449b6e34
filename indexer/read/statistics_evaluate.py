"""Read stage: measure the statistics reader against a development set of real pages (`nianbao stats --eval`).

The set (`tests/statistics/devset/`) is a `manifest.tsv` (`file url notes`; `file` relative to the manifest's
folder) of page texts kept exactly as a public store returned them, and `truth.json`: file → the `totals`
a person read off that page. A key left out of a page's truth is none (the page does not print it: a table
cut off, a blank or `/` cell, a 2019 table 2 without 现行有效), so a reader that makes a value up, or reads a
blank as 0, is wrong there too. `score` is pure: cases and what was read from them → per-key accuracy.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from indexer.read.statistics.model import TOTALS


@dataclass(frozen=True)
class Case:
    file: str
    url: str
    text: str
    truth: dict


@dataclass(frozen=True)
class Miss:
    file: str
    key: str
    expected: object
    got: object


@dataclass(frozen=True)
class Evaluation:
    pages: int
    correct: dict[str, int]   # key → pages where the reader's total equals the truth (none included)
    printed: dict[str, int]   # key → pages that print a value for it
    misses: tuple[Miss, ...]

    def ratio(self, key: str | None = None) -> float:
        """Share of (page, key) pairs read right, for one key or all of them (1.0 on an empty set)."""
        keys = [key] if key else list(self.correct)
        total = self.pages * len(keys)
        return sum(self.correct[k] for k in keys) / total if total else 1.0

    def printed_ratio(self) -> float:
        """Share of the values the pages print that were read right (1.0 when none is printed)."""
        printed = sum(self.printed.values())
        wrong = sum(1 for m in self.misses if m.expected is not None)
        return (printed - wrong) / printed if printed else 1.0

    def made_up(self) -> list[Miss]:
        """Values read where the page prints none (a blank, `/`, or a cell the text does not hold)."""
        return [m for m in self.misses if m.expected is None]

    def to_json(self) -> dict:
        return {"pages": self.pages, "accuracy": round(self.ratio(), 4), "printed_accuracy": round(self.printed_ratio(), 4),
                "keys": {k: {"correct": self.correct[k], "printed": self.printed[k]} for k in self.correct},
                "misses": [m.__dict__ for m in self.misses]}


def load_cases(manifest: Path) -> list[Case]:
    """The pages of a manifest with their truth (`truth.json` beside it)."""
    truth = json.loads((manifest.parent / "truth.json").read_text(encoding="utf-8"))
    with open(manifest, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Case(row["file"], row["url"], (manifest.parent / row["file"]).read_text(encoding="utf-8"),
                 truth.get(row["file"], {})) for row in rows]


def score(cases: Iterable[Case], read: Callable[[str], dict]) -> Evaluation:
    """Compare `read(text)` (a `totals` dict) with each case's truth, key by key."""
    correct = dict.fromkeys(TOTALS, 0)
    printed = dict.fromkeys(TOTALS, 0)
    misses: list[Miss] = []
    pages = 0
    for case in cases:
        pages += 1
        got = read(case.text)
        for key in TOTALS:
            expected = case.truth.get(key)
            printed[key] += expected is not None
            if got.get(key) == expected:
                correct[key] += 1
            else:
                misses.append(Miss(case.file, key, expected, got.get(key)))
    return Evaluation(pages, correct, printed, tuple(misses))


def report_lines(evaluation: Evaluation) -> list[str]:
    """The evaluation for people: per key, then overall, then every miss."""
    lines = [f"{evaluation.pages} pages, totals read right: {evaluation.ratio():.1%} of (page, key) pairs, "
             f"{evaluation.printed_ratio():.1%} of the {sum(evaluation.printed.values())} values the pages print"]
    for key in evaluation.correct:
        lines.append(f"  {key:<26}{evaluation.correct[key]:>4}/{evaluation.pages}  "
                     f"({evaluation.printed[key]} pages print it)")
    lines.append(f"values made up where the page prints none: {len(evaluation.made_up())}")
    lines += [f"  miss {m.file} {m.key}: expected {m.expected!r}, read {m.got!r}" for m in evaluation.misses]
    return lines
