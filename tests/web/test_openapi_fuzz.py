"""The API document matches behaviour: schemathesis, as an outside client, reads /api/openapi.json from a real
local server and fuzzes every operation with all its checks (server errors, documented statuses, content
types, response schemas, valid data accepted, invalid data refused, unsupported methods answered 405 with
`Allow`). Bounded: few examples per operation and a fixed seed, so the run is reproducible."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from webui import create_app

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture(scope="module")
def api_url(demo_settings):
    server = make_server("127.0.0.1", 0, create_app(demo_settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_api_document_matches_behaviour(api_url, tmp_path):
    run = subprocess.run([str(SCHEMATHESIS), "run", f"{api_url}/api/openapi.json", "--max-examples", "15",
                          "--seed", "12", "--generation-database", "none", "--no-color"],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-6000:]
    assert "No issues found" in run.stdout


@pytest.mark.parametrize("url", ["/api/search?per_page=101", "/api/search?per_page=0", "/api/search?page=x",
                                 "/api/kwic?q=", "/api/kwic?q=一窗受理&section=不存在的章节",
                                 "/api/search?q=审批&year=2020年"])
def test_values_the_document_calls_invalid_are_refused_with_a_json_error(demo_settings, url):
    response = create_app(demo_settings).test_client().get(url)
    assert response.status_code == 400 and response.get_json()["error"]


def test_wrong_method_names_the_allowed_ones(demo_settings):
    response = create_app(demo_settings).test_client().post("/api/search?q=审批")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET"}
