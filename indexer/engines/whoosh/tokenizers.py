"""Whoosh adapters over `indexer.analysis` token streams.

Whoosh pickles these classes into the index schema: keep them in this module (moving them breaks old
indexes; bump `indexer.analysis.ANALYSIS_VERSION` if they ever move again).
"""
from __future__ import annotations

from whoosh.analysis import Token, Tokenizer

from indexer.analysis import bigrams, words
from indexer.normalize import normalize


class WordTokenizer(Tokenizer):
    """Whoosh tokenizer over `words` (text is normalised again: idempotent)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (word, start, end) in enumerate(words(normalize(value))):
            token.text = word
            token.boost = 1.0
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class BigramTokenizer(Tokenizer):
    """Whoosh tokenizer over `bigrams`, positions = character index in the normalised text."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, gram in enumerate(bigrams(normalize(value))):
            token.text = gram
            token.boost = 1.0
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + pos, start_char + pos + len(gram)
            yield token
