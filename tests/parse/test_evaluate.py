"""`nianbao parse --eval`: per-field accuracy of the reader against a manifest of pages with their truth."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.read.evaluate import FIELDS, evaluate_manifests

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO / "tests" / "parse" / "devset" / "manifest.tsv"
HEADER = "file\turl\tagency\tyear\tprovince\tcity\tcounty\tlevel\tnotes\n"
# Issue 13's targets on the development set (README, "Reading: accuracy"); the reader is above each of them.
FLOORS = {"agency": 0.97, "year": 0.99, "province": 0.98, "city": 0.96, "county": 0.96}


def write_set(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A manifest with one page per row: (file name, page text, truth columns joined by tabs)."""
    (folder / "pages").mkdir()
    lines = [HEADER]
    for name, text, truth in rows:
        (folder / "pages" / name).write_text(text, encoding="utf-8")
        lines.append(f"pages/{name}\thttp://example.gov.cn/{name}\t{truth}\tcounty\t\n")
    manifest = folder / "manifest.tsv"
    manifest.write_text("".join(lines), encoding="utf-8")
    return manifest


BODY = "\n一、总体情况\n本年度推进政务公开。\n二、主动公开政府信息情况\n主动公开信息12条。\n"


def test_eval_counts_matches_and_lists_each_miss(tmp_path):
    manifest = write_set(tmp_path, [
        ("a.txt", "当前位置：首页>政府信息公开>年报>正文\n青铜峡市审批服务管理局2020年政府信息公开工作年度报告" + BODY,
         "青铜峡市审批服务管理局\t2020\t宁夏回族自治区\t吴忠市\t青铜峡市"),
        ("b.txt", "上海市静安区2019年政府信息公开工作年度报告" + BODY, "上海市静安区人民政府\t2018\t上海市\t\t静安区"),
    ])
    result = evaluate_manifests([manifest])
    assert result.total == 2
    assert result.correct == {"agency": 2, "year": 1, "province": 2, "city": 2, "county": 2}
    assert [(m.field, m.expected, m.got) for m in result.misses] == [("year", "2018", "2019")]


def test_eval_command_prints_ratios_and_misses_for_several_manifests(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    write_set(first, [("a.txt", "教育部2024年政府信息公开工作年度报告" + BODY, "教育部\t2024\t\t\t")])
    write_set(second, [("b.txt", "2020年政府信息公开工作年度报告" + BODY, "某某县人民政府\t2020\t\t\t")])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "nianbao.cli", "parse", "--eval", str(first / "manifest.tsv"),
                           str(second / "manifest.tsv")], capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert "agency       1/2    0.500" in done.stdout
    assert "year         2/2    1.000" in done.stdout
    assert "b.txt\tagency\t某某县人民政府\t∅" in done.stdout


def test_a_manifest_without_truth_columns_is_a_clear_error(tmp_path):
    bad = tmp_path / "manifest.tsv"
    bad.write_text("file\turl\nx.txt\thttp://x\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "nianbao.cli", "parse", "--eval", str(bad)], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 2
    assert "lacks the column(s) agency" in done.stderr


def test_reader_accuracy_on_the_development_set_stays_above_its_floors():
    if not DEVSET.exists():
        pytest.skip(f"development set missing: {DEVSET}")
    result = evaluate_manifests([DEVSET])
    assert result.total >= 200
    ratios = {name: result.ratio(name) for name in FIELDS}
    assert all(ratios[name] >= FLOORS[name] for name in FIELDS), (ratios, result.misses)
