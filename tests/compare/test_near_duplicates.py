"""Near-duplicates across agencies: found at index time (MinHash/LSH, kept in the ledger beside the index), listed
on the report page and searchable as the `copy` facet; updated incrementally and kept through a rebuild."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.corpus import write_document
from indexer.engines import open_engine
from indexer.ledger import copies_of, indexed_times, ledger_path
from nianbao.config import load_settings
from nianbao.pipeline import index_corpus
from tests.compare.conftest import report_ids
from tests.conftest import write_config
from webui import create_app

BODY = """一、总体情况
本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，围绕优化营商环境、
推进一网通办和一窗受理改革，全年主动公开各类政府信息三百余条，及时回应群众关切，政务公开工作水平持续提升。
二、主动公开政府信息情况
通过政府门户网站、政务新媒体和政务服务大厅等渠道主动公开规范性文件、行政许可和行政处罚等信息，
重点领域信息公开工作扎实推进，政策解读材料与政策文件同步起草、同步审签、同步发布。
三、收到和处理政府信息公开申请情况
本年度共收到政府信息公开申请十五件，均在法定期限内答复，未发生因政府信息公开引起的行政复议和行政诉讼。
"""
OTHER = """一、总体情况
本局围绕乡村振兴和农田水利建设开展信息公开，发布灌区改造、防汛抗旱和河湖长制工作动态一百二十条，
组织水资源管理政策宣讲六场，编印农业灌溉用水指南，群众来电咨询全部在三个工作日内办结。
二、主动公开政府信息情况
水利工程建设项目招标、合同履约和质量检查结果按月公开，小型水库安全鉴定报告在门户网站全文发布，
防汛物资储备情况和应急预案修订情况向社会通报，接受监督。
"""


def add(corpus: Path, name: str, agency: str, body: str) -> None:
    write_document(corpus, "testland", f"http://testland.invalid/{name}.txt",
                   f"{agency}2022年政府信息公开工作年度报告\n{body}".encode(), content_type="text/plain",
                   extension="txt", link_title=f"{agency}2022年政府信息公开工作年度报告")


@pytest.fixture()
def pair_config(tmp_path) -> Path:
    """Three reports: two bodies publishing the same text, and a third body with its own."""
    corpus = tmp_path / "corpus"
    add(corpus, "a", "甲县审批服务管理局", BODY)
    add(corpus, "b", "乙县审批服务管理局", BODY.replace("三百余条", "三百多条"))
    add(corpus, "c", "丙县水利局", OTHER)
    path = write_config(tmp_path, corpus)
    index_corpus(load_settings(path))
    return path


def flagged(settings) -> dict[tuple[str, int], str]:
    engine = open_engine(settings.index.engine, settings.paths.index)
    try:
        return report_ids(engine, "copy:yes")
    finally:
        engine.close()


def test_the_same_text_under_two_agencies_is_found(pair_config):
    settings = load_settings(pair_config)
    assert set(flagged(settings)) == {("甲县审批服务管理局", 2022), ("乙县审批服务管理局", 2022)}
    assert ledger_path(settings.paths.index).parent == Path(settings.paths.index).parent


def test_the_report_page_lists_the_copy_with_its_similarity(pair_config):
    settings = load_settings(pair_config)
    ids = flagged(settings)
    client = create_app(settings).test_client()
    page = client.get(f"/reports/{ids[('甲县审批服务管理局', 2022)]}").get_data(as_text=True)
    assert "内容相近的报告" in page and "乙县审批服务管理局" in page
    similarity = int(page.split("相似度 <strong>")[1].split("%")[0])
    assert 90 <= similarity <= 100


def test_copies_are_a_facet_a_filter_and_a_query_field(pair_config):
    client = create_app(load_settings(pair_config)).test_client()
    data = client.get("/api/search?q=信息公开").get_json()
    assert data["facets"]["copy"] == [{"value": "yes", "label": "是", "count": 2}]
    assert client.get("/api/search?q=&copy=yes").get_json()["total"] == 2
    assert client.get("/api/search?q=-copy:yes").get_json()["total"] == 1
    page = client.get("/?q=信息公开").get_data(as_text=True)
    assert "内容雷同" in page
    chips = client.get("/?q=&copy=yes").get_data(as_text=True)
    assert "内容雷同：是" in chips


def test_a_changed_report_is_unflagged_and_a_rebuild_keeps_flags_and_first_indexed_times(pair_config):
    settings = load_settings(pair_config)
    first = indexed_times(settings.paths.index)
    add(settings.paths.corpus, "b", "乙县审批服务管理局", OTHER.replace("本局", "乙县本局").replace("一百二十条", "九十条"))
    index_corpus(settings)
    assert flagged(settings) == {}
    times = indexed_times(settings.paths.index)
    assert {rid: t[0] for rid, t in times.items()} == {rid: t[0] for rid, t in first.items()}
    changed = [rid for rid in times if times[rid][1] != first[rid][1]]
    assert len(changed) == 1  # 乙县's text changed: updated, not new

    add(settings.paths.corpus, "b", "乙县审批服务管理局", BODY)  # back to the copy
    index_corpus(settings)
    index_corpus(settings, rebuild=True)
    assert set(flagged(settings)) == {("甲县审批服务管理局", 2022), ("乙县审批服务管理局", 2022)}
    assert {rid: t[0] for rid, t in indexed_times(settings.paths.index).items()} == {
        rid: t[0] for rid, t in first.items()}


def test_on_real_reports_only_the_2011_text_published_twice_is_flagged(real_settings, real_engine):
    # 平潭综合实验区 and 平潭县人民政府 published nearly the same 2011 report (0.90 of their text in common);
    # every other real report, 洪泽区's two years included (one agency), stays unflagged.
    found = report_ids(real_engine, "copy:yes")
    assert set(found) == {("平潭综合实验区", 2011), ("平潭县人民政府", 2011)}
    copies = copies_of(real_engine, real_settings.paths.index, found[("平潭综合实验区", 2011)])
    assert [(c.report_id, c.agency) for c in copies] == [(found[("平潭县人民政府", 2011)], "平潭县人民政府")]
    assert 0.85 <= copies[0].similarity <= 0.95
    assert len(report_ids(real_engine, "")) == 16
