"""tools/loadtest.py against a real `nianbao serve`: a short, bounded run completes with zero errors."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

TOOL = REPO / "tools" / "loadtest.py"


def test_short_load_run_has_no_errors(server):
    done = subprocess.run([sys.executable, str(TOOL), "--url", server, "--clients", "4", "--seconds", "2"],
                          capture_output=True, text=True, timeout=60)
    numbers = json.loads(done.stdout)
    assert done.returncode == 0, numbers
    assert numbers["errors"] == 0 and numbers["requests"] > 4
    assert numbers["p95_ms"] >= numbers["p50_ms"] > 0


def test_refuses_anything_but_loopback():
    done = subprocess.run([sys.executable, str(TOOL), "--url", "http://example.invalid:8000"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode != 0 and "loopback only" in done.stderr
