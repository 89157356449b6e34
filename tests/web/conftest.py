"""Web fixtures: a hostile test corpus (script tags, attribute breakers, javascript: URLs) indexed for real."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from crawler.corpus import write_document
from nianbao.config import load_settings
from nianbao.pipeline import index_corpus
from tests.conftest import write_config
from webui import create_app

XSS_TITLE = '"><img src=x onerror=alert(1)><script>alert(2)</script>测试局2020年政府信息公开工作年度报告'
XSS_URL = "javascript:alert(document.cookie)"
EVIL_TEXT = """一、总体情况

本机关推行一窗受理<script>alert(1)</script>，"><img src=x onerror=alert(3)>。一窗受理窗口全年办件。

二、主动公开政府信息情况

=HYPERLINK("http://evil.invalid") 主动公开信息 12 条，一窗 受理 事项清单同步公开。

三、收到和处理政府信息公开申请情况

收到申请 3 件。推进一窗受理。
"""
# 一窗受理 occurs 4 times in EVIL_TEXT once PDF-style spacing is folded ("一窗 受理": joined by cleanup).
EVIL_PHRASE_COUNT = 4
PORTALS = """
[[portals]]
name = "testland"
title = "测试门户"
start_urls = ["http://testland.invalid/"]
region = ["测试省", "甲市", "乙县"]
enabled = false

[[portals]]
name = "otherland"
title = "另一门户"
start_urls = ["http://otherland.invalid/"]
region = ["另一省", "丙市", "丁县"]
enabled = false
"""
FILLER_YEARS = range(2010, 2022)


def _filler(year: int) -> str:
    return (f"一、总体情况\n\n{year}年，本机构深化放管服改革，推行一窗受理、一网通办。\n\n"
            f"二、主动公开政府信息情况\n\n主动公开文件 {year - 2000} 件。\n")


def filler_agency(n: int) -> str:
    """Eleven agencies; the first reports twice (2010 and 2021), for "other years"."""
    return f"第{n % 11 + 1}机构局"


def write_hostile_corpus(corpus: Path) -> None:
    """Two reports of a hostile agency plus twelve ordinary reports in another region."""
    write_document(corpus, "testland", XSS_URL, EVIL_TEXT.encode("utf-8"), content_type="text/plain",
                   extension="txt", link_title=XSS_TITLE)
    html = ("<html><head><meta charset='utf-8'><title>测试局2019年政府信息公开工作年度报告</title></head><body>"
            "<h1>测试局2019年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
            "<p>&lt;script&gt;alert(4)&lt;/script&gt; 本年推行一窗受理。"
            "<a href='javascript:alert(5)'>链接</a></p><p>二、主动公开政府信息情况</p><p>公开 5 条。</p></body></html>")
    write_document(corpus, "testland", "http://testland.invalid/2019.html", html.encode("utf-8"),
                   content_type="text/html", extension="html")
    for n, year in enumerate(FILLER_YEARS):
        write_document(corpus, "otherland", f"http://otherland.invalid/{year}.txt", _filler(year).encode("utf-8"),
                       content_type="text/plain", extension="txt",
                       link_title=f"{filler_agency(n)}{year}年政府信息公开工作年度报告")


@pytest.fixture(scope="session")
def hostile_config(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    corpus = folder / "corpus"
    write_hostile_corpus(corpus)
    path = write_config(folder, corpus, PORTALS)
    settings = load_settings(path)
    summary = index_corpus(settings)
    assert summary.added == 2 + len(FILLER_YEARS) and not summary.failed
    return path


@pytest.fixture(scope="session")
def hostile_settings(hostile_config):
    return load_settings(hostile_config)


@pytest.fixture(scope="module")
def hostile(hostile_settings):
    return create_app(hostile_settings).test_client()


@pytest.fixture(scope="module")
def demo(demo_settings):
    return create_app(demo_settings).test_client()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(demo_config):
    """`nianbao serve` on a free loopback port, as a user would start it."""
    yield from serving(demo_config)


def serving(config: Path):
    """Run `nianbao serve` for `config` on a free loopback port; yields its base URL, stops it afterwards."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "--config", str(config), "serve",
                                "--port", str(port), "--threads", "4"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(base + "/", timeout=30)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)
