"""Error pages: 404/500 in the site's style, JSON under /api/, never a traceback."""
from __future__ import annotations

import pytest

from webui import create_app


@pytest.fixture(scope="module")
def failing_client(demo_settings):
    app = create_app(demo_settings)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @app.route("/api/boom")
    def api_boom():
        raise RuntimeError("secret internal detail")

    return app.test_client()


def test_404_page_in_site_style(demo):
    response = demo.get("/no/such/page")
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "页面不存在" in text and "年报搜索" in text and "style.css" in text and 'lang="zh-CN"' in text


def test_500_page_hides_the_error(failing_client):
    response = failing_client.get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "服务器出错了" in text and "style.css" in text
    assert "secret internal detail" not in text and "Traceback" not in text


def test_api_errors_are_json(failing_client):
    assert failing_client.get("/api/nothing").get_json()["status"] == 404
    response = failing_client.get("/api/boom")
    assert response.status_code == 500 and "secret" not in response.get_data(as_text=True)
    assert response.get_json()["status"] == 500


def test_missing_index_is_503_with_a_message(tmp_path, demo_settings):
    from dataclasses import replace

    settings = replace(demo_settings, paths=replace(demo_settings.paths, index=tmp_path / "none"))
    client = create_app(settings).test_client()
    response = client.get("/?q=一窗受理")
    assert response.status_code == 503 and "索引暂不可用" in response.get_data(as_text=True)
    assert client.get("/api/search?q=x").status_code == 503
    assert client.get("/reports/c0dea2abe0c1a894").status_code == 503


def test_wrong_method_is_405(demo):
    response = demo.post("/?q=x")
    assert response.status_code == 405 and "不支持的请求方式" in response.get_data(as_text=True)
