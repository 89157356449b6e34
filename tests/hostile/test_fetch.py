"""A portal that sends one byte per second: the request ends at its deadline or below the minimum rate, and a
crawl stuck on it stops within seconds of SIGTERM, recorded as interrupted and resumable."""
from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from crawler.fetch import Fetcher
from crawler.state import CrawlState
from nianbao.config import CrawlerSettings, load_settings
from tests.conftest import REPO
from tests.hostile.trickle import TrickleServer


@pytest.fixture
def trickle():
    with TrickleServer() as server:
        yield server


def fetch(server: TrickleServer, **settings) -> object:
    base = dict(delay_seconds=0, retries=2, backoff_seconds=0.01)
    fetcher = Fetcher(CrawlerSettings(**{**base, **settings}), {server.url.split("//")[1]})
    try:
        return fetcher.fetch(server.url + "/report.html")
    finally:
        fetcher.close()


def test_a_trickling_body_ends_at_the_request_deadline_and_is_not_retried(trickle):
    response = fetch(trickle, timeout_seconds=5, request_deadline_seconds=3, min_bytes_per_second=0)
    assert response.error.startswith("deadline")
    assert response.attempts == 1 and trickle.requests.count("/report.html") == 1


def test_a_trickling_body_below_the_minimum_rate_is_abandoned(trickle):
    response = fetch(trickle, timeout_seconds=2, request_deadline_seconds=600, min_bytes_per_second=100)
    assert response.error.startswith("too slow") and "minimum 100 bytes/s" in response.error


def test_sigterm_stops_a_crawl_stuck_on_a_trickle_and_the_run_is_interrupted(trickle, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\ncorpus = "{tmp_path / "corpus"}"\nstate = "{tmp_path / "state.sqlite3"}"\n'
                      f'[crawler]\ndelay_seconds = 0\ntimeout_seconds = 30\n'
                      f'[[portals]]\nname = "slow"\ntitle = "慢门户"\nstart_urls = ["{trickle.url}/"]\n',
                      encoding="utf-8")
    crawl = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "--config", str(config), "crawl", "--json"],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    trickle.wait_for("/")
    crawl.send_signal(signal.SIGTERM)
    out, err = crawl.communicate(timeout=30)  # the hang guard: the review's crawl was alive 30 s after SIGTERM
    assert crawl.returncode == 130, err
    assert json.loads(out)[0]["outcome"] == "interrupted"
    with CrawlState(load_settings(config).paths.state) as state:
        run = state.runs("slow", limit=1)[0]
    assert run.outcome == "interrupted" and "again to resume" in run.message
