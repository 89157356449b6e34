"""The engine contract: every registered engine answers like the reference engine (a plain scan).

Same documents, same queries: which sections match, report and section totals, facet counts, `sort=year`
order, pagination, published ranges, and the same after incremental replace and delete. A new engine (a
server engine for the scale-out path) is done when it passes this file.
"""
from __future__ import annotations

import dataclasses

import pytest

from indexer.build import build_index
from indexer.engines import engine_names, open_engine
from indexer.search import SearchRequest, build_query, search
from nianbao.config import IndexSettings
from nianbao.pipeline import portal_regions
from tests.engines.conftest import synthetic_docs

CANDIDATES = tuple(name for name in engine_names() if name != "reference")
PUBLISHED = {"r0": "2021-01-20", "r1": "2022-03", "r2": "2022-03-05", "r3": None}
# Table totals and check outcomes: r2's totals are blank (None), which must never match a count, 0 included.
STATISTICS = {"r0": {"check": "fail", "new": 0, "refused": 3, "review": 1},
              "r1": {"check": "pass", "new": 150, "refused": 0, "review": 0},
              "r2": {"check": "na"}, "r3": {}}
COPY = {"r0": "yes", "r1": "", "r2": "", "r3": "yes"}  # near-duplicates flagged by the ledger (`copy`)
QUERIES = (
    '"一窗受理"', '"市一窗"', '"受"', '"office hours"', '"ABC 公司"', '"*"', '"a+b"',   # phrases
    "受理", "一窗 受理", "open data",                                                  # words
    "一窗受理 OR 窗口", "受理 -合作", "NOT 受理", "(受理 OR open) -一窗",                  # OR / NOT
    "agency:审批局", "region:银川", "province:甘肃", "county:甲县", "year:2021", "year:2020..2021",
    "section:proactive", "section:其他事项 受理",                                           # fields
    "published:2022", "published:2022-03", "published:2021-01..2022-03-04", "published:2023",  # published
    "check:fail", "check:pass", "check:无法核对", "-check:fail", "check:fail OR check:na",          # checks
    "new:0", "new:>100", "new:>=150", "new:<=149", "new:0..200", "refused:<3", "review:1",        # counts
    "review:0 受理", "-new:0", "carried:0", "new:>100 OR refused:>=3", "review:2..5",
    "copy:yes", "受理 -copy:yes", "copy:内容雷同 OR year:2021",                             # near-duplicates
    "",
)
# Unquoted words anywhere in one report (the default), with NOT, OR, phrases and filters across sections;
# each also within one section (`within="section"`).
REPORT_QUERIES = (
    "受理 office", "合作市 开放", "一窗 -费用", "受理 -合作", "NOT 开放", "(受理 OR open) -一窗", '"市一窗" 受理',
    "公司 year:2020 OR 窗口", "year:2020 OR 开放", "合作市申请", "受理 agency:乙市", "费用 受理", "受理 office -一窗",
    '(一窗 OR 开放) 受理 -"a+b"', "受理 数据 year:2020..2021",
)


def documents() -> dict:
    """The synthetic reports, each with a publish date (one known to the month only, one unknown), table
    totals (blank in one), a check outcome, and two flagged as near-duplicates."""
    return {rid: [dataclasses.replace(d, published=PUBLISHED[rid], copy=COPY[rid], **STATISTICS[rid]) for d in docs]
            for rid, docs in synthetic_docs().items()}


@pytest.fixture(scope="module", params=CANDIDATES)
def pair(request, tmp_path_factory):
    """(candidate engine, reference engine), both holding `documents()`."""
    folder = tmp_path_factory.mktemp(f"contract-{request.param}")
    engines = [open_engine(name, folder / name, create=True) for name in (request.param, "reference")]
    for engine in engines:
        engine.replace_reports(documents())
    yield engines
    for engine in engines:
        engine.close()


def answer(engine, text: str, **request) -> tuple:
    """What the contract compares: matching sections, totals and facet counts (ranking aside)."""
    result = engine.search(build_query(SearchRequest(q=text, **request)), offset=0, limit=1000)
    sections = {(r.report_id, s.section_no) for r in result.reports for s in r.sections}
    return sections, result.total_reports, result.total_sections, result.facets


@pytest.mark.parametrize("text", QUERIES)
def test_engine_answers_like_the_reference(pair, text):
    candidate, reference = pair
    assert answer(candidate, text) == answer(reference, text)


@pytest.mark.parametrize("text", REPORT_QUERIES)
@pytest.mark.parametrize("within", ["report", "section"])
def test_report_and_section_matching_agree(pair, text, within):
    candidate, reference = pair
    assert answer(candidate, text, within=within) == answer(reference, text, within=within)


def test_words_in_different_sections_find_their_report(pair):
    for engine in pair:
        sections, reports, _, _ = answer(engine, "受理 office")
        assert reports == 1 and sections == {("r1", 0), ("r1", 1), ("r1", 2)}  # office only in section 0
        assert answer(engine, "受理 office", within="section")[1] == 1
        assert answer(engine, "合作市 开放")[1] == 0  # in two different reports
        assert answer(engine, "一窗 受理 section:requests")[0] == {("r1", 2)}  # section: narrows to sections
        # `-word` drops the sections holding it, not the report: office and 受理 are both in r1's first one.
        assert answer(engine, "受理 office -一窗")[0] == {("r1", 0)}


@pytest.mark.parametrize("filters", [{"published": ("2022-03-05",)}, {"year": ("2020",), "section": ("overview",)},
                                     {"agency": ("县",), "published": ("2021", "2022-03")},
                                     {"check": ("fail", "na")}, {"new": (">100", "0")}, {"new": ("0",)},
                                     {"check": ("pass",), "refused": ("0",)}, {"review": ("1..5",), "year": ("2020",)},
                                     {"copy": ("yes",), "year": ("2020",)}])
def test_filters_agree(pair, filters):
    candidate, reference = pair
    assert answer(candidate, "", filters=filters) == answer(reference, "", filters=filters)


@pytest.mark.parametrize("text", ['"一窗受理"', "受理", "一窗 受理", "受理 -合作", "agency:审批局", "", "section:proactive"])
def test_one_facet_alone_counts_as_in_a_full_search(pair, text):
    # A filtered search's multi-select facets ask the engine for one facet each (`Engine.facet_counts`).
    candidate, reference = pair
    tree = build_query(SearchRequest(q=text))
    for name in ("year", "agency", "county", "section", "check"):
        full = reference.search(tree, offset=0, limit=0).facets.get(name, {})
        assert candidate.facet_counts(tree, (name,)) == reference.facet_counts(tree, (name,)) == {name: full}


@pytest.mark.parametrize("text", ['"一窗受理"', "受理", "受理 office", "受理 -合作", "(受理 OR open) -一窗", "year:2020",
                                  "合作市 开放", ""])
def test_matching_sections_within_some_reports(pair, text):
    # The bench reads back only its sample's matches (`matching_keys(..., reports=...)`).
    candidate, reference = pair
    tree = build_query(SearchRequest(q=text))
    everything = reference.matching_keys(tree)
    for some in ({"r1"}, {"r0", "r2", "r3"}, set()):
        expected = {key for key in everything if key.rpartition(":")[0] in some}
        assert candidate.matching_keys(tree, reports=some) == reference.matching_keys(tree, reports=some) == expected
    assert candidate.matching_keys(tree) == everything


@pytest.mark.parametrize("text", ['"受理"', "受理 -合作"])
def test_pages_cover_every_report_once(pair, text):
    candidate, reference = pair
    whole = {h.report_id for h in search(reference, SearchRequest(q=text, per_page=100)).hits}
    paged = [h.report_id for page in (1, 2, 3) for h in search(candidate, SearchRequest(q=text, per_page=1,
                                                                                       page=page)).hits]
    assert len(paged) == len(set(paged)) and set(paged) <= whole
    assert len(set(paged)) == min(3, len(whole))


@pytest.mark.parametrize("text", ['"受理"', "受理 -合作", ""])
def test_year_sort_agrees(pair, text):
    candidate, reference = pair
    years = [[h.year for h in search(engine, SearchRequest(q=text or "year:2000..2030", sort="year",
                                                           per_page=100)).hits] for engine in pair]
    assert years[0] == years[1] == sorted(years[1], key=lambda y: -(y or 0))


def test_records_and_sections_read_back(pair):
    candidate, reference = pair
    for report_id in documents():
        assert candidate.report_record(report_id) == reference.report_record(report_id)
        assert candidate.report_sections(report_id) == reference.report_sections(report_id)
    assert candidate.fingerprints() == reference.fingerprints()
    assert candidate.report_record("unknown") is None and candidate.report_sections("unknown") == []


def test_blank_totals_never_match_a_count(pair):
    for engine in pair:
        assert answer(engine, "new:0")[1] == 1  # r0 prints 0; r2's blank total is no value
        assert answer(engine, "new:<=1000000")[1] == 2
        assert {h.report_id for h in search(engine, SearchRequest(q="check:fail")).hits} == {"r0"}


def test_incremental_replace_and_delete_agree(tmp_path):
    for name in CANDIDATES:
        engines = [open_engine(n, tmp_path / name / n, create=True) for n in (name, "reference")]
        try:
            for engine in engines:
                engine.replace_reports(documents())
                changed = [dataclasses.replace(d, text=d.text.replace("一窗", "一网"), fingerprint="fp-new",
                                               published="2024-05-06") for d in documents()["r0"]]
                engine.replace_reports({"r0": changed}, delete=["r1"])
            for text in ('"一窗受理"', '"一网受理"', "published:2024", "agency:乙市", ""):
                assert answer(engines[0], text) == answer(engines[1], text), (name, text)
            assert engines[0].fingerprints() == engines[1].fingerprints()
        finally:
            for engine in engines:
                engine.close()


def test_reference_engine_indexes_and_serves_a_corpus(demo_settings, tmp_path):
    from webui import create_app

    settings = dataclasses.replace(demo_settings, index=IndexSettings(engine="reference"),
                                   paths=dataclasses.replace(demo_settings.paths, index=tmp_path / "index"))
    build_index(settings.paths.corpus, settings.paths.index, "reference", portal_regions(settings))
    data = create_app(settings).test_client().get('/api/search?q="一窗受理"').get_json()
    assert data["total"] == 1 and data["hits"][0]["agency"] == "青铜峡市审批服务管理局"


def test_every_engine_has_its_config_table():
    from nianbao.config import ENGINE_SETTINGS

    assert set(engine_names()) == set(ENGINE_SETTINGS)
