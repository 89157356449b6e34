"""Search stage, year to year: one agency's two reports, sections aligned by their canonical keys, a readable
diff per section and the share of the newer text carried over unchanged.

Diffs are Google's diff-match-patch on characters (Chinese has no spaces to split words on), then its
semantic clean-up, which turns scattered one-character matches (`的`, `年`) into whole changed phrases: a
diff a person can read, and a carried-over share that counts only text really kept. Texts are compared
line by line without PDF spacing (`2023 年` equals `2023年`), lines and punctuation as printed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch

from indexer.engines import Engine
from indexer.read.report import SECTION_LABELS
from indexer.records import ReportRecord, SectionDoc
from indexer.reports import valid_report_id

DIFF_SECONDS = 2.0   # diff-match-patch gives a coarser (still correct) diff past this
FOLD_OVER = 240      # unchanged runs longer than this are folded …
FOLD_KEEP = 60       # … keeping this much context on each side
_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_PDF_SPACES = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")
_DIGITS_END = re.compile(r"[0-9]*$")
_DIGITS_START = re.compile(r"[0-9]*")
Kind = Literal["same", "ins", "del", "fold"]


@dataclass(frozen=True)
class Piece:
    """One run of a diff: text kept (`same`), added (`ins`), removed (`del`), or `fold` (unchanged text not shown,
    `text` empty, `size` characters)."""

    kind: Kind
    text: str
    size: int


@dataclass(frozen=True)
class SectionDiff:
    """One canonical section in both reports (either side may lack it)."""

    section: str
    label: str
    old_heading: str
    new_heading: str
    pieces: tuple[Piece, ...]
    old_chars: int
    new_chars: int
    kept_chars: int

    @property
    def carried(self) -> float | None:
        """Share of the newer text kept unchanged from the older (None when the newer has no text here)."""
        return self.kept_chars / self.new_chars if self.new_chars else None

    @property
    def status(self) -> str:
        if not self.old_chars:
            return "added"
        if not self.new_chars:
            return "removed"
        return "same" if self.kept_chars == self.new_chars == self.old_chars else "changed"


@dataclass(frozen=True)
class Comparison:
    """Two reports of one agency, older first, compared section by section."""

    old: ReportRecord
    new: ReportRecord
    sections: tuple[SectionDiff, ...]

    @property
    def new_chars(self) -> int:
        return sum(s.new_chars for s in self.sections)

    @property
    def kept_chars(self) -> int:
        return sum(s.kept_chars for s in self.sections)

    @property
    def carried(self) -> float | None:
        """Share of the newer report's text carried over unchanged from the older one."""
        return self.kept_chars / self.new_chars if self.new_chars else None


def comparable_text(text: str) -> str:
    """`text` line by line without the spaces PDFs put beside Chinese characters (`2023 年`) and blank lines.

    Not `normalize`: its NFKC would show `，` as `,` in the diff; only spacing differs between layouts."""
    lines = (_PDF_SPACES.sub("", unicodedata.normalize("NFC", raw)).strip() for raw in text.splitlines())
    return "\n".join(line for line in lines if line)


def aligned_sections(old: list[SectionDoc], new: list[SectionDoc]) -> list[tuple[str, str, str, str, str]]:
    """(key, old heading, old text, new heading, new text) per canonical section key: keys in the newer
    report's order, then those only the older one has. A key a report splits over several parts is joined."""
    def by_key(sections: list[SectionDoc]) -> dict[str, tuple[str, str]]:
        joined: dict[str, tuple[list[str], list[str]]] = {}
        for doc in sections:
            headings, texts = joined.setdefault(doc.section, ([], []))
            headings.append(doc.heading)
            texts.append(comparable_text(doc.text))
        return {key: (" / ".join(h for h in dict.fromkeys(headings) if h), "\n".join(t for t in texts if t))
                for key, (headings, texts) in joined.items()}

    before, after = by_key(old), by_key(new)
    keys = list(dict.fromkeys([*after, *before]))
    return [(key, *before.get(key, ("", "")), *after.get(key, ("", ""))) for key in keys]


def diff_texts(old: str, new: str) -> tuple[tuple[Piece, ...], int]:
    """The readable diff of `old` → `new` (long unchanged runs folded) and how many characters were kept."""
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_SECONDS
    runs = engine.diff_main(old, new)
    engine.diff_cleanupSemantic(runs)
    runs = whole_numbers(runs)
    pieces: list[Piece] = []
    kept = 0
    for operation, text in runs:
        if operation == 0:
            kept += len(text)
            pieces.extend(_folded(text))
        else:
            pieces.append(Piece("ins" if operation > 0 else "del", text, len(text)))
    return tuple(pieces), kept


def whole_numbers(runs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Widen each change to whole numbers: `202[-3][+4]年` reads `[-2023][+2024]年`, `1[-36][+42]条` reads
    `[-136][+142]条`. `runs` are diff-match-patch (operation, text) pairs; equal text moves into both sides."""
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(runs):
        if runs[index][0] == 0:
            out.append(runs[index])
            index += 1
            continue
        end = index
        while end < len(runs) and runs[end][0] != 0:
            end += 1
        removed = "".join(t for op, t in runs[index:end] if op < 0)
        added = "".join(t for op, t in runs[index:end] if op > 0)
        before = _DIGITS_END.search(out[-1][1]).group() if out and out[-1][0] == 0 else ""
        after = _DIGITS_START.match(runs[end][1]).group() if end < len(runs) else ""
        before = before if _digit_at(removed, added, 0) else ""
        after = after if _digit_at(removed, added, -1) else ""
        if before:
            out[-1] = (0, out[-1][1][:-len(before)])
        out.extend((op, f"{before}{text}{after}") for op, text in ((-1, removed), (1, added)) if text or before
                   or after)
        if end < len(runs):
            runs = [*runs[:end], (0, runs[end][1][len(after):]), *runs[end + 1:]]
        index = end
    return _merged([(op, text) for op, text in out if text])


def _merged(runs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Consecutive changes (an equal run between them may have been used up) as one removal then one addition."""
    out: list[tuple[int, str]] = []
    for op, text in runs:
        if op != 0 and out and out[-1][0] != 0:
            stretch = [out.pop()]
            while out and out[-1][0] != 0:
                stretch.insert(0, out.pop())
            stretch.append((op, text))
            removed, added = ("".join(t for o, t in stretch if o == sign) for sign in (-1, 1))
            out.extend((sign, t) for sign, t in ((-1, removed), (1, added)) if t)
        else:
            out.append((op, text))
    return out


def _digit_at(removed: str, added: str, where: int) -> bool:
    return any(text and text[where].isdigit() for text in (removed, added))


def _folded(text: str) -> list[Piece]:
    if len(text) <= FOLD_OVER:
        return [Piece("same", text, len(text))]
    hidden = len(text) - 2 * FOLD_KEEP
    return [Piece("same", text[:FOLD_KEEP], FOLD_KEEP), Piece("fold", "", hidden),
            Piece("same", text[-FOLD_KEEP:], FOLD_KEEP)]


def compare_sections(old: list[SectionDoc], new: list[SectionDoc]) -> tuple[SectionDiff, ...]:
    """Every aligned section of two reports, diffed."""
    out = []
    for key, old_heading, old_text, new_heading, new_text in aligned_sections(old, new):
        pieces, kept = diff_texts(old_text, new_text)
        out.append(SectionDiff(key, SECTION_LABELS.get(key, key), old_heading, new_heading, pieces,
                               len(old_text), len(new_text), kept))
    return tuple(out)


def compare_reports(engine: Engine, report_id: str, other_id: str) -> Comparison | None:
    """Compare two indexed reports, the older year first; None when either is unknown or both are one."""
    if report_id == other_id or not (valid_report_id(report_id) and valid_report_id(other_id)):
        return None
    records = [engine.report_record(rid) for rid in (report_id, other_id)]
    if None in records:
        return None
    old, new = sorted(records, key=lambda r: (r.year or 0, r.report_id == report_id))
    return Comparison(old, new, compare_sections(engine.report_sections(old.report_id),
                                                 engine.report_sections(new.report_id)))


def default_partner(report: ReportRecord, others: tuple) -> str | None:
    """The other year to compare a report with first: the closest earlier year, else the closest later one
    (`others` are `indexer.reports.OtherYear`s)."""
    dated = [o for o in others if o.year]
    earlier = [o for o in dated if report.year and o.year < report.year]
    if earlier:
        return max(earlier, key=lambda o: o.year).report_id
    rest = sorted(dated, key=lambda o: o.year) or list(others)
    return rest[0].report_id if rest else None
