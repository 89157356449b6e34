"""The statistics reader on real pages it was not written against (`tests/statistics/devset/`), and the
`nianbao stats --eval` command that scores it.

The pages are kept exactly as a public store returned them (often flattened: one cell per line, `|`
separators, tables cut off mid-row); `truth.json` holds the totals a person read off each page, none where
the page prints no value. The floors are what the reader reaches today: a change that reads less fails here.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from indexer.read.statistics import parse_statistics
from indexer.read.statistics_evaluate import load_cases, score

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "tests" / "statistics" / "devset" / "manifest.tsv"
PRINTED_FLOOR = 1.0  # values the pages print, read right (156 of 156)
MIN_PAGES = 30


def evaluation():
    return score(load_cases(MANIFEST), lambda text: parse_statistics(text).totals)


def test_every_printed_total_is_read_and_nothing_is_made_up():
    found = evaluation()
    assert found.pages >= MIN_PAGES
    assert found.printed_ratio() >= PRINTED_FLOOR, [m for m in found.misses if m.expected is not None]
    assert found.made_up() == []  # a blank, `/` or cut-off cell is never read as a number


def test_the_set_covers_both_templates_and_blank_cells():
    cases = load_cases(MANIFEST)
    texts = [case.text for case in cases]
    assert any("本年制发" in t for t in texts) and any("对外公开总数量" in t for t in texts)
    assert any(case.truth.get("new") not in (None, 0) for case in cases)
    assert any("/ |" in t for t in texts) and any("規" in t for t in texts)


def test_stats_eval_prints_per_key_accuracy(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "nianbao.cli", "stats", "--eval", str(MANIFEST), "--json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["pages"] >= MIN_PAGES and data["printed_accuracy"] >= PRINTED_FLOOR
    assert data["keys"]["new"]["printed"] >= 10 and set(data["keys"]) >= {"new", "review", "normative_valid"}
