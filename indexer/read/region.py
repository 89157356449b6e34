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
    """Last resort: the region the sentences name most (a name several divisions share splits its vote)."""
    from indexer.read.divisions import division_spans, parents, table

    sentences = [s for s in re.split(r"[。；\n]", text) if 4 <= len(s) <= 400 and not _ADDRESS.search(s)][:limit]
    votes: dict[str, Counter] = {"province": Counter(), "city": Counter(), "county": Counter()}
    names: dict[str, str] = {}
    for sentence in sentences:
        for short, province in table().short_provinces.items():
            if len(short) >= 2 and short in sentence and province.name not in sentence:
                votes["province"][province.code[:2]] += 0.5  # `视察新疆`, `甘肃政务服务网` name the province short
        for _, division in {(d.code, d.name): (0, d) for _, d in division_spans(sentence)}.values():
            if division.name in _NO_REPORTS:
                continue
            share = 1 / len(table().by_name.get(division.name, ()) or (division,))
            votes["province"][division.code[:2]] += share
            if division.level != "province" and division.code[:2] not in MUNICIPALITIES:
                votes["city"][division.code[:4]] += share
            if division.level == "county":
                votes["county"][division.code] += share
                names[division.code] = division.name
    if not votes["province"]:
        return Region()
    province = votes["province"].most_common(1)[0][0]
    city = next((c for c, _ in votes["city"].most_common() if c.startswith(province)), None)
    county = next((c for c, _ in votes["county"].most_common() if c.startswith(city or province)), None)
    top, above = parents(table().by_code[county]) if county else (table().by_code.get(province + "0" * 10), None)
    city_name = above.name if county and above else (table().by_code[city + "0" * 8].name if city and not county
                                                     and city + "0" * 8 in table().by_code else None)
    return Region(top and top.name, city_name, names.get(county))


def expand_abbreviation(agency: str, region: Region) -> str:
    """`市审批服务管理局` on a 青铜峡市 portal → `青铜峡市审批服务管理局` (bodies drop their own place name).

    A city district's government is officially named with its city (`拱墅区人民政府` → `杭州市拱墅区人民政府`);
    counties, county-level cities and a district's departments are not. A body named without any place
    (`教育局`) takes the county the page is read as being in."""
    district = re.fullmatch(r"([\u4e00-\u9fff]{1,6}区)人民政府", agency)
    above = region.city or (region.province if region.province and region.province.endswith("市") else None)
    if district and district.group(1) == region.county and above and above.endswith("市"):
        return above + agency
    if re.fullmatch(r"[\u4e00-\u9fff]{2,8}(?:局|委员会|委|办|中心)", agency) and region.county \
            and not _lookup(agency)[0].province and not re.match(r"自治区|省|市|县|区|旗|州|盟|国家|中国|国务院", agency) \
            and not any(place and agency.startswith(place[:2]) for place in (region.province, region.city, region.county)):
        # `教育局` on a 东丽区 page: a municipality's district names its bodies with the municipality
        above = region.province if region.province and region.province.endswith("市") and not region.city else ""
        return above + region.county + agency
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
            elif level == "province" and first[0].code[:2] in MUNICIPALITIES:  # `重庆市两江新区…`
                region = Region(region.province, None, zone_after(text, first[0].name))
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
