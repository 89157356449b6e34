"""Read stage: the issuing agency, from every place a page names it, each candidate checked against the others.

Trust order: the title; the opening sentence (`现公布《X2019年…报告》`, `由X编制`, `X编制了本报告`,
`结合2025年X政府信息公开工作实际`); the publisher line (`发布机构：X`); the signature; the opening paragraph's
subject (`2022年，X认真贯彻…`); page metadata and the crawl record's link title; the contact line. A report
compiled by a government's office for the whole government (`由X市人民政府办公室综合各区…编制`) is the
government's. Abbreviations (`市教育局`) are expanded only when the page itself writes the full name.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_NAME = r"[\u4e00-\u9fff（）()·]{2,40}?"
_YEAR = r"(?:(?:19|20)\d{2}\s*年?度?)"
_REPORT = r"(?:政府|政务)?(?:信息公开|政务公开)"
_BODY_SUFFIX = re.compile(r"(?:局|委|办|厅|府|院|会|室|处|中心|所|站|队|署|馆|部|行|总队|办事处|委员会|公司|学校|大学)$")
_NOT_A_NAME = re.compile(r"^(?:人民)?政府|^(?:本|我|该|各|全|其|此|以下|上述|有关|相关|[一二三四五六七八九十]+[、.])|[的了和与及]$|年度|报告|条例|公开$")
_CANDIDATE_PATTERNS = (
    ("opening", re.compile(rf"现(?:予以|将)?(?:公布|发布|公开|编制|印发)《?(?P<name>{_NAME}){_YEAR}{_REPORT}")),
    ("opening", re.compile(rf"(?:特|现)?向社会(?:公布|公开|发布){_YEAR}?(?P<name>{_NAME}){_YEAR}?{_REPORT}")),
    ("opening", re.compile(rf"(?:编制|编写|制作|形成)(?:了|完成)?《?(?P<name>{_NAME}){_YEAR}{_REPORT}")),
    ("opening", re.compile(rf"(?:依据|根据|按照|结合|将)(?P<name>{_NAME}){_YEAR}{_REPORT}")),
    ("opening", re.compile(rf"《(?P<name>{_NAME}){_YEAR}{_REPORT}[^》]{{0,8}}(?:报告|年报)》")),
    ("opening", re.compile(rf"结合{_YEAR}?(?P<name>{_NAME}){_REPORT}工作实际")),
    ("compiler", re.compile(rf"由(?P<name>{_NAME})(?:根据|依据|按照|结合|综合|汇总|负责|在|于|编制|起草|制作|编写|组织)")),
    ("compiler", re.compile(rf"[，,。；;）)》](?P<name>{_NAME})(?:根据[^。]{{0,80}}?)?编制(?:了|完成)?(?:本|{_YEAR})")),
    ("compiler", re.compile(rf"(?:报告|年报)是(?P<name>{_NAME})(?:依据|根据|按照|在)")),
    ("compiler", re.compile(rf"由(?P<name>{_NAME})、[^。]{{0,30}}?(?:编制|起草|制作|编写)")),
    ("summary", re.compile(rf"(?:在|汇总|综合){_YEAR}?(?P<name>{_NAME})(?:所辖)?各(?:区|县|市|盟|州|地|级|部门|乡镇)")),
    ("opening", re.compile(rf"^{_YEAR}(?P<name>{_NAME}){_REPORT}(?:工作)?(?:年度)?(?:报告|年报)")),
    ("publisher", re.compile(rf"(?:发布机构|发文机关|发布单位|信息来源|来源)[:：|\s]+(?P<name>{_NAME})(?=\s|$|\||[0-9]|发布|浏览|时间|日期)")),
    ("subject", re.compile(rf"(?:^|[。\n])(?P<name>{_NAME})(?:是|作为)(?:主管|负责|[\u4e00-\u9fff]{{0,12}}(?:部门|机构|机关))")),
    ("subject", re.compile(rf"{_YEAR}[，,]?(?P<name>{_NAME})(?:坚持|认真|深入|严格|始终|紧紧|全面|围绕|按照|继续|进一步|扎实|高度|以|在|紧扣|聚焦|立足|不断|持续|积极|依据|根据)")),
    ("subject", re.compile(rf"(?:^|[。\n])(?P<name>{_NAME}){_YEAR}{_REPORT}工作[，,]")),
    ("subject", re.compile(rf"[。\n](?P<name>{_NAME})(?:高度重视|始终坚持|认真贯彻|严格按照)")),
    ("site", re.compile(rf"电子版可(?:以)?(?:在|从|通过)(?P<name>{_NAME})(?:门户)?网站")),
    ("site", re.compile(rf"(?:在|通过)(?P<name>{_NAME})(?:政府)?(?:信息公开|政务公开)(?:门户)?网站")),
    ("contact", re.compile(rf"请(?:与|联系)(?P<name>{_NAME})(?:联系|办公室联系)")),
    ("contact", re.compile(rf"请(?:联系|联络)[:：](?P<name>{_NAME})[,，;；(（]")),
)
_GOVERNMENT_OFFICE = re.compile(r"^(?P<place>.+?)(?:人民)?政府[\u4e00-\u9fff]{0,12}?(?:办公厅|办公室|办)$"
                                r"|^(?P<place2>.+?)(?:政务公开|信息公开)[\u4e00-\u9fff]{0,8}(?:办公室|办)$")
_LEVEL_WORDS = ("自治区", "省", "市", "县", "区", "旗", "州", "盟")
_ADDRESS_BEFORE = re.compile(r"(?:地址|地点|位于|坐落于)[:：]?[^，,。；;）)]*$")
_CONTACT_OFFICE = re.compile(r"(?<=[局委厅府])(?:办公室|办公厅|综合科|[\u4e00-\u9fff]{0,8}办公室)$")
WARNINGS = {
    "opening": "agency from the opening sentence", "compiler": "agency from the opening sentence",
    "publisher": "agency from the publisher line", "signature": "agency guessed from signature",
    "subject": "agency guessed from the opening paragraph", "metadata": "agency guessed from page metadata",
    "link": "agency guessed from the link title", "contact": "agency guessed from the contact line",
    "summary": "agency from the opening sentence (a report for a whole government)",
    "site": "agency guessed from the website the report names",
}
_TRUST = ("title", "opening", "compiler", "summary", "publisher", "signature", "subject", "metadata", "link", "site",
          "contact")


@dataclass(frozen=True)
class Candidate:
    name: str
    source: str


def opening_candidates(head: str, raw_head: str) -> list[Candidate]:
    """Agency names the opening text gives (`head`: the first lines without chrome; `raw_head`: with it)."""
    found = []
    for source, pattern in _CANDIDATE_PATTERNS:
        for match in pattern.finditer(raw_head if source in ("publisher", "contact") else head):
            name = trim_to_name(_trim(match.group("name")))
            if source == "contact":
                name = _own_unit(_CONTACT_OFFICE.sub("", name), raw_head)
            if plausible(name):
                found.append(Candidate(name, source))
    return found


def _own_unit(name: str, text: str) -> str:
    """`商务部信息化司综合处` → `商务部` on a page saying `我部`: a contact office sits inside the reporting body."""
    words = re.findall(r"我(部|局|委|厅|署|办|院)", text)
    suffix = max(set(words), key=words.count) if words else None
    at = name.find(suffix) if suffix else -1
    return name[:at + 1] if 2 <= at < len(name) - 1 else name


def _trim(name: str) -> str:
    """A captured name without the words a sentence put before it (`关于`, `印发`, a stray bracket)."""
    name = re.sub(r"^(?:关于|印发|发布|公布|公开|特|现|了|在|对|为|将)+", "", name)
    name = re.split(r"[（(](?!.*[）)])", name)[0]  # `X局（含Y局` : the aside is not the name
    name = re.sub(r"(?:发布|公布|印发)$", "", name)  # `海关总署发布2012年…报告`
    return name.strip("（）()《》“”\"'·")


def trim_to_name(name: str) -> str:
    """`地方政务内蒙古自治区人民政府` → `内蒙古自治区人民政府`: words before the place that starts the name go.

    The cut is made where a division name starts and what stands before it is not itself a place
    (`北京市朝阳区…` stays whole; `哈尔滨市本级哈尔滨市人民政府` loses `哈尔滨市本级`).
    """
    from indexer.read.divisions import division_spans, province_at_start

    name = _trim(name)
    starts = sorted({start for start, _ in division_spans(name)} | {n for n in range(1, len(name)) if province_at_start(name[n:])
                                                                  and not _is_place(name[:n] + name[n:n + 2])})
    for pos in starts:
        if pos and not _is_place(name[:pos]):
            return _trim(name[pos:])
    return name


def plausible(name: str | None) -> bool:
    """Whether a captured string reads as a body's name (not `我局`, not a sentence fragment)."""
    if not name or not 2 <= len(name) <= 40 or _NOT_A_NAME.search(name):
        return False
    return bool(_BODY_SUFFIX.search(name) or _is_place(name) or name.endswith(("镇", "乡", "街道", "苏木")))


def implausible(name: str) -> bool:
    """Whether a string is certainly not a body's name (`本级政府`, a sentence's start or end)."""
    return bool(_NOT_A_NAME.search(name))


def _is_place(name: str) -> bool:
    from indexer.read.metadata import is_place

    return is_place(name)


def canonical(candidate: Candidate) -> str:
    """The full form of a body's name: a place is its government; an office compiling for it is the government."""
    name = candidate.name
    if candidate.source == "summary":
        return name + "人民政府" if _is_place(name) else name
    if candidate.source == "compiler":
        match = _GOVERNMENT_OFFICE.match(name)
        place = match and (match.group("place") or match.group("place2"))
        if place and (_is_place(place) or place in _LEVEL_WORDS):
            return place + "人民政府"  # `自治区人民政府办公厅汇总…编制` → 自治区人民政府, placed by `full_name`
    if name.endswith("政府") and not name.endswith("人民政府") and _is_place(name[:-2]):
        return name[:-2] + "人民政府"
    if _is_place(name) or name.endswith(("镇", "乡", "苏木")):
        return name + "人民政府"
    if name.endswith("街道"):
        return name + "办事处"
    return name


def _specific_body(ranked: list[Candidate]) -> Candidate:
    """A title naming only a place (`北京市…年度报告`) yields to the opening's body of that place (`北京市统计局`)."""
    best = ranked[0]
    if best.source != "title" or not _is_place(best.name):
        return best
    for other in ranked[1:]:
        if other.source in ("opening", "compiler") and other.name.startswith(best.name) and other.name != best.name \
                and not re.search(r"政府|政务公开|信息公开", other.name) and _BODY_SUFFIX.search(other.name):
            return other
    return best


def choose(candidates: list[Candidate]) -> tuple[str | None, list[str]]:
    """The most trusted candidate, lengthened when another names the same body in full; warnings say how sure."""
    ranked = sorted(candidates, key=lambda c: _TRUST.index(c.source))
    if not ranked:
        return None, ["no agency found"]
    best = _specific_body(ranked)
    name = canonical(best)
    for other in ranked[1:]:
        full = canonical(other)
        if len(full) > len(name) and full.endswith(name) and full[:len(full) - len(name)] and _is_place(full[:len(full) - len(name)]):
            name = full  # `教育局` in the title, `天津市东丽区教育局` in the opening sentence
            break
    warnings = [WARNINGS[best.source]] if best.source in WARNINGS else []
    return name, warnings


def full_name(agency: str, text: str) -> str:
    """The body's full name as the page itself writes it: abbreviations spelled out, then the place prefixed."""
    compact = "".join(text.split())  # what `\s+` matches, removed without a regex
    return _first_body(_with_place(_spelled_out(_defined_short(agency, compact), compact), compact))


def _defined_short(agency: str, compact: str) -> str:
    """`自治区北部湾办` → the name the page defines it for: `广西…管理办公室（以下简称自治区北部湾办）`."""
    if not any(f"简称{quote}{agency}" in compact for quote in ("", "“", '"')):
        return agency  # the usual case, told without compiling a pattern for this one name
    match = re.search(rf"(?P<name>{_NAME})[（(](?:以下|下文)?简称[“\"]?{re.escape(agency)}[”\"]?[）)]", compact)
    full = match and trim_to_name(match.group("name"))
    return full if full and len(full) > len(agency) and plausible(full) else agency


def _first_body(agency: str) -> str:
    """`广州市黄埔区人民政府广州开发区管委会` → `广州市黄埔区人民政府`: of two bodies issuing jointly, the first."""
    from indexer.read.divisions import division_spans, zone_named

    at = agency.find("人民政府")
    rest = agency[at + 4:] if at > 0 else ""
    if rest and (any(start == 0 for start, _ in division_spans(rest)) or zone_named(rest[:12]) and
                 zone_named(rest[:12])[1] and rest.startswith(zone_named(rest[:12])[1])):
        return agency[:at + 4]
    return agency


def _spelled_out(agency: str, compact: str) -> str:
    """`鹰潭市市场监管局` → `鹰潭市市场监督管理局`, `国家卫生健康委` → `…委员会`, when the page writes that form.

    The full form starts like the short one, keeps its characters in order and adds at most four; governments
    are left alone (`市政府办公室` is not `市政府信息公开办公室`)."""
    if "政府" in agency or len(agency) < 4:
        return agency
    seen: Counter = Counter()
    for start in _occurrences(agency[:2], compact):
        for size in range(len(agency) + 1, len(agency) + 5):
            window = compact[start:start + size]
            if _BODY_SUFFIX.search(window) and _in_order(agency, window) and window.endswith(
                    (agency[-1], "委员会")) and re.fullmatch(r"[\u4e00-\u9fff]+", window):
                seen[window] += 1
                break
    return seen.most_common(1)[0][0] if seen else agency


def _occurrences(word: str, text: str):
    """Starts of `word`'s non-overlapping occurrences in `text`, left to right (what `re.finditer` of the escaped
    word yields, without filling the regex cache with one pattern per agency)."""
    if not word:
        yield from (match.start() for match in re.finditer("", text))
        return
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + len(word))


def _in_order(short: str, full: str) -> bool:
    rest = iter(full)
    return all(char in rest for char in short)


def _with_place(agency: str, compact: str) -> str:
    """`淮安市洪泽区人民政府` for `洪泽区人民政府`, `青铜峡市审批服务管理局` for `市审批…`, as the page writes it."""
    from indexer.read.region import is_division

    level = next((w for w in ("自治区", "省", "市", "县", "区", "旗", "州") if agency.startswith(w)), None)
    longer: Counter = Counter()
    for start in _occurrences(agency, compact):
        if _ADDRESS_BEFORE.search(compact[max(0, start - 20):start]):
            continue  # `地址:安徽省亳州市…镇人民政府院内` places the building, it is not how the page names the body
        before = compact[max(0, start - 8):start]
        for n in range(len(before) - 1):
            if is_division(before[n:]) or level and is_division(before[n:] + level):
                longer[before[n:] + agency] += 1
                break
    return longer.most_common(1)[0][0] if longer else agency


def own_government(text: str, region) -> str | None:
    """`我区…`, `全省…`: a report naming no body is its own place's government, when the region is known."""
    place = region.county or region.city or region.province
    words = re.findall(r"(?:我|本|全)(区|县|市|旗|州|盟|省)(?![\u4e00-\u9fff]*?(?:规定|办法|条例))", text[:3000])
    if not place or not words:
        return None
    suffix = max(set(words), key=words.count)
    return place + "人民政府" if place.endswith(suffix) else None
