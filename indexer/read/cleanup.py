"""Read stage: repair extracted text before anything reads it. Pure: text in, text out.

What it fixes (DESIGN §2): spaces that PDF justification puts between CJK characters (`号 ， 邮 编`),
full-width digits/letters (`２０２０` → `2020`), ASCII brackets around Chinese (`(一)` → `（一）`), invisible
characters, page-number lines (`- 4 -`) and running headers repeated on every page, and sentences broken
over a blank line (`深化简政放\\n\\n权`). Table rows (tab-separated cells) are never joined or re-spaced.
"""
from __future__ import annotations

import re
from collections import Counter

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201f\u2014\u2026"
_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]) +(?=[{_CJK}{_CJK_PUNCT}])")
_AROUND_PUNCT = re.compile(rf" +(?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}]) +")
# One space between CJK and a number is justification or Word's auto-spacing (`共 7 期`); runs stay.
_DIGIT_UNIT = re.compile(rf"(?<=[\d%]) (?=[{_CJK}])|(?<=[{_CJK}]) (?=\d)")
_SPACE_RUN = re.compile(r" {2,}")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_SPACES = str.maketrans({"\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\x0c": "\n"})
_FULL_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                                *range(0xFF41, 0xFF5B)]})
# Full-width forms are folded for the whole text at once (no cell or line boundary is a full-width character).
_SPACES_AND_FULL_WIDTH = {**_SPACES, **_FULL_WIDTH}
_TRANSLATED = re.compile("[" + "".join(map(chr, _SPACES_AND_FULL_WIDTH)) + "]")
_ASCII_BRACKETS = re.compile(rf"\(([^()\n]{{0,40}}[{_CJK}][^()\n]{{0,40}})\)")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|"
                          r"\d{1,4}\s*/\s*\d{1,4})\s*$")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|"
                            r"第[一二三四五六七八九十]+[部章节]|附件|附表|#)")
_SENTENCE_END = tuple("。！？；：!?;:…")
_BREADCRUMB = re.compile(r"[>＞»›]|当前位置|所在位置|您的位置")  # a portal's trail ends in a word, not mid-sentence


def clean_text(text: str) -> str:
    """Repaired text: same words and numbers, fewer extraction artefacts."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _TRANSLATED.search(text):  # `str.translate` looks up every character: only for the texts that need it
        text = text.translate(_SPACES_AND_FULL_WIDTH)
    lines = [_clean_line(line) for line in text.split("\n")]
    lines = _drop_running_lines(lines)
    return "\n".join(_join_broken_sentences(lines)).strip()


def _clean_line(line: str) -> str:
    if "\t" in line:
        return "\t".join(_clean_fragment(cell) for cell in line.split("\t")).rstrip()
    return _clean_fragment(line)


def _clean_fragment(text: str) -> str:
    if "(" in text:
        text = _ASCII_BRACKETS.sub(r"（\1）", text)
    if " " not in text:
        return text.strip()  # the space repairs below only ever remove spaces
    text = _BETWEEN_CJK.sub("", text)
    text = _AROUND_PUNCT.sub("", text)
    text = _DIGIT_UNIT.sub("", text)
    return _SPACE_RUN.sub(" ", text).strip()


def _drop_running_lines(lines: list[str]) -> list[str]:
    """Page numbers, and short lines repeated often enough to be running headers/footers."""
    counts = Counter(line for line in lines if 0 < len(line) <= 30 and "\t" not in line)
    pages = 1 + sum(1 for line in lines if _PAGE_NUMBER.match(line))
    repeated = {line for line, n in counts.items() if pages >= 3 and n >= max(3, pages // 2)
                and not _HEADING_START.match(line) and not re.fullmatch(r"[\d.,%\s]+", line)}
    return [line for line in lines if not _PAGE_NUMBER.match(line) and line not in repeated]


def _join_broken_sentences(lines: list[str]) -> list[str]:
    """`深化简政放` + blank + `权` → one line: a blank line inside a sentence is a page break."""
    out: list[str] = []
    blank_since = False
    for line in lines:
        if not line:
            blank_since = True
            out.append(line)
            continue
        previous = _last_text_index(out)
        if blank_since and previous is not None and _is_broken(out[previous], line):
            del out[previous + 1:]
            out[previous] += line
        else:
            out.append(line)
        blank_since = False
    return out


def _last_text_index(lines: list[str]) -> int | None:
    for n in range(len(lines) - 1, -1, -1):
        if lines[n]:
            return n
    return None


def _is_broken(previous: str, line: str) -> bool:
    if "\t" in previous or "\t" in line or _HEADING_START.match(line) or _HEADING_START.match(previous):
        return False
    ends_mid_sentence = re.search(rf"[{_CJK}，、]$", previous) and not previous.endswith(_SENTENCE_END)
    return bool(ends_mid_sentence and re.match(rf"[{_CJK}，。、；）」”]", line) and len(previous) >= 5
                and not _looks_like_title(previous) and not _BREADCRUMB.search(previous))


def _looks_like_title(line: str) -> bool:
    return len(line) <= 40 and bool(re.search(r"报告|年报|情况|统计表|目录$", line))
