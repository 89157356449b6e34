"""A small fixture portal whose reports have real section structure (so they index and can be searched)."""
from __future__ import annotations

from tests.crawler.portals import html_page, list_page
from tests.crawler.server import Resource

COLUMN = "/xxgk/xxgknb/"
YEARS = (2023, 2022, 2021, 2020)


def report_path(year: int) -> str:
    return f"{COLUMN}{year + 1}01/t{year + 1}0115_{year}.html"


def report_body(agency: str, year: int, extra: str = "") -> str:
    """A report in the 2019 template: six sections, each with a sentence."""
    return "</p><p>".join([
        f"根据《中华人民共和国政府信息公开条例》，编制{agency}{year}年政府信息公开工作年度报告。",
        "一、总体情况", f"{year}年，{agency}认真贯彻落实政府信息公开工作要求。{extra}",
        "二、主动公开政府信息情况", f"{year}年主动公开政府信息{year - 1900}条。",
        "三、收到和处理政府信息公开申请情况", f"{year}年共收到政府信息公开申请{year - 2000}件。",
        "四、政府信息公开行政复议、行政诉讼情况", "本年度未发生行政复议、行政诉讼。",
        "五、存在的主要问题及改进情况", "公开内容的及时性有待提高。",
        "六、其他需要报告的事项", "无。"])


def report_resource(agency: str, year: int, extra: str = "", **kwargs) -> Resource:
    title = f"{agency}{year}年政府信息公开工作年度报告"
    return Resource(html_page(title, report_body(agency, year, extra)).encode("utf-8"), "text/html; charset=utf-8",
                    **kwargs)


def ops_portal(agency: str = "青山县人民政府", delay: float = 0.0, years=YEARS) -> dict[str, Resource]:
    """Home → annual-report column (one list page) → one report page per year; no robots.txt."""
    items = [(report_path(y), f"{agency}{y}年政府信息公开工作年度报告") for y in years]
    routes = {
        "/": Resource(list_page(agency, [(COLUMN, "政府信息公开年报")]).encode("utf-8"), "text/html; charset=utf-8"),
        COLUMN: Resource(list_page("政府信息公开年报", items).encode("utf-8"), "text/html; charset=utf-8"),
    }
    for year in years:
        routes[report_path(year)] = report_resource(agency, year)
    for resource in routes.values():
        resource.delay = delay
    return routes
