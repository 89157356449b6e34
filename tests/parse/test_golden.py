"""Golden files: every real report against its expected JSON in tests/parse/golden/.

The inputs are the demo samples (`*.txt` beside the JSON, as in the bundled corpus) and the real pages and
PDFs read from ../shared/real at test time (never copied into the repository; without ../shared those
cases skip). After a deliberate parser change, regenerate with
`.venv/bin/python -m tests.parse.test_golden --write` and review the diff.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from indexer.read.extract import extract
from indexer.read.report import Report, parse_extracted
from tests.conftest import SHARED, SHARED_MISSING

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = sorted(GOLDEN.glob("*.json"))
SOURCES = [GOLDEN, SHARED / "real" / "pingtan", SHARED / "real" / "pdf"]
INPUTS = sorted((p for folder in SOURCES if folder.is_dir() for p in folder.iterdir()
                 if p.suffix in {".txt", ".html", ".pdf"} and (GOLDEN / p.name).with_suffix(".json").exists()),
                key=lambda p: p.name)
NAMES = [p.with_suffix("").name for p in EXPECTED]


def read(path: Path) -> Report:
    return parse_extracted(extract(path.read_bytes(), path.name), source=path.name)


def input_for(stem: str) -> Path:
    """The input whose expected JSON is `stem.json`; skips when it lives in a missing ../shared."""
    found = next((p for p in INPUTS if p.stem == stem), None)
    if found is None:
        if not SHARED.is_dir():
            pytest.skip(SHARED_MISSING)
        pytest.fail(f"no input for {stem}.json in {', '.join(map(str, SOURCES))}")
    return found


def summary(report: Report) -> dict:
    """What the golden files pin down: metadata, section keys with headings, table shapes, warnings."""
    data = report.to_json()
    return {
        "title": data["title"], "agency": data["agency"], "year": data["year"], "region": data["region"],
        "template": data["template"], "published": data["published"],
        "sections": [{"key": s["key"], "heading": s["heading"]} for s in data["sections"]],
        "tables": [{"section": t["section"], "rows": len(t["rows"])} for t in data["tables"]],
        "warnings": data["warnings"],
    }


class _Reports(dict):
    """Reports by file name; asking for one read from a missing ../shared skips the test."""

    def __missing__(self, name: str) -> Report:
        if not SHARED.is_dir():
            pytest.skip(SHARED_MISSING)
        raise KeyError(name)


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return _Reports({path.name: read(path) for path in INPUTS})


def test_every_expected_json_has_its_input():
    assert len(EXPECTED) == 23
    if not SHARED.is_dir():
        pytest.skip(SHARED_MISSING)
    assert [p.stem for p in INPUTS] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_report_matches_golden(reports, name):
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert summary(reports[input_for(name).name]) == expected


@pytest.mark.parametrize("name", NAMES)
def test_every_character_of_the_body_lands_in_one_section(reports, name):
    path = input_for(name)
    text = extract(path.read_bytes(), path.name).text
    joined = "".join(s.heading + s.text for s in reports[path.name].sections)
    # Headings are shown without their markdown marks (`### **一、总体情况**` → `一、总体情况`).
    assert re.sub(r"[\s#*]+", "", joined) == re.sub(r"[\s#*]+", "", text)


def test_new_template_samples_have_all_six_sections(reports):
    six = ["preamble", "overview", "proactive", "requests", "review", "problems", "other"]
    for name in ("qingtongxia-spfwglj-2020.txt", "zhongning-spfwglj-2022.txt", "202403_87885.html",
                 "hzq2023_working.pdf", "szfgs2024.pdf"):
        assert [s.key for s in reports[name].sections] == six, name


def test_old_template_samples_have_their_sections_and_statistics(reports):
    for name in ("shapotou-zwfwzx-2018.txt", "yinchuan-xzspfwj-2017.txt", "201204_80678.html"):
        keys = [s.key for s in reports[name].sections]
        assert keys[:3] == ["preamble", "overview", "proactive"] and keys[-1] == "statistics", name
        assert reports[name].template == "pre2019"


def test_statutory_tables_keep_their_rows_of_cells(reports):
    tables = reports["202403_87885.html"].tables
    requests = next(t for t in tables if t["section"] == "requests")
    assert ["一、本年新收政府信息公开申请数量", "80", "1", "0", "0", "0", "0", "81"] in requests["rows"]
    pdf_rows = [row for t in reports["hzq2024_working.pdf"].tables for row in t["rows"]]
    assert any(row[0] == "二、上年结转政府信息公开申请数量" and len(row) == 8 for row in pdf_rows)


def _write() -> None:
    for path in INPUTS:
        expected = summary(read(path))
        (GOLDEN / f"{path.stem}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8")
        print(f"{path.stem}.json", expected["agency"], expected["year"], expected["region"])


if __name__ == "__main__" and "--write" in sys.argv:
    _write()
