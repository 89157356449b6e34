"""`published` (the publish date the reader found) works as a filter and a query field, and is exported."""
from __future__ import annotations

import csv
import io

import pytest

from crawler.corpus import write_document
from indexer.build import build_index
from indexer.engines import open_engine
from indexer.search import SearchRequest, search
from tests.conftest import write_config
from tests.engines.conftest import ENGINES
from webui import create_app

# Three reports of one agency, published on different days (the date as the last line, as portals print it).
DATES = {"2021": "2021年1月20日", "2022": "2022年3月5日", "2023": "2023年3月31日"}
REPORT = "测试县审批局{year}年政府信息公开工作年度报告\n一、总体情况\n本局推行一窗受理。\n\n{date}\n"


@pytest.fixture(scope="module", params=ENGINES)
def dated(request, tmp_path_factory):
    """Settings of an index holding the three dated reports, once per engine."""
    from nianbao.config import load_settings

    folder = tmp_path_factory.mktemp("published")
    for year, date in DATES.items():
        write_document(folder / "corpus", "test", f"https://test.invalid/{year}.html",
                       REPORT.format(year=int(year) - 1, date=date).encode("utf-8"), content_type="text/plain",
                       extension="txt", fetched_at="2026-01-01T00:00:00+00:00")
    settings = load_settings(write_config(folder, folder / "corpus", engine=request.param))
    build_index(settings.paths.corpus, settings.paths.index, settings.index.engine, {})
    return settings


def _published(settings, **request) -> list[str]:
    engine = open_engine(settings.index.engine, settings.paths.index)
    try:
        result = search(engine, SearchRequest(**request))
    finally:
        engine.close()
    return sorted(hit.published for hit in result.hits)


@pytest.mark.parametrize("text, expected", [
    ("published:2022", ["2022-03-05"]),
    ("published:2022-03-05", ["2022-03-05"]),
    ("published:2021-01..2022-03", ["2021-01-20", "2022-03-05"]),
    ("published:2022-03..2023-03", ["2022-03-05", "2023-03-31"]),
    ("一窗受理 published:2021..2023", ["2021-01-20", "2022-03-05", "2023-03-31"]),
    ("published:2020", []),
])
def test_published_query_field_selects_by_publish_date(dated, text, expected):
    assert _published(dated, q=text) == expected


def test_published_filter_parameter_ors_its_values(dated):
    assert _published(dated, q="一窗受理", filters={"published": ("2021", "2023-03")}) == ["2021-01-20", "2023-03-31"]


def test_bad_published_value_is_explained(dated):
    response = create_app(dated).test_client().get("/api/search?q=一窗受理&published=2022-13")
    assert response.status_code == 400 and "2022-13" in response.get_json()["error"]


def test_published_is_in_the_api_and_a_csv_column(dated):
    client = create_app(dated).test_client()
    hits = client.get("/api/search?q=一窗受理&published=2022").get_json()["hits"]
    assert [h["published"] for h in hits] == ["2022-03-05"]
    assert client.get(f"/api/reports/{hits[0]['report_id']}").get_json()["published"] == "2022-03-05"
    text = client.get("/export/search.csv?q=一窗受理&sort=year").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("发布日期")
    assert [row[column] for row in rows[1:]] == ["2023-03-31", "2022-03-05", "2021-01-20"]
