"""Read stage: region {province, city, county} inferred from agency names and other hints. Pure.

Names are matched whole against cpca's division table (see `indexer/read/divisions.py`): cpca is the widely
used, MIT-licensed table the refreshed forks copy; county-level divisions change little year to year. We read
its `adcodes.csv` only — cpca's own address parser matches fragments (`县政府…` → 重庆), which misleads here.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from indexer.read.divisions import MUNICIPALITIES


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None


# The disclosure regulation binds mainland bodies only: a mention of 台湾 (台湾地区标准) names no publisher.
_NO_REPORTS = {"台湾省", "香港特别行政区", "澳门特别行政区"}


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


_ADDRESS = re.compile(r"地址|邮编|邮政编码|电话|传真|联系")  # where a body sits is not what it governs


def vote_region(text: str, limit: int = 80) -> Region:
    """Last resort: the region most sentences name in full (`公开平台` must not count as 开平市)."""
    sentences = [s for s in re.split(r"[。；\n]", text) if 4 <= len(s) <= 200 and not _ADDRESS.search(s)][:limit]
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
    return bool(region.province) and region.province not in _NO_REPORTS


def expand_abbreviation(agency: str, region: Region) -> str:
    """`市审批服务管理局` on a 青铜峡市 portal → `青铜峡市审批服务管理局` (bodies drop their own place name).

    A city district's government is officially named with its city (`拱墅区人民政府` → `杭州市拱墅区人民政府`);
    counties, county-level cities and a district's departments are not."""
    district = re.fullmatch(r"([\u4e00-\u9fff]{1,6}区)人民政府", agency)
    above = region.city or (region.province if region.province and region.province.endswith("市") else None)
    if district and district.group(1) == region.county and above and above.endswith("市"):
        return above + agency
    for prefix, places in (("自治区", (region.province,)), ("省", (region.province,)),
                           ("市", (region.county, region.city)), ("县", (region.county,)),
                           ("区", (region.county,)), ("旗", (region.county,))):
        if agency.startswith(prefix):
            place = next((p for p in places if p and p.endswith(prefix)), None)
            return place + agency[len(prefix):] if place else agency
    return agency


def _lookup(text: str) -> tuple[Region, bool]:
    """The region `text` names by whole division names, and whether it is certain (one reading only)."""
    from indexer.read.divisions import (
        named_divisions,
        parents,
        province_at_start,
        zone_after,
    )

    divisions = [d for d in named_divisions(text) if d.name not in _NO_REPORTS]
    provinces = {d.code[:2] for d in divisions if d.level == "province"}
    start = province_at_start(text)
    provinces |= {start.code[:2]} if start and not divisions else set()
    cities = {d.code[:4] for d in divisions if d.level == "city"}

    def fits(d) -> bool:
        return (not provinces or d.code[:2] in provinces) and (not cities or d.level != "county" or d.code[:4] in cities
                                                               or d.code[:2] in MUNICIPALITIES)

    for level in ("county", "city", "province"):
        matches = [d for d in divisions if d.level == level and fits(d)]
        if matches:
            first = [d for d in matches if d.name == matches[0].name]
            province, city = parents(first[0])
            if level == "city":
                city = first[0]
            region = Region(province and province.name, city and city.name, first[0].name if level == "county" else None)
            if level == "city" and city:
                region = Region(region.province, region.city, zone_after(text, city.name))
            return region, len({d.code for d in first}) == 1
    if start:
        return Region(start.name), True
    return _zone_region(text)


def _zone_region(text: str) -> tuple[Region, bool]:
    """A zone named after a city (`石家庄经济技术开发区`) stands as its county; after a county, only the province."""
    from indexer.read.divisions import parents, zone_named

    found = zone_named(text)
    if not found:
        return Region(), False
    division, zone = found
    province, _ = parents(division)
    if division.level == "city":
        return Region(province and province.name, division.name, zone), True
    return Region(province and province.name), False  # a later hint may name the county itself


def _lookup_all(texts: list[str]) -> list[Region]:
    return [_lookup(text)[0] for text in texts]


def is_division(name: str) -> bool:
    """Whether `name` is a province, city or county name in the division table."""
    from indexer.read.divisions import renamed, table

    return name in table().by_name or bool(renamed(name))
