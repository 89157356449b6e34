"""Fixtures for the search tests: a real index over the demo corpus, tricky hand-written reports and a few
synthetic ones (varied agencies, regions, years)."""
from __future__ import annotations

import shutil

import pytest

from crawler.corpus import write_document
from indexer.bench_corpus import write_synthetic_corpus
from indexer.engines import open_engine
from indexer.normalize import normalize
from indexer.query import MatchAll
from indexer.read.report import Region
from nianbao.pipeline import index_corpus
from tests.conftest import REPO, write_config
from tests.engines.conftest import ENGINES

# Phrases that cross jieba word boundaries, digits, mixed Latin/CJK, PDF spacing, full-width, markup.
TRICKY_REPORT = """甘南藏族自治州合作市人民政府2021年政府信息公开工作年度报告

本报告由合作市人民政府编制。合作市一窗受理窗口开通12345热线和APP端办理，网址www.hezuo.gov.cn。
一、总体情况
中华人民共和国政府信息公开条例实施以来，政务服务中心推行一网通办，全年受理 1 2 3 4 5 件，不 予公开 3 件。
报告正文里出现了<script>alert("x")</script>这样的内容，以及ＡＢＣ全角字母和 Office 365 办公系统。
二、主动公开政府信息情况
主动公开政府信息 1234 条，其中 12345 便民热线信息 56 条，2021 年 1 月 1 日起施行最多跑一次改革。
三、收到和处理政府信息公开申请情况
收到申请 7 件，依申请公开 5 件，放管服改革持续推进，OA系统和e政务平台上线。
四、政府信息公开行政复议、行政诉讼情况
行政复议 0 件，行政诉讼 0 件。
五、存在的主要问题及改进情况
一窗受理、一网通办仍需深化。
"""
TRICKY_REGION = Region("甘肃省", "甘南藏族自治州", "合作市")
TRICKY_URL = "https://www.hezuo.gov.cn/2021.html"


@pytest.fixture(scope="session", params=ENGINES)
def search_settings(request, tmp_path_factory):
    """Settings of a config whose index holds the demo corpus, the tricky report and 24 synthetic ones;
    every search test runs once per engine."""
    from nianbao.config import load_settings

    folder = tmp_path_factory.mktemp("search")
    corpus = folder / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    write_document(corpus, "hezuo", TRICKY_URL, TRICKY_REPORT.encode("utf-8"),
                   content_type="text/plain", extension="txt", fetched_at="2026-01-01T00:00:00+00:00")
    synthetic = write_synthetic_corpus(REPO / "corpus", folder / "synthetic", 24, seed=11)
    for portal in synthetic:
        if (folder / "synthetic" / portal).is_dir():
            shutil.copytree(folder / "synthetic" / portal, corpus / portal)
    extra = "".join(f'\n[[portals]]\nname = "{name}"\ntitle = "{name}"\nstart_urls = ["https://bench.invalid/"]\n'
                    f'region = {list(filter(None, [r.province, r.city, r.county]))!r}\nenabled = false\n'
                    for name, r in list(synthetic.items()) + [("hezuo", TRICKY_REGION)])
    path = write_config(folder, corpus, extra.replace("'", '"'), engine=request.param)
    settings = load_settings(path)
    index_corpus(settings)
    return settings


@pytest.fixture(scope="session")
def search_engine(search_settings):
    engine = open_engine(search_settings.index.engine, search_settings.paths.index)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def indexed_sections(search_engine):
    """Every indexed section (read back through the engine), with its normalised text."""
    found = search_engine.search(MatchAll(), offset=0, limit=10**6, facets=False)
    return [(s, normalize(s.text)) for report in found.reports for s in report.sections]


def section_keys(result) -> set[str]:
    """doc_key of every section of an EngineResult."""
    return {s.doc_key for report in result.reports for s in report.sections}


def engine_search(engine, tree):
    """All matches of a query tree, unpaginated."""
    return engine.search(tree, offset=0, limit=10**6)

