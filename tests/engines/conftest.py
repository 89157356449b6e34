"""Both engines built from the same documents: the demo corpus, and small synthetic sections."""
from __future__ import annotations

import shutil

import pytest

from indexer.build import build_index
from indexer.engines import SectionDoc, open_engine
from nianbao.pipeline import portal_regions

ENGINES = ("whoosh", "tantivy")


@pytest.fixture(scope="session")
def demo_indexes(demo_settings, tmp_path_factory):
    """engine name → the folder of that engine's index of the demo corpus (with the shipped regions)."""
    folder = tmp_path_factory.mktemp("engines")
    corpus = folder / "corpus"
    shutil.copytree(demo_settings.paths.corpus, corpus)
    for name in ENGINES:
        build_index(corpus, folder / name, name, portal_regions(demo_settings))
    return {name: folder / name for name in ENGINES}


@pytest.fixture(scope="session")
def demo_engines(demo_indexes):
    """engine name → that engine, opened on its demo index."""
    engines = {name: open_engine(name, path) for name, path in demo_indexes.items()}
    yield engines
    for engine in engines.values():
        engine.close()


# Texts that stress the analysis: spaces kept between Latin words, digits, mixed scripts, a one-character
# section, punctuation, repeated characters and a character that is a regex meta-character.
SYNTHETIC_TEXTS = (
    "推行一窗受理、集成服务改革，合作市一窗受理中心于2020年1月1日启用。",
    "政务服务中心共受理申请 128 件，其中 ABC 公司申请 3 件；office hours 9:00-17:00。",
    "Open Data 开放数据 open data 2021 年",
    "受",
    "一窗一窗一窗受理受理",
    "费用（含*号与?号）: a+b=c [附表] $100 ~ 200 | x^2",
    "",
    "市一窗受理",
)


def synthetic_docs() -> dict[str, list[SectionDoc]]:
    """Three small reports over SYNTHETIC_TEXTS, with facet fields that differ between reports."""
    metadata = [("甲县审批局", 2020, "宁夏回族自治区", "中卫市", "甲县"),
                ("乙市政府办公室", 2021, "宁夏回族自治区", "银川市", ""),
                ("丙区审批局", 2020, "甘肃省", "", "")]
    sections = ("overview", "proactive", "requests")
    reports: dict[str, list[SectionDoc]] = {}
    for number, text in enumerate(SYNTHETIC_TEXTS):
        agency, year, province, city, county = metadata[number % 3]
        report_id = f"r{number % 3}"
        docs = reports.setdefault(report_id, [])
        docs.append(SectionDoc(report_id=report_id, section_no=len(docs), section=sections[len(docs) % 3],
                               heading=f"{len(docs) + 1}、标题", text=text, title=f"{agency}{year}年报告",
                               agency=agency, year=year, province=province, city=city, county=county,
                               fingerprint=f"fp-{report_id}"))
    # A report whose parser left two sections under one key; only the second has the phrase.
    reports["r3"] = [SectionDoc(report_id="r3", section_no=n, section="other", heading="其他", text=text,
                                title="丁县2022年报告", agency="丁县审批局", year=2022, fingerprint="fp-r3")
                     for n, text in enumerate(("受理窗口", "其他：一窗受理", "一窗受理与受理"))]
    return reports


@pytest.fixture(scope="session")
def synthetic_engines(tmp_path_factory):
    """engine name → an index of `synthetic_docs()`."""
    folder = tmp_path_factory.mktemp("synthetic")
    engines = {}
    for name in ENGINES:
        engine = open_engine(name, folder / name, create=True)
        engine.replace_reports(synthetic_docs())
        engines[name] = engine
    yield engines
    for engine in engines.values():
        engine.close()
