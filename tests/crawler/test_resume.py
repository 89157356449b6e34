"""`kill -9` in the middle of a crawl, then crawl again: nothing lost, duplicated or half-written."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from crawler import corpus
from crawler.state import CrawlState
from nianbao.config import load_settings
from tests.conftest import REPO
from tests.crawler import portals
from tests.crawler.conftest import write_crawl_config
from tests.crawler.server import PortalServer, Resource


def start_crawl(config) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nianbao.cli", "--config", str(config), "crawl", "--json"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_records(root, count: int, process: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while len(list(root.glob("*/*/record.json"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "crawl made no progress"
        time.sleep(0.02)


def test_killed_crawls_resume_without_loss_or_duplicates(tmp_path):
    routes = portals.hanweb_portal()
    for resource in routes.values():
        resource.delay = 0.15  # a slow portal, so the kills land mid-crawl
    with PortalServer(routes) as server:
        config = write_crawl_config(tmp_path, {"hanweb": server})
        settings = load_settings(config)
        root = settings.paths.corpus
        for stored_before_kill in (2, 4):
            process = start_crawl(config)
            wait_for_records(root, stored_before_kill, process)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        finished = start_crawl(config)
        out, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err
    [summary] = json.loads(out)
    assert summary["changed"] == 0 and summary["failed"] == 0
    assert summary["new"] + summary["not_modified"] + summary["unchanged"] == portals.HANWEB_REPORTS
    assert summary["new"] <= portals.HANWEB_REPORTS - 4

    documents = list(corpus.read_corpus(root))
    expected = {server.url(href) for href, _ in portals.HANWEB_TITLES} | {server.url(portals.HANWEB_PDF[0])}
    assert sorted(d.url for d in documents) == sorted(expected)
    assert all(corpus.verify_document(d) for d in documents)
    folders = list((root / "hanweb").iterdir())
    assert len(folders) == portals.HANWEB_REPORTS
    assert not [p for p in root.rglob("*") if p.name.startswith(corpus.TEMP_PREFIX)]
    assert not list(root.rglob(corpus.VERSIONS_DIR))
    with CrawlState(settings.paths.state) as state:
        outcomes = [r.outcome for r in state.runs("hanweb")]
    assert outcomes == ["completed", "interrupted", "interrupted"]


def wait_for_versions(root, count: int, process: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while len([p for p in root.glob(f"*/*/{corpus.VERSIONS_DIR}/*") if not p.name.startswith(".")]) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "recrawl made no progress"
        time.sleep(0.01)


def test_killed_recrawl_of_changed_reports_keeps_each_old_version_once(tmp_path):
    routes = portals.hanweb_portal()
    with PortalServer(routes) as server:
        config = write_crawl_config(tmp_path, {"hanweb": server})
        root = load_settings(config).paths.corpus
        first = start_crawl(config)
        assert first.wait(timeout=120) == 0
        for href, title in portals.HANWEB_TITLES:
            server.routes[href] = Resource(portals.html_page(title, f"{title}修订版正文。", container='id="zoom"').encode(),
                                    "text/html; charset=utf-8", delay=0.15,
                                    last_modified="Wed, 06 Mar 2024 08:00:00 GMT")
        process = start_crawl(config)
        wait_for_versions(root, 2, process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        finished = start_crawl(config)
        out, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err
    documents = {d.url: d for d in corpus.read_corpus(root)}
    assert len(documents) == portals.HANWEB_REPORTS
    for href, _ in portals.HANWEB_TITLES:
        document = documents[server.url(href)]
        assert corpus.verify_document(document) and "修订版正文" in document.path.read_text(encoding="utf-8")
        [old] = corpus.read_versions(document.path.parent)
        assert "修订版" not in old.path.read_text(encoding="utf-8") and corpus.verify_document(old)
    assert not [p for p in root.rglob("*") if p.name.startswith(corpus.TEMP_PREFIX)]


def test_sigterm_stops_the_crawl_cleanly_and_records_the_run(tmp_path):
    routes = portals.hanweb_portal()
    for resource in routes.values():
        resource.delay = 0.15
    with PortalServer(routes) as server:
        config = write_crawl_config(tmp_path, {"hanweb": server})
        settings = load_settings(config)
        process = start_crawl(config)
        wait_for_records(settings.paths.corpus, 2, process)
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 130
    [summary] = json.loads(out)
    # Recorded as interrupted, like the daemon's runs stopped by SIGTERM (issue 17): the next crawl resumes it.
    assert summary["outcome"] == "interrupted" and 2 <= summary["new"] < portals.HANWEB_REPORTS
    with CrawlState(settings.paths.state) as state:
        [run] = state.runs("hanweb")
    assert (run.outcome, run.new) == ("interrupted", summary["new"])
