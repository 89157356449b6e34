"""Index stage: the one definition of a term. With `indexer.segment`, the only module that imports jieba.

Two token streams over the same normalised text (DESIGN §4):
- words: jieba precise-mode words with ordinal positions — for ranking (BM25);
- chars: overlapping character bigrams — for exact phrases. Bigram i is text[i:i+2]; the last character
  is also emitted alone. A 2-character phrase is one term; a longer one selects the sections holding its
  rarest bigrams, which the engine then confirms on the normalised text (see engines/whoosh/match.py).

Engine-neutral: each engine adapts these streams to its own token API (Whoosh's tokenizers live in
`engines/whoosh/tokenizers.py`). Bump ANALYSIS_VERSION whenever tokens change (the index then asks for a
rebuild).
"""
from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

from indexer.normalize import normalize

ANALYSIS_VERSION = "2"  # 2: Whoosh tokenizers moved to indexer.engines.whoosh.tokenizers
USER_DICTIONARY = Path(__file__).parent / "data" / "userdict.txt"

_lock = threading.Lock()
_jieba = None


def _segmenter():
    """jieba's words with the domain dictionary, loaded on first use (not at import): jieba 0.42.1's tokenizer
    and dictionaries, cut by `indexer.segment.ExactSegmenter` (the same words, faster)."""
    global _jieba
    with _lock:
        if _jieba is None:
            import logging

            import jieba  # 0.42.1, pinned: the faster forks segment differently (docs/scale.md §1)

            from indexer.segment import ExactSegmenter

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.load_userdict(str(USER_DICTIONARY))
            _jieba = ExactSegmenter(tokenizer)
    return _jieba


def load_segmenter() -> None:
    """Load jieba and the domain dictionary now (1–5 s) rather than inside the first search: `serve` calls it
    before it listens, so nobody's first query waits for the dictionary."""
    _segmenter()


def analysis_fingerprint() -> str:
    """Identifies the token streams: analyzer version + jieba version + user dictionary."""
    import hashlib

    import jieba

    digest = hashlib.sha1(USER_DICTIONARY.read_bytes()).hexdigest()[:8]
    return f"analysis-{ANALYSIS_VERSION}/jieba-{jieba.__version__}/dict-{digest}"


def _is_word(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each jieba word of the normalised text, punctuation and spaces dropped."""
    return [(w, s, e) for w, s, e in _segmenter().tokenize(text) if _is_word(w)]


def bigrams(text: str) -> list[str]:
    """Overlapping bigrams of the normalised text, plus its last character alone."""
    if not text:
        return []
    return [text[i:i + 2] for i in range(len(text) - 1)] + [text[-1]]


def query_words(text: str) -> list[str]:
    """The normalised pieces of unquoted query text that must each appear: its jieba words, or the text itself
    when it has no word characters (e.g. `C++` → `c++`)."""
    normalized = normalize(text)
    return list(dict.fromkeys(w for w, _, _ in words(normalized))) or ([normalized] if normalized else [])


def phrase_terms(phrase: str) -> list[str]:
    """The consecutive bigrams a phrase must match; one character yields itself (a prefix)."""
    return [phrase] if len(phrase) <= 1 else [phrase[i:i + 2] for i in range(len(phrase) - 1)]
