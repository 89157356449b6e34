"""The words of the index are jieba 0.42.1's, and the tool that compares faster segmenters with it works.

docs/scale.md §1: every faster jieba-compatible package segments some of our texts differently, so jieba
0.42.1's dictionaries and HMM stay; the index cuts with `indexer.segment.ExactSegmenter`, the same dynamic
programme in a faster loop, and these tests hold it to jieba's own tokens. An index built with another
segmenter must ask for a rebuild.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from indexer.analysis import USER_DICTIONARY, analysis_fingerprint, words
from indexer.normalize import normalize
from indexer.segment import ExactSegmenter
from tests.conftest import REPO, shared_file

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


# -- the index's segmenter (indexer/segment.py) gives jieba 0.42.1's words, faster -------------------------------

def _jieba_tokenizer():
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USER_DICTIONARY))
    tokenizer.check_initialized()
    return tokenizer


@pytest.fixture(scope="module")
def both():
    """jieba 0.42.1's own tokenize and the index's, over the same dictionaries."""
    tokenizer = _jieba_tokenizer()
    exact = ExactSegmenter(tokenizer)
    return (lambda text: list(tokenizer.tokenize(text))), exact.tokenize


def _project_texts() -> dict[str, str]:
    """The demo corpus and the reader's devset of real pages (from many portals), as stored."""
    from crawler.corpus import read_corpus
    from indexer.read.extract import extract

    texts = {str(d.path): extract(d.path.read_bytes(), d.path.name).text for d in read_corpus(REPO / "corpus")}
    for path in sorted((REPO / "tests" / "parse" / "devset" / "pages").glob("*.txt")):
        texts[path.name] = path.read_text(encoding="utf-8")
    for path in sorted((REPO / "tests" / "statistics" / "devset").rglob("*.txt")):
        texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def _assert_same(both, texts: dict[str, str]) -> None:
    jieba_tokens, exact_tokens = both
    differing = [name for name, text in texts.items()
                 for variant in (text, normalize(text)) if exact_tokens(variant) != jieba_tokens(variant)]
    assert not differing, f"{len(differing)} texts segmented differently from jieba, first: {differing[:3]}"


def test_the_index_segmenter_gives_jiebas_tokens_on_every_project_text(both):
    texts = _project_texts()
    assert len(texts) > 250 and sum(map(len, texts.values())) > 200_000
    _assert_same(both, texts)


def test_the_index_segmenter_gives_jiebas_tokens_on_the_real_reports_of_shared(both):
    from indexer.read.extract import ExtractError, extract

    files = sorted(p for p in shared_file("real").rglob("*") if p.suffix in (".html", ".pdf"))
    files += sorted(shared_file("samples").glob("*.txt"))
    texts = {}
    for path in files:
        try:
            texts[str(path)] = extract(path.read_bytes(), path.name).text
        except ExtractError:
            continue  # a scan without a text layer: nothing to segment
    assert len(texts) >= 15
    _assert_same(both, texts)


# Han characters common and rare (traditional, unseen by the HMM, outside jieba's block range), letters, digits,
# the symbols jieba keeps inside blocks (+#&._%-), punctuation, spaces and line breaks.
_ALPHABET = ("政府信息公开工作年度报告一窗受理审批服务局中心市县区合作系統關聯繫統的建設説明與〇㐀"
             "abcXYZ0123456789+#&._%-，。、；：“”（）《》 \t\n\r")


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=60))
def test_the_index_segmenter_gives_jiebas_tokens_on_any_mix_of_characters(both, text):
    jieba_tokens, exact_tokens = both
    assert exact_tokens(text) == jieba_tokens(text)


def test_index_words_are_the_segmenters_words_without_punctuation(both):
    text = "推行一窗受理---合作市一窗受理，达到80%。"
    jieba_tokens, _ = both
    assert words(text) == [t for t in jieba_tokens(text) if t[0] not in ("---", "，", "%", "。")]
