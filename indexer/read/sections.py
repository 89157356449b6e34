"""Read stage: clean text → canonical sections (DESIGN §2). Pure.

Every character of the body lands in exactly one section: text before the first heading goes to
`preamble`, a heading naming no canonical section stays (heading and all) in the section before it.
Top-level headings are numbered `一、` / `一.` / `第一部分`, possibly decorated with markdown `#`/`**`
and with spaces inside (`概 述`); they count up, which tells them from the statutory table rows that
reuse `一、…四、` (`四、结转下年度继续办理`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Checked in order: a heading naming 复议/诉讼 after an application is still `review`.
SECTION_KEYWORDS = (
    ("statistics", ("统计表", "附表", "统计指标", "统计数据")),
    ("review", ("复议", "诉讼")),
    ("fees", ("收费", "减免")),
    ("problems", ("问题", "改进", "不足", "工作思路", "下一步", "工作打算", "工作计划")),
    ("requests", ("依申请", "收到和处理", "申请公开", "公开申请", "申请情况")),
    ("proactive", ("主动公开",)),
    ("consultation", ("咨询", "回应", "解读", "关切")),
    ("overview", ("总体情况", "概述", "概况", "基本情况", "总体概况")),
    ("other", ("其他", "其它")),
)

NUMERALS = "一二三四五六七八九十"
MAX_HEADING_CHARS = 40
_DECORATION = re.compile(r"^[#>\s*_]+|[#\s*_]+$")
_TOP_HEADING = re.compile(rf"^(?:第\s*)?([{NUMERALS}]{{1,2}})\s*(?:[、.．,，:：]|部分|章)\s*(.+)$")
_BOLD_HEAD = re.compile(r"^\s*\*\*(.{2,40}?)\*\*(.+)$")
_ATTACHMENT = re.compile(r"^附\s*(件|表)")
_TABLE_ROW_TAIL = re.compile(r"[\s\d.%—-]{3,}$")


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    text: str


def section_key(heading: str) -> str | None:
    """The canonical key a heading names, or None when it names none."""
    compact = "".join(heading.split())  # what `\s+` matches, removed without a regex
    for key, words in SECTION_KEYWORDS:
        if any(word in compact for word in words):
            return key
    return None


def split_sections(text: str) -> list[Section]:
    """The body split at its top-level headings into canonical sections."""
    sections = _split(text, _heading)
    if all(s.key in ("preamble", "statistics") for s in sections):
        # No numbered headings at all: older reports use bare (`概述`) or Arabic-numbered (`1、概述`) ones.
        plain = _split(text, _plain_heading)
        if len({s.key for s in plain} - {"preamble", "statistics"}) >= 2:  # one stray menu word is no structure
            sections = plain
    return sections


def _split(text: str, find_heading) -> list[Section]:
    sections: list[Section] = []
    key, heading, body = "preamble", "", []
    expected = 1
    for line in text.split("\n"):
        found = find_heading(line, expected, key)
        if found is None:
            body.append(line)
            continue
        new_key, new_heading, rest, expected = found
        _close(sections, key, heading, body)
        key, heading, body = new_key, new_heading, [rest] if rest else []
    _close(sections, key, heading, body)
    return sections


def _heading(line: str, expected: int, key: str) -> tuple[str, str, str, int] | None:
    """(key, heading, text after the heading on the same line, next expected number) or None."""
    line = _sole_cell(line)
    if "\t" in line or not line.strip():
        return None
    bold = _BOLD_HEAD.match(line)
    head, rest = (bold.group(1), bold.group(2).strip()) if bold else (line, "")
    clean = _DECORATION.sub("", head).strip()
    if len(clean) > MAX_HEADING_CHARS or (not bold and _TABLE_ROW_TAIL.search(clean)):
        return None
    top = _TOP_HEADING.match(clean)
    if top:
        number = NUMERALS.find(top.group(1)) + 1 if len(top.group(1)) == 1 else 10 + NUMERALS.find(top.group(1)[-1]) + 1
        named = section_key(top.group(2))
        # Headings count up; a skipped number survives a heading lost inside a table, and a table row that
        # reused the number (`四、结转下年度…`) must not hide the real `四、…复议` after it. The attached
        # statistics table comes last: its numbered rows (`七、依申请公开信息收取的费用`) are not headings.
        if key == "statistics":
            return None
        if number in (expected, expected + 1) or (named not in (None, key) and number >= expected - 1):
            return (named or key), clean, rest, number + 1
        return None
    if not bold and (_ATTACHMENT.match(clean) or clean.endswith("统计表")) and section_key(clean) == "statistics":
        return "statistics", clean, rest, expected
    if not bold and _ATTACHMENT.match(clean) and re.fullmatch(r"附\s*(件|表)\s*[\d一二三]*\s*[:：]?", clean):
        return "statistics", clean, rest, expected
    return None


def _plain_heading(line: str, expected: int, key: str) -> tuple[str, str, str, int] | None:
    """A short line naming a section on its own: `概述`, `1、主动公开政府信息情况`, `**依申请公开**`."""
    line = _sole_cell(line)
    clean = _DECORATION.sub("", line).strip()
    if "\t" in line or not clean or len(clean) > 24 or re.search(r"[。，；：:,;]", clean):
        return None
    named = section_key(re.sub(r"^\d{1,2}\s*[、.．]\s*", "", clean))
    if named in (None, key) or (key == "statistics"):
        return None
    return named, clean, "", expected


def _sole_cell(line: str) -> str:
    """A table row whose only filled cell is a heading (`四、…复议…情况<tab><tab>`) reads as that heading."""
    if "\t" not in line:
        return line
    cells = [cell for cell in line.split("\t") if cell.strip()]
    return cells[0] if len(cells) == 1 else line


def _close(sections: list[Section], key: str, heading: str, body: list[str]) -> None:
    text = "\n".join(body).strip()
    if not text and not heading:
        return
    if sections and sections[-1].key == key:
        last = sections.pop()
        text = f"{last.text}\n\n{heading}\n{text}".strip()
        heading = last.heading
    sections.append(Section(key=key, heading=heading, text=text))
