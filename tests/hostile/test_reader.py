"""Hostile files given to `nianbao parse` and `nianbao index`: each ends with its reason within the reader's
deadline and under its memory cap, and every other document of the batch is still read."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.corpus import write_document
from tests.conftest import REPO, write_config
from tests.hostile.files import make_hostile_files

MEMORY_MB = 512
LIMITS = f"[reader]\nmemory_mb = {MEMORY_MB}\ncpu_seconds = 4\ntimeout_seconds = 120\n"
SAMPLE = next((REPO / "corpus" / "zhongning").glob("*/original.txt"))
# Runs a command and prints the peak resident memory of its largest process (itself or any reader worker).
MEASURE = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[Path, str]:
    return make_hostile_files(tmp_path_factory.mktemp("hostile"))


def run_measured(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    """`nianbao ARGS` and its peak memory in MB (a hang guard of 10 minutes: every read has its own deadline)."""
    done = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "nianbao.cli", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=600)
    *lines, peak_kb = done.stderr.strip().splitlines()
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, "\n".join(lines)), int(peak_kb) / 1024


def test_parse_gives_each_hostile_file_its_reason_and_reads_the_good_one(hostile, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(LIMITS, encoding="utf-8")
    done, peak_mb = run_measured("--config", str(config), "parse", "--json", *map(str, hostile), str(SAMPLE))
    assert done.returncode == 1
    assert [r["agency"] for r in json.loads(done.stdout)] == ["中宁县审批服务管理局"]
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    for path, reason in hostile.items():
        line = next((line for line in lines if f"{path}:" in line), None)
        assert line is not None and reason in line, (path.name, line)
    assert peak_mb < MEMORY_MB


def test_a_document_over_the_memory_cap_fails_with_that_reason_and_the_next_is_read(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[reader]\nmemory_mb = 256\nworkers = 1\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(("一、总体情况深化简政放权。" * 40 + "\n") * 40_000, encoding="utf-8")  # 62 MB of text
    done, peak_mb = run_measured("--config", str(config), "parse", "--json", str(big), str(SAMPLE))
    assert f"{big}: 超过内存上限" in done.stderr
    assert [r["agency"] for r in json.loads(done.stdout)] == ["中宁县审批服务管理局"]
    assert peak_mb < 256


def _store(corpus: Path, portal: str, name: str, source: Path) -> Path:
    """A corpus entry for `source` as the crawler would write it, then its file swapped for `source` itself."""
    suffix = name.rsplit(".", 1)[-1]
    document = write_document(corpus, portal, f"http://example.org/{name}", b"placeholder", content_type="text/html",
                              extension=suffix)
    document.path.unlink()
    if source.is_fifo() or source.is_symlink():
        if source.is_fifo():
            os.mkfifo(document.path)
        else:
            document.path.symlink_to(os.readlink(source))
    else:
        shutil.copyfile(source, document.path)
    return document.path.parent


def test_index_reports_every_hostile_entry_and_indexes_the_rest(hostile, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    folders = {_store(corpus, "hostile", path.name, path): reason for path, reason in hostile.items()}
    config = write_config(tmp_path, corpus)
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?ms)^\[reader\].*?(?=^\[)", LIMITS + "\n", text), encoding="utf-8")
    done, peak_mb = run_measured("--config", str(config), "index", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["added"] == 5  # the demo reports
    reasons = {Path(entry["source"]).parent: entry["reason"] for entry in summary["failed"]}
    reasons |= {Path(entry["source"]): entry["reason"] for entry in summary["skipped"]}  # folders
    assert set(reasons) == set(folders)
    for folder, reason in folders.items():
        if "不是普通文件" in reason:  # the corpus refuses these before any reader sees them
            assert "不是普通文件" in reasons[folder] or "符号链接" in reasons[folder], reasons[folder]
        else:
            assert reason in reasons[folder], (folder, reasons[folder])
    assert peak_mb < MEMORY_MB
