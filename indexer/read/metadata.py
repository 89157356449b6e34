"""Read stage: report metadata from clean text and page hints — title, statistical year, agency, publish date.

Traps (DESIGN §2): the year is the statistical year (`2017年度…报告` published in 2018 is 2017), found in
the title, else the period sentence `统计期限为2020年1月1日至…`, else guessed from the publish date; titles
come split over two lines (`洪泽区人民政府` / `2023 年…年度报告`) or only in `<meta ArticleTitle>`; the
body names the agency shorter (`市审批服务管理局`) or longer (`淮安市洪泽区人民政府`) than the title.
"""
from __future__ import annotations

import functools
import re

_YEAR = r"((?:19|20)\d{2})"
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "000012345678" "9")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULL_WIDTH_DIGIT = re.compile("[０-９]")
_CN_YEAR = re.compile(r"([二][〇零○Ｏ一二三四五六七八九]{3})\s*年")
_TITLE_WORDS = ("年度报告", "年报", "工作报告", "年度工作情况")
# `…年度报告（2020）`, `X2020政府信息公开…` (the year written without 年)
_TITLE_YEAR = re.compile(rf"{_YEAR}\s*年|[（(]\s*{_YEAR}\s*[)）]|(?<!\d){_YEAR}(?=\s*(?:政府|政务|信息公开))")
_PERIOD = re.compile(rf"(?:统计期限|统计时限|统计时间|数据统计|统计期)[^。]{{0,12}}?{_YEAR}\s*年\s*1\s*月\s*1\s*日"
                     rf"|自\s*{_YEAR}\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*至")
_YEAR_NEAR_REPORT = re.compile(rf"{_YEAR}\s*年度?\s*(?:的)?\s*(?:政府|政务)?\s*信息公开"
                               rf"|{_YEAR}\s*年度?[\u4e00-\u9fff]{{2,24}}?(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)"
                               rf"|{_YEAR}\s*年年报")
# `所列数据截止2016年12月31日`, and a first paragraph opening on its year (`2020年度，北京市东城区…`).
_PERIOD_END = re.compile(rf"(?:截止|截至)(?:日期|时间)?(?:为|是|到|至)?{_YEAR}年(?:12月31日|12月底|底)|(?:^|\n)\s*{_YEAR}年度?[，,]")
_OPENING_YEAR = re.compile(rf"(?:^|\n|。)\s*{_YEAR}年度?[\u4e00-\u9fff]|{_YEAR}\s*Annual\s*Report", re.IGNORECASE)
_AGENCY_TAIL = re.compile(rf"\s*(?:{_YEAR}\s*年?度?)?\s*(?:(?<!人民)政府|政务)?\s*(?:信息公开|政务公开|年度报告|年报).*$")
_LEADING_YEAR = re.compile(rf"^\s*(?:关于)?\s*{_YEAR}\s*年度?\s*")
_DATE = re.compile(rf"{_YEAR}\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?")
_PUBLISHED_LABEL = re.compile(rf"(?:发布|印发|公开|成文|生成)(?:日期|时间)\s*[:：]?\s*{_YEAR}\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})")
_DECORATION = re.compile(r"^[#>\s*_]+|[#\s*_]+$")
_BODY_SUFFIX = re.compile(r"(局|委|办|厅|府|院|会|室|处|中心|所|站|队|署|馆|部)$")


def chinese_year_digits(text: str) -> str:
    """`二〇一三年` / `２０１３年` → `2013年` (titles and signature dates write years in many ways)."""
    if _FULL_WIDTH_DIGIT.search(text):  # `str.translate` looks up every character: only when there is one
        text = text.translate(_FULL_WIDTH_DIGITS)
    return _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", text)


def clean_line(line: str) -> str:
    """A line without markdown decoration and spaces (titles and headings are compared this way)."""
    return "".join(_DECORATION.sub("", line).split())  # what `\s+` matches, removed without a regex


def find_title(lines: list[str], hint: str | None) -> str | None:
    """The report title: the page's own title when it names a report, else the first title-like line(s)."""
    body = _body_title(lines)
    hint = clean_line(chinese_year_digits(hint)) if hint else None
    if hint and body and hint in body:
        return body  # `<title>` often drops the place prefix the body's title line keeps
    body = body and re.sub(r"(?<=报告|年报)(?:日期|来源|发布|时间|作者|浏览|字号|本报告|本年度|根据|依据|按照|[:：]|\d{4}-).*$", "", body)
    candidates = [c for c in (hint, body) if c]
    if not candidates:
        return None
    return max(candidates, key=_title_score)


def _title_score(title: str) -> int:
    named = any(word in title for word in _TITLE_WORDS)
    year = _TITLE_YEAR.search(title)
    return 2 * named + 2 * bool(year) + bool(year and year.start() > 1)


def _body_title(lines: list[str]) -> str | None:
    previous: list[str] = []
    for line in lines[:25]:
        clean = clean_line(chinese_year_digits(line))
        if not clean or "\t" in line:
            continue
        clean = _title_at_start(clean)
        if previous and re.match(r"(?:公开|信息公开|政务公开|工作|年度报告|报告)", clean) \
                and re.search(r"(?:19|20)\d{2}.*(?:政府|政务|信息|公开|工作|年度)$", previous[-1]):
            clean = previous.pop() + clean  # `X2020年度政府信息` / `公开工作年度报告`
        if any(word in clean for word in _TITLE_WORDS) and len(clean) <= 60 and not clean.startswith(("根据", "本报告")):
            if re.match(rf"^(?:{_YEAR}|关于|（)", clean) or clean.startswith(("政府信息", "政务公开")):
                return _name_lines_before(previous) + clean
            return clean
        previous.append(clean)
    return None


def _title_at_start(line: str) -> str:
    """A title run into the text after it (`X2018年…年度报告X2018年…年度报告 2018年，X…`): the title alone."""
    if len(line) <= 60:
        return line
    match = re.match(r"[^，,。；：:]{4,50}?(?:工作年度报告|年度报告|工作报告|年报)", line)
    if not match:
        return line
    title = match.group(0)
    half = len(title) // 2
    return title[:half] if len(title) % 2 == 0 and title[:half] == title[half:] else title


def _name_lines_before(previous: list[str]) -> str:
    """The agency lines right above a title line that starts with its year (at most two, names only).

    The name line may end on the year (`宁波市…分局2020年` / `政府信息公开工作年度报告`)."""
    names: list[str] = []
    for line in reversed(previous[-2:]):
        if not re.fullmatch(r"(?:(?:19|20)\d{2}年度?)?[\u4e00-\u9fff（）()]{2,30}(?:(?:19|20)\d{2}年度?)?", line):
            break
        names.insert(0, line)
    return "".join(names)


def find_year(title: str | None, text: str, published: str | None) -> tuple[int | None, str | None]:
    """(statistical year, a warning when it was only guessed)."""
    if title:
        match = _TITLE_YEAR.search(chinese_year_digits(title))
        if match:
            return int(next(g for g in match.groups() if g)), None
    head = chinese_year_digits(re.sub(r"[ \t]+", "", text[:6000]))
    for pattern, warning in ((_PERIOD, None), (_YEAR_NEAR_REPORT, None), (_PERIOD_END, "year from the period sentence"),
                             (_OPENING_YEAR, "year guessed from the opening paragraph")):
        match = pattern.search(head)
        if match:
            return int(next(g for g in match.groups() if g)), warning
    if published:
        year, month = int(published[:4]), int(published[5:7] or 1) if len(published) >= 7 else 1
        return (year - 1 if month <= 6 else year), "report year guessed from the publish date"
    return None, "no report year found"


def find_agency(title: str | None, text: str, head: list[str], publisher: str | None = None,
                site: str | None = None, link_title: str | None = None) -> tuple[str | None, list[str]]:
    """The issuing body and warnings saying how it was found (`head`: the first lines without portal chrome)."""
    from indexer.read.agency import (
        Candidate,
        choose,
        full_name,
        implausible,
        opening_candidates,
        plausible,
        trim_to_name,
    )

    candidates = []
    from_title = agency_from_title(title) if title else None
    named = trim_to_name(from_title) if from_title else None
    if named and named.endswith("人民政府") and "人民政府" not in title and is_place(named[:-4]):
        named = named[:-4]  # `北京市…年度报告` names a place: a body of it in the opening sentence may be meant
    if named and (plausible(named) or not implausible(named) and not re.search(r"[:：|]", named)
                  and (re.fullmatch(r"[\u4e00-\u9fff（）()·]{3,40}", named) or _BODY_SUFFIX.search(named))):
        candidates.append(Candidate(named, "title"))  # a title may name a body of any form (`平潭综合实验区`)
    compact = re.sub(r"[ \t\u3000]+", "", "\n".join(head))[:2500]
    candidates += opening_candidates(compact, re.sub(r"[ \t\u3000]+", "", text[:2500]))
    link = agency_from_title(link_title) if link_title else None
    for name, source in ((publisher, "publisher"), (_signature(text), "signature"), (site, "metadata"), (link, "link")):
        name = trim_to_name(name) if name else None
        if plausible(name):
            candidates.append(Candidate(name, source))
    agency, warnings = choose(candidates)
    return (full_name(agency, text) if agency else None), warnings


def _signature(text: str) -> str | None:
    """The body that signs at the end: `XX县人民政府办公室` above (or before) the date, `2021年1月20日` or
    `二〇二一年一月二十日`."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][-4:]
    for above, below in zip(lines, lines[1:]):
        if _is_date(below) and _BODY_SUFFIX.search(above) and len(above) <= 30:
            return above
    last = re.fullmatch(r"(?P<name>[\u4e00-\u9fff（）()]{4,30}?)\s+(?P<date>\S{8,16})", lines[-1]) if lines else None
    if last and _is_date(last.group("date")) and _BODY_SUFFIX.search(last.group("name")):
        return last.group("name")  # `沙洋县教育局 2021年1月20日` on one line
    return None


def _is_date(line: str) -> bool:
    compact = chinese_year_digits(line).replace(" ", "")
    return bool(_DATE.fullmatch(compact) or re.fullmatch(r"(?:19|20)\d{2}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日", compact))


def agency_from_title(title: str) -> str | None:
    """`青铜峡市审批服务管理局2020年政府信息公开工作年度报告` → `青铜峡市审批服务管理局`."""
    name = _LEADING_YEAR.sub("", chinese_year_digits(title))
    name = _AGENCY_TAIL.sub("", name)
    if "关于" in name:  # `XX市人民政府办公室关于(印发)XX市…报告`: the report's subject follows 关于
        before, after = name.split("关于", 1)
        name = re.sub(r"^(?:印发|发布|公布|公开)", "", after) or before
    name = re.sub(r"的$", "", name).strip("（）()《》“”\"' ")
    if len(name) < 2:
        return None
    if is_place(name):
        return name + "人民政府"  # `青铜峡市2020年…报告` is issued by 青铜峡市人民政府
    if name.endswith(("镇", "乡")):
        return name + "人民政府"
    if name.endswith("街道"):
        return name + "办事处"
    return name


@functools.lru_cache(maxsize=8192)  # asked of the same names many times per report
def is_place(name: str) -> bool:
    """`深圳市南山区`, `上海市浦东新区`: ends in a division name (`苏州工业园区`, `平潭综合实验区` do not)."""
    from indexer.read.region import is_division

    return len(name) <= 16 and any(is_division(name[n:]) for n in range(len(name) - 1))


def find_published(text: str, hint: str | None) -> str | None:
    """The publish date the page states (ISO `YYYY-MM-DD`), from page metadata or a dated line."""
    if hint:
        return hint
    compact = chinese_year_digits(re.sub(r"[ \t]+", "", text))
    match = _PUBLISHED_LABEL.search(compact[:3000])
    if not match:
        tail = [line for line in compact.split("\n") if line.strip()][-4:]
        match = next((m for m in (_DATE.fullmatch(line.strip()) for line in tail) if m), None)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
