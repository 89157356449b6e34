"""A running server does not keep every old index open across `nianbao index --rebuild`.

The web app owns one engine cache: after a rebuild swaps the index folder, the next request opens the new
index and the old one is let go. Counted from the serving process's own open files and memory maps.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from indexer.build import build_index
from nianbao.config import IndexSettings
from nianbao.pipeline import portal_regions
from webui import create_app


def index_folders_held(parent: Path) -> set[str]:
    """Index folders under `parent` this process has a file or a memory map open in (deleted ones too)."""
    held = set()
    paths = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
             if os.path.islink(f"/proc/self/fd/{fd}")]
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        paths += [line.split(None, 5)[5].strip() for line in maps if len(line.split(None, 5)) == 6]
    for path in paths:
        if path.startswith(str(parent) + "/"):
            held.add(path[len(str(parent)) + 1:].split("/")[0])
    return held


@pytest.mark.parametrize("engine_name", ["tantivy", "whoosh"])
def test_rebuilds_do_not_pile_up_open_indexes(demo_settings, tmp_path, engine_name):
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_settings.paths.corpus, corpus)
    index = tmp_path / "index"
    settings = dataclasses.replace(demo_settings, index=IndexSettings(engine=engine_name),
                                   paths=dataclasses.replace(demo_settings.paths, corpus=corpus, index=index))
    build_index(corpus, index, engine_name, portal_regions(settings), rebuild=True)
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/api/search"
    try:
        held = []
        for rebuild in range(3):
            if rebuild:
                build_index(corpus, index, engine_name, portal_regions(settings), rebuild=True)
            response = requests.get(url, params={"q": "一窗受理"}, timeout=60)
            assert response.status_code == 200 and response.json()["total"] == 1
            gc.collect()
            held.append(index_folders_held(tmp_path))
        current = index.resolve().name
        assert held[-1] <= {current}, held  # only the index now in use, no replaced (deleted) one
    finally:
        server.shutdown()
        thread.join()
        app.extensions["nianbao.engines"].close()
