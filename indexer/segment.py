"""Index stage: jieba 0.42.1's precise mode (with HMM) in one tight loop — the same words, about 1.6× faster.

`jieba.Tokenizer.cut` spends most of its time in Python overhead: it builds a DAG dict per block, then
`calc` takes `max` over a generator of tuples and calls `math.log` for every candidate word. This module
does the same dynamic programme over the same dictionary (the tokenizer's own `FREQ`, user dictionary
included) with the log-probabilities computed once, and hands unknown runs to jieba's own HMM
(`jieba.finalseg.cut`). Nothing is decided differently, so the tokens are jieba's:

- blocks are split with jieba's own `re_han_default` and `re_skip_default`;
- `route[k] = max((log(freq(w)) - log(total) + route[k + len(w)], end))` over the dictionary words `w`
  starting at k (every prefix of a dictionary word is in `FREQ`, with frequency 0 unless it is a word);
  ties go to the longer word, as tuple comparison does in jieba; a position no word starts at gets
  `log(1) - log(total)`, as jieba's `FREQ.get(...) or 1`. The sums are formed in jieba's order, so the
  floating-point results are bit for bit the same;
- single characters in a row are joined and, unless that run is a word, cut by the HMM.

`tests/search/test_segmenter.py` compares it with `jieba.Tokenizer.tokenize` on every text of the corpus,
the reader's devset and ../shared, and on random strings. docs/scale.md §1 has the measurements.
"""
from __future__ import annotations

from math import log

import jieba
from jieba import finalseg


class ExactSegmenter:
    """The words of `jieba.Tokenizer.cut(text, HMM=True)` for an initialised tokenizer (dictionaries loaded)."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        tokenizer.check_initialized()
        self.freq: dict[str, int] = tokenizer.FREQ
        log_total = log(tokenizer.total)
        self.log_p = {word: log(count) - log_total for word, count in self.freq.items() if count}
        self.unknown = log(1) - log_total

    def cut(self, text: str) -> list[str]:
        """jieba's words of `text`, in order; joined they give `text` back."""
        out: list[str] = []
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            if jieba.re_han_default.match(block):
                self._cut_block(block, out)
                continue
            for piece in jieba.re_skip_default.split(block):
                if jieba.re_skip_default.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)  # one token per character, as jieba does outside its blocks
        return out

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """(word, start, end) for every word, as `jieba.Tokenizer.tokenize(text)`."""
        tokens, start = [], 0
        for word in self.cut(text):
            end = start + len(word)
            tokens.append((word, start, end))
            start = end
        return tokens

    def _cut_block(self, block: str, out: list[str]) -> None:
        ends = self._best_route(block)
        size, x, run_start = len(block), 0, -1
        while x < size:
            y = ends[x] + 1
            if y - x == 1:
                if run_start < 0:
                    run_start = x
            else:
                if run_start >= 0:
                    self._cut_run(block[run_start:x], out)
                    run_start = -1
                out.append(block[x:y])
            x = y
        if run_start >= 0:
            self._cut_run(block[run_start:], out)

    def _best_route(self, block: str) -> list[int]:
        """For each position, the last index of the word the best route takes there (jieba's `calc` over
        `get_DAG`, fused)."""
        freq, log_p, unknown = self.freq, self.log_p, self.unknown
        size = len(block)
        score = [0.0] * (size + 1)
        ends = list(range(size))
        for k in range(size - 1, -1, -1):
            best = None
            i, fragment = k, block[k]
            while fragment in freq:
                word_p = log_p.get(fragment)
                if word_p is not None:
                    candidate = word_p + score[i + 1]
                    if best is None or candidate >= best:  # >=: on a tie the longer word wins, as in jieba
                        best, ends[k] = candidate, i
                i += 1
                if i >= size:
                    break
                fragment = block[k:i + 1]
            score[k] = unknown + score[k + 1] if best is None else best
        return ends

    def _cut_run(self, run: str, out: list[str]) -> None:
        """Consecutive one-character steps of the route: jieba's HMM decides, unless the run is a word."""
        if len(run) == 1:
            out.append(run)
        elif not self.freq.get(run):
            out.extend(finalseg.cut(run))
        else:
            out.extend(run)
