"""Read stage: measure the reader against a development set (a manifest of real pages with their truth).

A manifest is a TSV with the header `file url agency year province city county level notes`; `file` is
relative to the manifest's folder; an empty cell means "none" (a central body has no region, a county
directly under a province no city). `score` is pure: cases and the reports read from them → accuracy.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("agency", "year", "province", "city", "county")


@dataclass(frozen=True)
class Case:
    path: Path
    url: str | None
    truth: dict[str, str | None]


@dataclass(frozen=True)
class Miss:
    file: str
    field: str
    expected: str | None
    got: str | None


@dataclass(frozen=True)
class Evaluation:
    total: int
    correct: dict[str, int]
    misses: tuple[Miss, ...]

    def ratio(self, name: str) -> float:
        """The share of pages whose `name` matched (1.0 on an empty set)."""
        return self.correct[name] / self.total if self.total else 1.0


def read_manifest(path: Path) -> list[Case]:
    """The cases a manifest lists; files are resolved against the manifest's folder."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = [name for name in ("file", *FIELDS) if rows and name not in rows[0]]
    if missing:
        raise ValueError(f"{path}: manifest lacks the column(s) {', '.join(missing)}")
    return [Case(path.parent / row["file"], normalise(row.get("url")),
                 {name: normalise(row.get(name)) for name in FIELDS}) for row in rows if (row.get("file") or "").strip()]


def normalise(value) -> str | None:
    """Trivial whitespace removed; empty is None (so `""` in the manifest equals a null read)."""
    if value is None:
        return None
    value = re.sub(r"\s+", "", str(value))
    return value or None


def report_values(report) -> dict[str, str | None]:
    """The compared fields of a `Report`, normalised like the manifest."""
    region = report.region
    values = {"agency": report.agency, "year": report.year, "province": region.province, "city": region.city,
              "county": region.county}
    return {name: normalise(value) for name, value in values.items()}


def score(cases: Iterable[Case], read: Callable[[Case], dict[str, str | None]]) -> Evaluation:
    """Per-field accuracy of `read` (a case → its field values) over `cases`; a read that raises misses all."""
    cases = list(cases)
    correct = dict.fromkeys(FIELDS, 0)
    misses: list[Miss] = []
    for case in cases:
        try:
            got = read(case)
        except Exception as exc:  # noqa: BLE001 - one unreadable page counts as wrong, it must not stop the run
            got = dict.fromkeys(FIELDS, f"<error {type(exc).__name__}>")
        for name in FIELDS:
            if got.get(name) == case.truth[name]:
                correct[name] += 1
            else:
                misses.append(Miss(str(case.path), name, case.truth[name], got.get(name)))
    return Evaluation(len(cases), correct, tuple(misses))


def read_case(case: Case) -> dict[str, str | None]:
    """Read one page of the set as the indexer would (extract, then parse) and return its compared fields."""
    from indexer.read.extract import extract
    from indexer.read.report import parse_extracted

    report = parse_extracted(extract(case.path.read_bytes(), case.path.name), source=str(case.path), url=case.url)
    return report_values(report)


def evaluate_manifests(paths: Iterable[Path]) -> Evaluation:
    """Accuracy of the reader over every page the manifests list."""
    cases = [case for path in paths for case in read_manifest(Path(path))]
    return score(cases, read_case)
