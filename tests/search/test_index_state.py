"""The index on disk: version checks, one writer at a time, readers undisturbed by an update."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading

import pytest

from indexer.bench_corpus import write_synthetic_corpus
from indexer.build import build_index
from indexer.engines import IndexLocked, RebuildNeeded, open_engine
from indexer.store import MANIFEST_NAME
from nianbao.config import load_settings
from nianbao.pipeline import index_corpus, portal_regions
from tests.conftest import REPO, write_config
from tests.test_config import run_cli
from webui import create_app


@pytest.fixture()
def own_index(tmp_path, demo_settings):
    """A config with its own copy of the demo corpus and a freshly built index."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    settings = load_settings(write_config(tmp_path, corpus))
    index_corpus(settings)
    return settings


def test_index_from_another_analysis_version_asks_for_rebuild(own_index):
    manifest = own_index.paths.index / MANIFEST_NAME
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "analysis": "analysis-0/jieba-0.1/dict-00000000"}), encoding="utf-8")
    with pytest.raises(RebuildNeeded):
        open_engine("whoosh", own_index.paths.index)
    searched = run_cli("--config", str(own_index.source), "search", "一窗受理")
    assert searched.returncode == 2 and "Traceback" not in searched.stderr
    assert "rebuild needed" in searched.stderr and "nianbao index --rebuild" in searched.stderr
    assert run_cli("--config", str(own_index.source), "index").returncode == 2
    rebuilt = run_cli("--config", str(own_index.source), "index", "--rebuild", "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["added"] == 5
    again = run_cli("--config", str(own_index.source), "search", '"一窗受理"', "--json")
    assert json.loads(again.stdout)["total"] == 1


def test_web_says_rebuild_needed_instead_of_crashing(own_index):
    manifest = own_index.paths.index / MANIFEST_NAME
    manifest.write_text("{}", encoding="utf-8")
    response = create_app(own_index).test_client().get("/api/search?q=公开")
    assert response.status_code == 503 and "rebuild" in response.get_json()["error"]


HOLD_WRITER = """
import sys
from indexer.engines import open_engine
engine = open_engine("whoosh", __import__("pathlib").Path(sys.argv[1]))
writer = engine.index.writer()
print("locked", flush=True)
sys.stdin.read()
writer.cancel()
"""


def test_second_writer_is_told_the_index_is_busy(own_index):
    # Whoosh locks with fcntl, which only excludes *other* processes: the first writer runs in one.
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(own_index.paths.index)], cwd=REPO,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        shutil.rmtree(own_index.paths.corpus / "qingtongxia")  # so the update has something to write
        with pytest.raises(IndexLocked):
            build_index(own_index.paths.corpus, own_index.paths.index, "whoosh", portal_regions(own_index))
        result = run_cli("--config", str(own_index.source), "index")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "being written by another process" in result.stderr
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert run_cli("--config", str(own_index.source), "index").returncode == 0


def test_web_keeps_serving_while_the_index_is_updated(own_index, tmp_path):
    client = create_app(own_index).test_client()
    before = client.get("/api/search?q=公开").get_json()["total"]
    regions = write_synthetic_corpus(REPO / "corpus", own_index.paths.corpus, 60, seed=3)
    errors: list[BaseException] = []

    def update():
        try:
            build_index(own_index.paths.corpus, own_index.paths.index, "whoosh",
                        {**portal_regions(own_index), **regions})
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    updating = threading.Thread(target=update)
    updating.start()
    answered = []
    while updating.is_alive() or not answered:
        response = client.get("/api/search?q=公开")
        assert response.status_code == 200
        answered.append(response.get_json()["total"])
    updating.join()
    assert not errors
    assert min(answered) >= before
    assert client.get("/api/search?q=公开").get_json()["total"] >= before + 50


def test_rebuild_is_swapped_in_whole_while_the_web_keeps_answering(own_index):
    client = create_app(own_index).test_client()
    before = client.get("/api/search?q=公开").get_json()["total"]
    errors: list[BaseException] = []

    def rebuild():
        try:
            build_index(own_index.paths.corpus, own_index.paths.index, "whoosh", portal_regions(own_index), rebuild=True)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    rebuilding = threading.Thread(target=rebuild)
    rebuilding.start()
    answered = []
    while rebuilding.is_alive() or not answered:
        response = client.get("/api/search?q=公开")
        assert response.status_code == 200
        answered.append(response.get_json()["total"])
    rebuilding.join()
    assert not errors
    assert set(answered) == {before}
    assert own_index.paths.index.is_symlink() and len(list(own_index.paths.index.parent.glob("index.*"))) == 1


def test_second_build_in_the_same_process_is_refused(own_index):
    from indexer.build import build_lock

    with build_lock(own_index.paths.index):
        with pytest.raises(IndexLocked):
            build_index(own_index.paths.corpus, own_index.paths.index, "whoosh", portal_regions(own_index), rebuild=True)
    assert open_engine("whoosh", own_index.paths.index).fingerprints()


def test_every_report_removed_leaves_an_empty_searchable_index(own_index):
    for portal in list(own_index.paths.corpus.iterdir()):
        shutil.rmtree(portal)
    summary = build_index(own_index.paths.corpus, own_index.paths.index, "whoosh", portal_regions(own_index))
    assert summary.removed == 5
    response = create_app(own_index).test_client().get("/api/search?q=公开")
    assert response.status_code == 200 and response.get_json()["total"] == 0
    assert build_index(own_index.paths.corpus, own_index.paths.index, "whoosh", portal_regions(own_index)).removed == 0
