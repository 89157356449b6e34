"""Searching by the statutory tables: `check:fail|pass|na` and counts on a table total (`new:>100`), as a
query field, a filter (web, API, CLI) and a facet, on every engine; a blank total never matches a count."""
from __future__ import annotations

import json

import pytest

from crawler.corpus import write_document
from indexer.build import build_index
from indexer.engines import open_engine
from indexer.search import SearchRequest, search
from tests.conftest import write_config
from tests.engines.conftest import ENGINES
from tests.test_config import run_cli
from webui import create_app

SECTIONS = ("一、总体情况\n本局推行一窗受理。\n二、主动公开政府信息情况\n{t2}\n三、收到和处理政府信息公开申请情况\n{t3}\n"
            "四、政府信息公开行政复议、行政诉讼情况\n{t4}\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n")
T2 = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t2\t1\t9"
T3_LABELS = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开", "（二）部分公开",
             "（三）不予公开\t1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
             "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
             "（四）无法提供\t1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
             "（五）不予处理\t1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
             "5.要求行政机关确认或重新出具已获取信息", "（六）其他处理\t1.申请人无正当理由逾期不补正",
             "2.申请人逾期未按收费通知要求缴纳费用", "3.其他", "（七）总计", "四、结转下年度继续办理")
T4 = ("行政复议\t\t\t\t\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
      "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n{row}")


def table3(totals: dict[int, int | str]) -> str:
    """Table 3 with every row's value in the 自然人 and 总计 columns (row number → value; others 0)."""
    header = "申请人情况\n自然人\t法人或其他组织\t\t\t\t\t总计\n\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"
    rows = [f"{label}\t{totals.get(n, 0)}\t0\t0\t0\t0\t0\t{totals.get(n, 0)}" for n, label in enumerate(T3_LABELS)]
    return header + "\n" + "\n".join(rows)


# 甲: 150 new, all identities hold (check pass); 乙: 0 new, its (七)总计 does not add up (check fail);
# 丙: the new-requests row printed blank (no value: never `new:0`) and no table 4; 丁: no tables at all.
REPORTS = {
    "甲": SECTIONS.format(t2=T2, t3=table3({0: 150, 1: 2, 2: 100, 3: 20, 4: 5, 23: 125, 24: 27}),
                         t4=T4.format(row="\t".join(["1", "0", "0", "0", "1"] + ["0"] * 10))),
    "乙": SECTIONS.format(t2=T2, t3=table3({0: 0, 1: 3, 2: 1, 23: 2, 24: 1}),
                         t4=T4.format(row="\t".join(["0"] * 15))),
    "丙": SECTIONS.format(t2=T2, t3=table3({}).replace("申请数量\t0\t0\t0\t0\t0\t0\t0", "申请数量\t\t\t\t\t\t\t", 1),
                         t4="本年度未发生行政复议、行政诉讼。"),
    "丁": "一、概述\n本局推行一窗受理，全年未收到申请。\n",  # no statutory table: nothing to check
}


@pytest.fixture(scope="module", params=ENGINES)
def tables(request, tmp_path_factory):
    """Settings of an index holding the three reports, once per engine."""
    from nianbao.config import load_settings

    folder = tmp_path_factory.mktemp("tables")
    for place, text in REPORTS.items():
        write_document(folder / "corpus", "test", f"https://test.invalid/{place}.html",
                       f"{place}县审批局2022年政府信息公开工作年度报告\n{text}".encode(), content_type="text/plain",
                       extension="txt", fetched_at="2026-01-01T00:00:00+00:00")
    settings = load_settings(write_config(folder, folder / "corpus", engine=request.param))
    build_index(settings.paths.corpus, settings.paths.index, settings.index.engine, {})
    return settings


def places(settings, q: str = "", **filters) -> set[str]:
    engine = open_engine(settings.index.engine, settings.paths.index)
    try:
        result = search(engine, SearchRequest(q=q, filters={k: tuple(v) for k, v in filters.items()}))
    finally:
        engine.close()
    return {hit.agency[0] for hit in result.hits}


def test_check_outcomes_as_query_and_filter(tables):
    assert places(tables, "check:fail") == places(tables, check=["fail"]) == {"乙"}
    assert places(tables, "check:通过") == {"甲", "丙"}  # 丙: what could be checked holds
    assert places(tables, "check:na") == {"丁"}
    assert places(tables, "-check:fail 一窗受理") == {"甲", "丙", "丁"}


def test_counts_on_a_total(tables):
    assert places(tables, "new:>100") == places(tables, new=[">100"]) == {"甲"}
    assert places(tables, "new:0") == {"乙"}  # 丙's blank row is no value, not 0
    assert places(tables, "new:<=1000") == {"甲", "乙"}
    assert places(tables, "review:1..5") == {"甲"} and places(tables, "review:0") == {"乙"}
    assert places(tables, "carried:2..3 normative_valid:9") == {"甲", "乙"}


def test_check_facet_and_api(tables):
    client = create_app(tables).test_client()
    data = client.get("/api/search?q=一窗受理").get_json()
    assert {f["value"]: f["count"] for f in data["facets"]["check"]} == {"pass": 2, "fail": 1, "na": 1}
    assert {f["value"]: f["label"] for f in data["facets"]["check"]}["fail"] == "未通过"
    assert client.get("/api/search?new=>100").get_json()["total"] == 1
    bad = client.get("/api/search?new=many")
    assert bad.status_code == 400 and "数量条件" in bad.get_json()["error"]
    page = client.get("/?q=一窗受理&check=fail").get_data(as_text=True)
    assert "表格核对" in page and "未通过" in page


def test_openapi_declares_the_new_parameters(tables):
    document = create_app(tables).test_client().get("/api/openapi.json").get_json()
    params = {p["name"]: p for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert "fail" in params["check"]["schema"]["items"]["enum"]
    assert params["new"]["schema"]["items"]["pattern"]


def test_cli_filters(tables):
    done = run_cli("--config", str(tables.source), "search", "--check", "fail", "--json")
    assert done.returncode == 0, done.stderr
    assert [hit["agency"][0] for hit in json.loads(done.stdout)["hits"]] == ["乙"]
    done = run_cli("--config", str(tables.source), "search", "--new", ">100", "--json")
    assert [hit["agency"][0] for hit in json.loads(done.stdout)["hits"]] == ["甲"]
