"""The words of the index are jieba 0.42.1's, and the tool that compares faster segmenters with it works.

docs/scale.md §1: every faster jieba-compatible package segments some of our texts differently, so jieba
0.42.1 stays; an index built with another segmenter must ask for a rebuild.
"""
from __future__ import annotations

import json
import subprocess
import sys

from indexer.analysis import analysis_fingerprint, words
from tests.conftest import REPO

TOOL = REPO / "tools" / "segmenters.py"
# Characters jieba's HMM has never seen (devset page b-016): jieba 0.42.1 keeps them apart, while jieba-next,
# jieba-fast and jieba-pyfast join them into one word.
UNSEEN = "系統關聯繫統的建設説明與"


def test_words_are_jieba_0_42_1s_where_the_faster_forks_differ():
    assert [w for w, _, _ in words(UNSEEN)] == ["系統關", "聯", "繫", "統", "的", "建", "設", "説", "明", "與"]
    assert words(UNSEEN)[1] == ("聯", 3, 4)


def test_the_index_fingerprint_names_the_segmenter_and_its_version():
    assert "/jieba-0.42.1/" in analysis_fingerprint()


def test_the_comparison_tool_finds_no_difference_between_jieba_and_itself(tmp_path):
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps({"a": UNSEEN, "b": "推行一窗受理---合作市一窗受理，达到80%。", "c": ""},
                                ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, str(TOOL), "compare", str(texts), "jieba", "jieba"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["segmenter"] for line in lines] == ["jieba 0.42.1", "jieba 0.42.1"]
    assert all(line["texts"] == 3 and line["texts_differing"] == 0 and line["chars_per_cpu_s"] > 0
               for line in lines)
