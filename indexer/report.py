"""Read stage: clean text → `Report` (title, agency, year, canonical sections, warnings). Pure.

Section keys are stable identifiers (DESIGN §2); every character of the body lands in exactly one
section: text before the first heading goes to `preamble`, unmatched headings stay with the
section before them.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

PARSER_VERSION = "1"

SECTION_LABELS = {
    "preamble": "前言",
    "overview": "总体情况",
    "proactive": "主动公开",
    "requests": "依申请公开",
    "review": "行政复议和行政诉讼",
    "problems": "问题及改进",
    "other": "其他事项",
    "fees": "收费及减免",
    "consultation": "咨询及回应解读",
    "statistics": "统计表",
}

# Checked in order: a heading naming 复议/诉讼 after an application is still `review`.
_SECTION_KEYWORDS = (
    ("statistics", ("统计表", "附表", "统计指标")),
    ("review", ("复议", "诉讼")),
    ("fees", ("收费", "减免")),
    ("problems", ("问题", "改进", "不足")),
    ("requests", ("依申请", "收到和处理", "申请公开", "公开申请")),
    ("proactive", ("主动公开",)),
    ("consultation", ("咨询", "回应", "解读")),
    ("overview", ("总体情况", "概述", "概况", "基本情况")),
    ("other", ("其他", "其它")),
)

_NUMERALS = "一二三四五六七八九十"
_DECORATION = re.compile(r"^[#\s*]+|[#\s*]+$")
_TOP_HEADING = re.compile(rf"^([{_NUMERALS}]{{1,3}})\s*[、.．]\s*(.+)$")
_ATTACHMENT_HEADING = re.compile(r"^附(件|表)[:：\d一二三]*")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?\s*(?:政府)?(?:信息公开|政务公开)")
_TITLE_WORDS = ("年度报告", "年报")
_AGENCY_TAIL = re.compile(r"\s*(?:(?:19|20)\d{2}\s*年度?)?\s*(?:政府)?(?:信息公开|政务公开).*$")


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    text: str


@dataclass(frozen=True)
class Report:
    source: str
    title: str | None
    agency: str | None
    year: int | None
    region: Region = field(default_factory=Region)
    template: str = "unknown"
    sections: tuple[Section, ...] = ()
    tables: tuple = ()
    warnings: tuple[str, ...] = ()
    url: str | None = None

    def to_json(self) -> dict:
        """The `nianbao parse --json` shape (DESIGN §5)."""
        data = asdict(self)
        data["sections"] = [asdict(s) for s in self.sections]
        data["tables"] = list(self.tables)
        data["warnings"] = list(self.warnings)
        return data


def section_key(heading: str) -> str | None:
    """The canonical key a heading names, or None when it names none."""
    compact = re.sub(r"\s+", "", heading)
    for key, words in _SECTION_KEYWORDS:
        if any(word in compact for word in words):
            return key
    return None


def parse_report(text: str, *, source: str, url: str | None = None, region: Region | None = None,
                 title_hint: str | None = None) -> Report:
    """Split a report's text into metadata and canonical sections."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = _find_title(lines) or title_hint
    warnings = []
    if not title:
        warnings.append("no title found")
    year = _find_year(title, text)
    if year is None:
        warnings.append("no report year found")
    sections = _split_sections(lines, title)
    template = _template(text, {s.key for s in sections})
    return Report(source=source, title=title, agency=_find_agency(title), year=year, region=region or Region(),
                  template=template, sections=tuple(sections), warnings=tuple(warnings), url=url)


def _template(text: str, keys: set[str]) -> str:
    """Table versions are told apart by header words, not by year (DESIGN §2)."""
    compact = re.sub(r"\s+", "", text)
    if "本年制发件数" in compact:
        return "2021"
    if "本年新制作数量" in compact:
        return "2019"
    if "overview" in keys and ("fees" in keys or "statistics" in keys or "review" not in keys):
        return "pre2019"
    return "unknown"


def _clean_line(line: str) -> str:
    return _DECORATION.sub("", line).strip()


def _find_title(lines: list[str]) -> str | None:
    """The title: the first line naming an annual report, joined with the line above when split."""
    previous = ""
    for line in lines[:15]:
        clean = _clean_line(line)
        if not clean:
            continue
        if any(word in clean for word in _TITLE_WORDS) and len(clean) <= 60:
            if _YEAR_IN_TITLE.match(clean) and previous and len(previous) <= 30:
                return re.sub(r"\s+", "", previous + clean)
            return re.sub(r"\s+", "", clean)
        previous = clean
    return None


def _find_year(title: str | None, text: str) -> int | None:
    for candidate in (title or "", text[:3000]):
        match = _YEAR_IN_TITLE.search(re.sub(r"\s+", "", candidate))
        if match:
            return int(match.group(1))
    return None


def _find_agency(title: str | None) -> str | None:
    if not title:
        return None
    agency = _AGENCY_TAIL.sub("", title).strip()
    return agency or None


def _split_sections(lines: list[str], title: str | None) -> list[Section]:
    sections: list[Section] = []
    key, heading, body = "preamble", "", []
    expected = 1
    for line in lines:
        clean = _clean_line(line)
        new_key = None
        if clean and "\t" not in line and len(clean) <= 40:
            top = _TOP_HEADING.match(clean)
            number = _NUMERALS.find(top.group(1)) + 1 if top and len(top.group(1)) == 1 else 0
            # Headings count up; allowing one skipped number survives a heading lost inside a table.
            if number in (expected, expected + 1):
                expected = number + 1
                new_key = section_key(top.group(2)) or key
            elif (_ATTACHMENT_HEADING.match(clean) or clean.endswith("统计表")) and section_key(clean) == "statistics":
                new_key = "statistics"
        if new_key is not None:
            _close(sections, key, heading, body)
            key, heading, body = new_key, clean, []
            continue
        if key == "preamble" and title and re.sub(r"\s+", "", clean) and re.sub(r"\s+", "", clean) in title:
            continue  # the title lines themselves are metadata, not preamble text
        body.append(line)
    _close(sections, key, heading, body)
    return sections


def _close(sections: list[Section], key: str, heading: str, body: list[str]) -> None:
    text = "\n".join(body).strip()
    if not text and not heading:
        return
    if sections and sections[-1].key == key:
        last = sections.pop()
        text = f"{last.text}\n\n{heading}\n{text}".strip()
        heading = last.heading
    sections.append(Section(key=key, heading=heading, text=text))
