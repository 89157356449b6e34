"""Read stage: clean text → `Report` (title, agency, year, region, template, canonical sections). Pure.

`parse_report` ties the pieces together: `metadata.py` (title, year, agency, publish date), `region.py`
(administrative divisions), `sections.py` (canonical sections), `tables.py` (statistics rows).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from indexer.read.agency import own_government
from indexer.read.chrome import body_lines, simplified
from indexer.read.divisions import is_central, names_a_place
from indexer.read.metadata import find_agency, find_published, find_title, find_year
from indexer.read.region import Region, expand_abbreviation, infer_region, vote_region
from indexer.read.sections import Section, section_key, split_sections
from indexer.read.statistics import Statistics, parse_statistics
from indexer.read.tables import parse_tables

__all__ = ["PARSER_VERSION", "SECTION_LABELS", "Region", "Report", "Section", "parse_extracted", "parse_report",
           "section_key"]

PARSER_VERSION = "4"  # 4: issue 13 reader (chrome, agency candidates, whole-name regions)

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
_NEW_TEMPLATE_KEYS = {"overview", "proactive", "requests", "review", "problems", "other"}


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
    published: str | None = None
    statistics: Statistics = field(default_factory=Statistics)

    def to_json(self) -> dict:
        """The `nianbao parse --json` shape (DESIGN §5), plus `published`."""
        data = asdict(self)
        data["sections"] = [asdict(s) for s in self.sections]
        data["tables"] = list(self.tables)
        data["warnings"] = list(self.warnings)
        data["statistics"] = self.statistics.to_json()
        return data


def parse_report(text: str, *, source: str, url: str | None = None, region: Region | None = None,
                 title_hint: str | None = None, published: str | None = None, publisher: str | None = None,
                 site: str | None = None, link_title: str | None = None, warnings: tuple[str, ...] = (),
                 table_rows: tuple = ()) -> Report:
    """Split a report's text into metadata and canonical sections; `region` (the portal's) wins over inference."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    view = simplified(text)
    head = body_lines(view)
    found = list(warnings)
    title = find_title(head, title_hint and simplified(title_hint))
    if not title:
        found.append("no title found")
    elif not any(word in title for word in ("报告", "年报")):
        found.append("the title does not name an annual report")
    published = find_published(text, published)
    year, year_warning = find_year(title, view, published)
    found += [year_warning] if year_warning else []
    agency, agency_warnings = find_agency(title, view, head, publisher, site, link_title and simplified(link_title))
    found += agency_warnings
    region = _region(region, agency, title, site, publisher, view)
    if not agency:
        agency = own_government(view, region)
        found = [w for w in found if w != "no agency found"] + (["agency guessed from the region (`本区`, `我县`)"]
                                                                  if agency else ["no agency found"])
    if agency:
        expanded = expand_abbreviation(agency, region)
        if expanded != agency and not re.match(r"自治区|省|市|县|区|旗|州|盟", agency) and not expanded.endswith("人民政府"):
            found.append("agency's place taken from the region")  # `教育局` → `天津市东丽区教育局`
        agency = expanded
    if not region.province:
        found.append("no region found")
    sections = tuple(split_sections(text))
    if all(s.key == "preamble" for s in sections):
        found.append("no report sections found (a listing page, or not an annual report?)")
    return Report(source=source, title=title, agency=agency, year=year, region=region,
                  template=_template(text, sections, year), sections=sections, tables=tuple(parse_tables(sections)),
                  warnings=tuple(found), url=url, published=published,
                  statistics=parse_statistics(text, table_rows, [s.key for s in sections]))


def parse_extracted(extracted, *, source: str, url: str | None = None, region: Region | None = None,
                    title_hint: str | None = None) -> Report:
    """`parse_report` fed with everything `extract` found (page title, publish date, publisher, site, warnings)."""
    return parse_report(extracted.text, source=source, url=url, region=region,
                        title_hint=extracted.title or title_hint, link_title=title_hint, published=extracted.published,
                        publisher=extracted.publisher, site=extracted.site, warnings=extracted.warnings,
                        table_rows=extracted.table_rows)


def _region(configured: Region | None, agency, title, site, publisher, text: str) -> Region:
    """The portal's region; levels it leaves empty are filled from inference when the two agree."""
    if configured and configured.province and configured.city and configured.county:
        return configured
    if agency and is_central(agency) and not (configured and configured.province):
        return Region()  # a ministry's report is national: the address in its text is not its region
    inferred = infer_region(agency, title, site, publisher, _head(text))
    if not inferred.province:
        inferred = vote_region(text[:15000])
    elif not inferred.county and not (agency and names_a_place(agency)):
        inferred = _completed(inferred, vote_region(text[:15000]))  # `本区`, `教育局`: the text names the place
    inferred = _to_level(inferred, agency)
    if not configured or not any((configured.province, configured.city, configured.county)):
        return inferred
    agree = all(c in (None, i) for c, i in zip((configured.province, configured.city), (inferred.province, inferred.city)))
    if not agree:
        return configured
    return Region(configured.province or inferred.province, configured.city or inferred.city,
                  configured.county or inferred.county)


def _to_level(region: Region, agency: str | None) -> Region:
    """`自治区北部湾办` is a province-level body, `市教育局` a city's: the text's lower places are not its region."""
    if agency and agency.startswith(("省", "自治区")):
        return Region(region.province)
    if agency and agency.startswith("市") and region.city:
        return Region(region.province, region.city)
    return region


def _completed(region: Region, voted: Region) -> Region:
    """`region` with the levels it lacks taken from `voted`, when the levels both have agree."""
    if voted.province != region.province or region.city and voted.city != region.city:
        return region
    return Region(region.province, region.city or voted.city, voted.county)


def _head(text: str) -> str:
    return "".join(text[:400].split())  # what `\s+` matches, removed without a regex


def _template(text: str, sections: tuple[Section, ...], year: int | None) -> str:
    """Table versions are told apart by header words, not by year (DESIGN §2); headings decide otherwise."""
    compact = "".join(text.split())  # what `\s+` matches, removed without a regex
    if "本年制发件数" in compact:
        return "2021"
    if "本年新制作数量" in compact:
        return "2019"
    keys = {s.key for s in sections}
    headings = "".join(s.heading for s in sections)
    if "收到和处理" in headings and len(keys & _NEW_TEMPLATE_KEYS) >= 4:
        return "2021" if year and year >= 2021 else "2019"
    if "overview" in keys and ({"fees", "statistics", "consultation"} & keys or "概述" in headings):
        return "pre2019"
    if year and year <= 2018 and len(keys) >= 3:
        return "pre2019"
    return "unknown"
