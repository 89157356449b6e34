"""The web API gives the same answers whichever engine `[index] engine` names."""
from __future__ import annotations

import dataclasses

import pytest

from nianbao.config import IndexSettings
from tests.engines.conftest import ENGINES
from webui import create_app


def api_answer(demo_settings, index_path, engine_name: str, url: str) -> dict:
    settings = dataclasses.replace(demo_settings, index=IndexSettings(engine=engine_name),
                                   paths=dataclasses.replace(demo_settings.paths, index=index_path))
    response = create_app(settings).test_client().get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    for hit in answer["hits"]:
        hit.pop("score")  # BM25 differs between the two libraries; sets, snippets and counts do not
        hit["sections"].sort(key=lambda section: section["section"])
    return answer


@pytest.mark.parametrize("url", ["/api/search?q=一窗受理", '/api/search?q="2020年1月1日"&sort=year&per_page=100',
                                 "/api/search?q=审批&year=2020", "/api/search?q=<script>&per_page=100"])
def test_api_answers_agree(demo_settings, demo_indexes, url):
    whoosh, tantivy = (api_answer(demo_settings, demo_indexes[name], name, url) for name in ENGINES)
    key = lambda hit: hit["report_id"]  # noqa: E731
    assert sorted(tantivy.pop("hits"), key=key) == sorted(whoosh.pop("hits"), key=key)
    assert tantivy == whoosh


def test_search_page_served_by_tantivy_highlights(demo_settings, demo_indexes):
    settings = dataclasses.replace(demo_settings, index=IndexSettings(engine="tantivy"),
                                   paths=dataclasses.replace(demo_settings.paths, index=demo_indexes["tantivy"]))
    client = create_app(settings).test_client()
    for _ in range(2):  # the second request reuses the process's open index
        page = client.get("/?q=一窗受理").get_data(as_text=True)
        assert "<mark>一窗受理</mark>" in page and "青铜峡市审批服务管理局" in page
