"""Absolute links come from `[web] public_url` (or the server's own address), never from a forged Host header."""
from __future__ import annotations

import re
import shutil

import pytest

from indexer.build import build_index
from nianbao.config import ConfigError, load_settings
from nianbao.pipeline import portal_regions
from tests.conftest import REPO, write_config
from webui import create_app

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("public")
    shutil.copytree(REPO / "corpus", folder / "corpus")
    config = write_config(folder, folder / "corpus")
    settings = load_settings(config)
    build_index(settings.paths.corpus, settings.paths.index, settings.index.engine, portal_regions(settings))
    return config


def client_for(config, public_url: str = ""):
    if public_url:
        text = re.sub(r'(?m)^public_url = "[^"]*"', f'public_url = "{public_url}"', config.read_text(encoding="utf-8"))
        config.write_text(text, encoding="utf-8")
    return create_app(load_settings(config)).test_client()


def first_report_id(client) -> str:
    return client.get("/api/search?q=公开").get_json()["hits"][0]["report_id"]


def test_api_links_openapi_and_redirects_use_the_public_url(indexed, tmp_path):
    config = tmp_path / "config.toml"
    shutil.copy(indexed, config)
    client = client_for(config, "https://nianbao.example.cn")
    links = client.get(f"/api/reports/{first_report_id(client)}", headers=FORGED).get_json()["links"]
    assert links["page"].startswith("https://nianbao.example.cn/reports/")
    servers = client.get("/api/openapi.json", headers=FORGED).get_json()["servers"]
    assert servers[0]["url"] == "https://nianbao.example.cn"
    redirect = client.get("/admin", headers=FORGED)
    assert redirect.status_code in (301, 308) and redirect.location.startswith("https://nianbao.example.cn/admin/")
    export = client.get("/export/search.csv?q=公开", headers=FORGED)
    assert "evil.example" not in export.text and "https://nianbao.example.cn/reports/" in export.text


def test_without_a_public_url_the_host_header_is_still_never_echoed(indexed):
    client = client_for(indexed)
    for path in (f"/api/reports/{first_report_id(client)}", "/api/openapi.json", "/admin", "/export/search.csv?q=公开"):
        response = client.get(path, headers=FORGED)
        assert "evil.example" not in response.get_data(as_text=True) + response.headers.get("Location", ""), path


@pytest.mark.parametrize("value", ["nianbao.example.cn", "ftp://x.cn", "https://", "https://x.cn/?a=1"])
def test_a_public_url_that_is_not_an_absolute_http_url_is_a_config_error(tmp_path, value):
    config = tmp_path / "config.toml"
    config.write_text(f'[web]\npublic_url = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="config.toml:2: 'web.public_url' must be an absolute http"):
        load_settings(config)
