"""The search page and API, through Flask's test client and through the real WSGI server."""
from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
import requests

from webui import create_app


@pytest.fixture(scope="module")
def client(demo_settings):
    return create_app(demo_settings).test_client()


def test_search_page_shows_highlight_and_facets(client):
    page = client.get("/?q=一窗受理").get_data(as_text=True)
    assert "青铜峡市审批服务管理局" in page
    assert "<mark>一窗受理</mark>" in page
    assert "机构" in page and "年度" in page and '<span class="count">1</span>' in page
    assert 'lang="zh-CN"' in page


def test_facet_link_filters_results(client):
    page = client.get("/?q=审批&year=2020").get_data(as_text=True)
    assert "共 <strong>2</strong> 份报告" in page


def test_malformed_query_explained_not_crashed(client):
    response = client.get('/?q="一窗受理')
    assert response.status_code == 400
    assert "引号不成对" in response.get_data(as_text=True)


def test_query_is_escaped(client):
    page = client.get('/?q=<script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_api_search(client):
    data = client.get("/api/search?q=一窗受理").get_json()
    assert data["total"] == 1 and data["hits"][0]["year"] == 2020
    assert client.get('/api/search?q="x').status_code == 400


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_when_up(server: subprocess.Popen, port: int, query: str) -> requests.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return requests.get(f"http://127.0.0.1:{port}/", params={"q": query}, timeout=30)
        except requests.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.2)


def _serve(*args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "nianbao.cli", *args, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return server, port


def test_served_over_http_by_nianbao_serve(demo_config):
    server, port = _serve("--config", str(demo_config), "serve")
    try:
        response = _get_when_up(server, port, "一窗受理")
        assert response.status_code == 200
        assert "<mark>一窗受理</mark>" in response.text
        assert response.headers["Server"] == "nianbao"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_indexes_the_bundled_corpus_and_serves_it(tmp_path):
    from tests.conftest import REPO, write_config

    config = write_config(tmp_path, REPO / "corpus")
    server, port = _serve("--config", str(config), "demo")
    try:
        response = _get_when_up(server, port, '"一窗受理"')
        assert response.status_code == 200
        assert "青铜峡市审批服务管理局" in response.text and "<mark>一窗受理</mark>" in response.text
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "indexed: 5 added" in err.decode()
