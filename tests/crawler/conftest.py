"""Crawler fixtures: the three fixture portals on real local servers, and a config pointing at them."""
from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.config import Settings, load_settings
from tests.crawler import portals
from tests.crawler.server import PortalServer

CRAWLER_TABLE = """[crawler]
user_agent = "NianbaoBot/0.1 (+https://example.org/nianbao)"
contact = "ops@example.org"
delay_seconds = 0.02
timeout_seconds = 0.5
retries = 2
backoff_seconds = 0.05
max_bytes = 1000000
"""


def write_crawl_config(folder: Path, servers: dict[str, PortalServer], crawler_table: str = CRAWLER_TABLE) -> Path:
    """A config whose portals are the given fixture servers, with corpus/index/state under `folder`."""
    entries = "".join(f'\n[[portals]]\nname = "{name}"\ntitle = "{name} 测试门户"\nstart_urls = ["{server.url("/")}"]\n'
                      f'allowed_hosts = ["127.0.0.1"]\nregion = ["福建省", "福州市", "平潭县"]\n'
                      for name, server in servers.items())
    path = folder / "config.toml"
    path.write_text(f'[paths]\ncorpus = "{folder / "corpus"}"\nindex = "{folder / "index"}"\n'
                    f'state = "{folder / "state.sqlite3"}"\n\n{crawler_table}{entries}', encoding="utf-8")
    return path


@pytest.fixture
def trs_server():
    with PortalServer(portals.trs_portal()) as server:
        yield server


@pytest.fixture
def hanweb_server():
    with PortalServer(portals.hanweb_portal()) as server:
        yield server


@pytest.fixture
def plain_server():
    with PortalServer(portals.plain_portal()) as server:
        yield server


@pytest.fixture
def trs_settings(tmp_path, trs_server) -> Settings:
    return load_settings(write_crawl_config(tmp_path, {"trs": trs_server}))
