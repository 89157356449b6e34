"""The corpus is confined: a record can only name a regular file in its own folder; anything else is refused,
reported by `nianbao index` with its reason and counted by `nianbao status`, and never read."""
from __future__ import annotations

import json
import shutil

import pytest

from crawler.corpus import RECORD_NAME, BadEntry, scan_corpus, write_document
from tests.conftest import REPO, write_config
from tests.test_config import run_cli

SECRET = "OUTSIDE_CORPUS_SECRET机密文件2020年政府信息公开工作年度报告"


def entry(corpus, name: str):
    """A well-formed corpus entry (as the crawler writes it); returns its folder."""
    return write_document(corpus, "bad", f"http://example.org/{name}.html", f"{SECRET} 一、总体情况".encode(),
                          content_type="text/plain", extension="txt").path.parent


def point_record_at(folder, filename) -> None:
    record = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
    record["filename"] = filename
    (folder / RECORD_NAME).write_text(json.dumps(record), encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    """The demo corpus plus one entry per way of pointing outside a record's folder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n一、总体情况\n机密。", encoding="utf-8")
    point_record_at(entry(corpus, "traversal"), "../../../outside/secret.txt")
    point_record_at(entry(corpus, "absolute"), str(outside / "secret.txt"))
    linked = entry(corpus, "symlink")
    (linked / "original.txt").unlink()
    (linked / "original.txt").symlink_to(outside / "secret.txt")
    shutil.copytree(entry(corpus, "folder"), outside / "folder")
    shutil.rmtree(entry(corpus, "folder"))
    (corpus / "bad" / "outside-folder").symlink_to(outside / "folder")
    (entry(corpus, "malformed") / RECORD_NAME).write_text("{not json", encoding="utf-8")
    return corpus


EXPECTED_REASONS = ["越出所在文件夹", "越出所在文件夹", "符号链接", "语料库之外", "无法读取"]


def test_every_record_pointing_outside_its_folder_is_a_bad_entry_with_its_reason(corpus):
    bad = [e for e in scan_corpus(corpus) if isinstance(e, BadEntry)]
    assert sorted(next(r for r in EXPECTED_REASONS if r in e.reason) for e in bad) == sorted(EXPECTED_REASONS)


def test_index_reports_the_skipped_entries_indexes_the_rest_and_status_counts_them(corpus, tmp_path):
    config = write_config(tmp_path, corpus)
    done = run_cli("--config", str(config), "index", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["added"] == 5 and summary["failed"] == []
    assert len(summary["skipped"]) == len(EXPECTED_REASONS)
    assert all(s["source"].startswith(str(corpus)) and s["reason"] for s in summary["skipped"])
    found = run_cli("--config", str(config), "search", "OUTSIDE_CORPUS_SECRET", "--json")
    assert json.loads(found.stdout)["total"] == 0
    text = run_cli("--config", str(config), "index")
    assert text.stdout.count("  skipped: ") == len(EXPECTED_REASONS)
    status = run_cli("--config", str(config), "status", "--json")
    assert json.loads(status.stdout)["corpus"]["skipped"] == len(EXPECTED_REASONS)
