"""Golden statistics: every cell of tables 2–4 (and the pre-2019 indicator table) of every real report in
../shared, as the report prints it, with the totals and the checks that fail or cannot be assessed.

The expected files in tests/parse/statistics/ were written by reading each report (the HTML table, the PDF
page rendered with `pdftoppm` and `pdftotext -layout`), not copied from the parser. Two reports carry real
inconsistencies the checks must keep finding: hzq2023 prints 行政复议 总计 0 beside 结果维持 10, and
hzq2024's text says 受理…申请17件 while its table 3 says 95.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer.read.extract import extract
from indexer.read.report import parse_extracted

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
EXPECTED = sorted((Path(__file__).parent / "statistics").glob("*.json"))
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared (real reports)")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed() -> dict:
    results = {}
    for path in EXPECTED:
        source = SHARED / load(path)["source"]
        report = parse_extracted(extract(source.read_bytes(), source.name), source=source.name)
        results[path.stem] = report.to_json()["statistics"]
    return results


def printed(statistics: dict, table: str) -> dict:
    rows: dict = {}
    for cell in statistics["cells"]:
        if cell["table"] == table:
            rows.setdefault(cell["row"], {})[cell["col"]] = cell["text"]
    return rows


def test_every_real_report_with_tables_has_expected_statistics():
    sources = {load(path)["source"] for path in EXPECTED}
    real = {f"real/{p.parent.name}/{p.name}" for p in (SHARED / "real").glob("*/*") if p.suffix in {".html", ".pdf"}
            and "list_index" not in p.name}
    samples = {f"samples/{p.name}" for p in (SHARED / "samples").glob("*.txt")}
    assert real | samples <= sources


@pytest.mark.parametrize("name", [p.stem for p in EXPECTED])
def test_every_cell_as_printed(parsed, name):
    expected = load(Path(__file__).parent / "statistics" / f"{name}.json")
    assert parsed[name]["template"] == expected["template"]
    for table in ("t2", "t3", "t4", "indicators"):
        assert printed(parsed[name], table) == expected.get(table, {}), table


@pytest.mark.parametrize("name", [p.stem for p in EXPECTED])
def test_totals_checks_and_warnings(parsed, name):
    expected = load(Path(__file__).parent / "statistics" / f"{name}.json")
    assert parsed[name]["totals"] == expected["totals"]
    statuses = {status: sorted(c["id"] for c in parsed[name]["checks"] if c["status"] == status)
                for status in ("FAIL", "NOT ASSESSABLE")}
    assert statuses == expected["checks"]
    assert parsed[name]["warnings"] == expected["warnings"]


def test_values_follow_the_printed_text(parsed):
    for statistics in parsed.values():
        for cell in statistics["cells"]:
            if cell["kind"] in ("blank", "na", "text"):
                assert cell["value"] is None, cell
            else:
                number = re.match(r"[\d,.]+", cell["text"]).group(0)  # `11.38 万元` prints its unit
                assert cell["value"] == float(number.replace(",", "")), cell


def test_the_known_inconsistencies_are_found(parsed):
    review = next(c for c in parsed["hzq2023_working"]["checks"] if c["id"] == "t4.review")
    assert review["status"] == "FAIL" and "相差 11" in review["message"]
    assert review["cells"] == ["t4.review.total", "t4.review.upheld", "t4.review.corrected", "t4.review.other",
                               "t4.review.pending"]
    stated = next(c for c in parsed["hzq2024_working"]["checks"] if c["id"] == "text.new")
    assert stated["status"] == "FAIL" and "17" in stated["message"] and "95" in stated["message"]


def test_a_consistent_report_passes_every_check(parsed):
    checks = parsed["202603_105587"]["checks"]
    assert {c["status"] for c in checks} == {"PASS"}
    assert {"t3.balance.total", "t3.results.total", "t3.columns.new", "t4.review", "text.new", "text.review",
            "text.litigation", "sections"} <= {c["id"] for c in checks}
