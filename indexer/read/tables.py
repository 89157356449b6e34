"""Read stage: statistical tables as rows of cells, taken from the tab-separated lines of each section. Pure."""
from __future__ import annotations

from indexer.read.sections import Section

MIN_ROWS = 2


def parse_tables(sections: tuple[Section, ...] | list[Section]) -> list[dict]:
    """Runs of consecutive table rows per section: `{"section", "rows": [[cell, ...], ...]}`."""
    tables = []
    for section in sections:
        rows: list[list[str]] = []
        for line in section.text.split("\n") + [""]:
            if "\t" in line:
                rows.append([cell.strip() for cell in line.split("\t")])
                continue
            if len(rows) >= MIN_ROWS:
                tables.append({"section": section.key, "rows": rows})
            rows = []
    return tables
