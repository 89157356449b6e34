"""Read stage: administrative divisions named in a string, by whole names from cpca's division table. Pure.

cpca's `adcodes.csv` lists every province, prefecture and county-level division with its 12-digit code; the
code gives the parents (`110105…` 朝阳区 is under 北京市, `420222…` under 黄石市). Names are matched whole,
longest first, starting at a boundary: `西城区` is never `城区`, `公开平台` never `开平市`. Municipalities
(北京/天津/上海/重庆) have districts and no city; counties directly under a province (潜江市) have no city.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

MUNICIPALITIES = ("11", "12", "31", "50")
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$")
# A name counts only where a name may start: the string's start, after a division or a non-name character.
_BOUNDARY_BEFORE = set("省市县区州盟旗") | set("的和与及、，。；：:（）()《》“”\"' \n\t>|·•")
# The peoples autonomous prefectures are named for: `黔东南苗族侗族自治州` is written `黔东南州`.
_PEOPLES = re.compile(r"(?:苗|侗|布依|土家|藏|彝|白|傣|景颇|傈僳|哈尼|壮|回|蒙古|朝鲜|哈萨克|柯尔克孜|羌|保安|东乡|撒拉|满|瑶|畲|"
                      r"土|黎|仫佬|毛南|仡佬|水|纳西|独龙|怒|普米|拉祜|佤|布朗|达斡尔|鄂温克|鄂伦春|锡伯|塔吉克|裕固|哈萨克)族?")
_PROVINCE_DIRECT = {"省直辖县级行政区划", "自治区直辖县级行政区划"}
_ZONE_AFTER_STEM = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:综合实验区|经济技术开发区|高新技术产业开发区|开发区|经济区|新区)")
_ZONE = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:开发区|风景区|新区)")


@dataclass(frozen=True)
class Division:
    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code[2:] == "0" * 10:
            return "province"
        return "city" if self.code[4:] == "0" * 8 else "county"


@dataclass(frozen=True)
class Table:
    by_name: dict  # name → tuple of Divisions carrying it
    by_code: dict  # code → Division
    short_provinces: dict  # `广西` → the 广西壮族自治区 Division


@functools.lru_cache(maxsize=1)
def table() -> Table:
    """The division table, read once from the installed cpca package."""
    from importlib.resources import files

    text = files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    by_name: dict = defaultdict(list)
    by_code: dict = {}
    for line in text.splitlines()[1:]:
        code, name = (line.split(",") + [""])[:2]
        if re.fullmatch(r"\d{12}", code) and name and name not in ("市辖区", "县"):
            division = Division(code, name)
            by_name[name].append(division)
            by_code[code] = division
    short = {_PROVINCE_SUFFIX.sub("", d.name): d for d in by_code.values() if d.level == "province"}
    provinces = {_PROVINCE_SUFFIX.sub("", d.name) for d in by_code.values() if d.level == "province"}
    for division in [d for d in by_code.values() if re.search("自治[州县旗]$", d.name)]:
        # `黔东南州` for 黔东南苗族侗族自治州, `积石山县` for 积石山保安族东乡族撒拉族自治县
        short_name = _PEOPLES.sub("", division.name[:-3]) + division.name[-1]
        if short_name not in by_name and len(short_name) >= 3 and (short_name[:-1] not in provinces
                                                                    or short_name.endswith("州")):  # `海南州`, not `河南县`
            by_name[short_name].append(division)
    return Table({k: tuple(v) for k, v in by_name.items()}, by_code, short)


def named_divisions(text: str) -> list[Division]:
    """Divisions named whole in `text`, in order; an ambiguous name yields all its divisions."""
    return [division for _, division in division_spans(text)]


def division_spans(text: str) -> list[tuple[int, Division]]:
    """(start, division) for every whole division name in `text`, scanning left to right, longest first."""
    return list(_spans(text))


@functools.lru_cache(maxsize=4096)
def _spans(text: str) -> tuple[tuple[int, Division], ...]:
    # A report's reader asks about the same short strings (names, title, sentences) several times: memoised.
    names = table().by_name
    sizes_at = _scan_index().sizes_by_prefix
    found: list[tuple[int, Division]] = []
    i = 0
    while i < len(text):
        # Only sizes of names starting with these two characters can match (a renamed county keeps its first
        # two: `荔浦市` ← `荔浦县`), longest first, as the plain scan over every size would find them.
        for size in sizes_at.get(text[i:i + 2], ()):
            if size > len(text) - i:
                continue
            if size == 2 and i and text[i - 1] not in _BOUNDARY_BEFORE and not _after_division(text, i):
                continue  # `城区` inside `新城区建设`: two-character names only at a boundary
            matched = names.get(text[i:i + size]) or renamed(text[i:i + size])
            if matched:
                found.extend((i, division) for division in matched)
                i += size
                break
        else:
            i += 1
    return tuple(found)


@dataclass(frozen=True)
class _ScanIndex:
    sizes_by_prefix: dict  # first two characters of a name → the sizes of names starting so, longest first
    short_provinces: frozenset  # `广西`, `宁夏`…
    short_sizes: tuple  # their lengths
    prefix_free: bool  # no short name is the start of another


@functools.lru_cache(maxsize=1)
def _scan_index() -> _ScanIndex:
    sizes: dict = defaultdict(set)
    for name in table().by_name:
        if len(name) >= 2:
            sizes[name[:2]].add(len(name))
    shorts = frozenset(table().short_provinces)
    return _ScanIndex({k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()}, shorts,
                      tuple(sorted({len(s) for s in shorts})),
                      not any(a != b and b.startswith(a) for a in shorts for b in shorts))


def renamed(name: str) -> tuple[Division, ...]:
    """`荔浦市` for the table's `荔浦县`, `章丘区` for `章丘市`: counties renamed since the table was made."""
    if len(name) < 3 or name[-1] not in "县市区旗":
        return ()
    for suffix in "县市区旗".replace(name[-1], ""):
        others = [d for d in table().by_name.get(name[:-1] + suffix, ()) if d.level == "county"]
        if len(others) == 1:
            return (Division(others[0].code, name),)
    return ()


def _after_division(text: str, i: int) -> bool:
    """`宁夏青铜峡市`: a name may also follow a short province name."""
    index = _scan_index()
    return any(size <= i and text[i - size:i] in index.short_provinces for size in index.short_sizes)


def names_a_place(name: str) -> bool:
    """Whether a body's name starts from a division (`天津市东丽区教育局`, `广西北部湾办`; not `教育局`)."""
    return bool(named_divisions(name) or province_at_start(name) or zone_named(name))


def is_central(agency: str) -> bool:
    """A central-government body (`财政部`, `海关总署`, `国家税务总局`): it names no division and has no region."""
    if named_divisions(agency) or province_at_start(agency):
        return False
    return bool(re.match(r"(?:国家|国务院|中国|中华人民共和国)", agency) or re.search(r"(?:部|总署|总局)$", agency))


def province_at_start(text: str) -> Division | None:
    """A province written short at the start (`广西北部湾办`, `湖南衡山…`)."""
    index = _scan_index()
    if not index.prefix_free:
        return next((d for short, d in table().short_provinces.items() if text.startswith(short)), None)
    # No short name starts another: the one found by its length is the one the table's order would give.
    return next((table().short_provinces[text[:size]] for size in index.short_sizes
                 if text[:size] in index.short_provinces), None)


def parents(division: Division) -> tuple[Division | None, Division | None]:
    """(province, city) above a division; the city is None for municipalities and province-direct counties."""
    codes = table().by_code
    province = codes.get(division.code[:2] + "0" * 10)
    if division.level == "province" or division.code[:2] in MUNICIPALITIES:
        return province, None
    city = codes.get(division.code[:4] + "0" * 8) if division.level == "county" else division
    return province, (None if city and city.name in _PROVINCE_DIRECT else city)


def zone_named(text: str) -> tuple[Division, str] | None:
    """`石家庄经济技术开发区`, `平潭综合实验区`: a zone named after a city or county written short."""
    for start in range(len(text) - 3):
        for size in (3, 2):  # `石家庄经济…` has a 3-character stem, `大连长兴岛…` a 2-character one
            stem = text[start:start + size]
            match = _ZONE_AFTER_STEM.match(text, start + size)
            for suffix in "市县区" if match else "":
                hits = table().by_name.get(stem + suffix, ())
                if len(hits) == 1:
                    return hits[0], text[start:match.end()]
    return None


def zone_after(text: str, city: str) -> str | None:
    """`武汉市东湖生态旅游风景区…` → `东湖生态旅游风景区`: a development zone standing as the county."""
    at = text.find(city)
    match = _ZONE.match(text, at + len(city)) if at >= 0 else None
    return match.group(0) if match else None
