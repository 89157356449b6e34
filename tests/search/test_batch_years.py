"""Batch search reads its candidate reports one year at a time (bounded memory at country scale); the counts,
the per-year and per-agency tallies and the order of the per-report rows must be those of the whole corpus."""
from __future__ import annotations

import pytest

from indexer.batch import run_batch
from indexer.engines import SectionDoc, open_engine

TEXTS = ("推行一窗受理，一窗受理中心启用。", "共受理申请 12 件。", "依申请公开，一窗受理。", "无关内容。")
YEARS = (2019, 2021, None, 2020, 2021, 2019, None)  # two reports without a year


def _reports() -> dict[str, list[SectionDoc]]:
    reports = {}
    for number, year in enumerate(YEARS):
        report_id = f"r{number}"
        agency = f"{'甲乙丙'[number % 3]}县审批局"
        reports[report_id] = [
            SectionDoc(report_id=report_id, section_no=n, section="other", heading=f"{n + 1}、标题",
                       text=TEXTS[(number + n) % len(TEXTS)], title=f"{agency}报告", agency=agency, year=year,
                       fingerprint=f"fp-{report_id}")
            for n in range(2)]
    return reports


def _scan(term: str) -> tuple[int, int, dict, dict]:
    """Reports and occurrences of `term` by plain substring counting over every section."""
    reports = occurrences = 0
    by_year: dict[int, list[int]] = {}
    by_agency: dict[str, list[int]] = {}
    for docs in _reports().values():
        count = sum(doc.text.count(term) for doc in docs)
        if count:
            reports, occurrences = reports + 1, occurrences + count
            for key, table in ((docs[0].year, by_year), (docs[0].agency, by_agency)):
                if key:
                    slot = table.setdefault(key, [0, 0])
                    slot[0], slot[1] = slot[0] + 1, slot[1] + count
    return reports, occurrences, by_year, by_agency


@pytest.mark.parametrize("name", ["whoosh", "tantivy", "reference"])
def test_batch_over_several_years_and_reports_without_one_counts_every_report(name, tmp_path):
    engine = open_engine(name, tmp_path / name, create=True)
    try:
        engine.replace_reports(_reports())
        result = run_batch(engine, ("一窗受理", "申请", "不存在"))
    finally:
        engine.close()
    for term in result.terms:
        assert (term.reports, term.occurrences, term.by_year, term.by_agency) == _scan(term.term)
    rows = result.terms[0].rows
    assert len(rows) == result.terms[0].reports
    years = [row.doc.year for row in rows]
    assert years == sorted((y for y in years if y), reverse=True) + [None] * years.count(None)
    assert None in years  # the reports without a year are listed, after every dated one
    assert not result.truncated
