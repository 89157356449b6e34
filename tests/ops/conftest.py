"""Ops fixtures: fixture portals on real local servers, a config with a fast scheduler, a daemon subprocess."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.state import CrawlState
from nianbao.config import load_settings
from tests.conftest import REPO
from tests.crawler.conftest import CRAWLER_TABLE
from tests.crawler.server import PortalServer
from tests.ops.portal import ops_portal

SCHEDULE_TABLE = """[schedule]
default = ""
season = ""
timezone = "UTC"
max_parallel = 2
poll_seconds = 0.2
revisit_min_hours = {revisit}
revisit_max_hours = 48.0
"""


def write_ops_config(folder: Path, servers: dict[str, tuple[PortalServer, str]], *, revisit: float = 0.0,
                     web: str = "") -> Path:
    """A config whose portals are fixture servers, each with its cron schedule, the state under `folder`."""
    entries = "".join(f'\n[[portals]]\nname = "{name}"\ntitle = "{name} 测试门户"\nstart_urls = ["{server.url("/")}"]\n'
                      f'allowed_hosts = ["127.0.0.1:{server.port}"]\nregion = ["福建省", "福州市", "平潭县"]\nschedule = "{cron}"\n'
                      for name, (server, cron) in servers.items())
    path = folder / "config.toml"
    path.write_text(f'[paths]\ncorpus = "{folder / "corpus"}"\nindex = "{folder / "index"}"\n'
                    f'state = "{folder / "state.sqlite3"}"\n\n{web}\n{CRAWLER_TABLE}\n'
                    f'{SCHEDULE_TABLE.format(revisit=revisit)}{entries}', encoding="utf-8")
    return path


@pytest.fixture
def portal_a():
    with PortalServer(ops_portal("青山县人民政府")) as server:
        yield server


@pytest.fixture
def portal_b():
    with PortalServer(ops_portal("白水县人民政府")) as server:
        yield server


def start_daemon(config: Path, *extra: str) -> subprocess.Popen:
    """`nianbao schedule` as a real process."""
    return subprocess.Popen([sys.executable, "-m", "nianbao.cli", "--config", str(config), "schedule", *extra],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, process: subprocess.Popen | None = None, limit: float = 60, what: str = "condition"):
    """Poll `condition()` until true; fail if the process died or time ran out."""
    deadline = time.monotonic() + limit
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"daemon exited early waiting for {what}: {process.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def runs_of(config: Path, portal: str):
    with CrawlState(load_settings(config).paths.state) as state:
        return state.runs(portal, limit=100)


def status_json(config: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "nianbao.cli", "--config", str(config), "status", "--json"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
