"""The search page: facets (toggle, several values, chips, 更多, region hierarchy), sort, pagination, errors."""
from __future__ import annotations

import html
import re

from tests.web.conftest import FILLER_YEARS


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def links(text: str, css_class: str) -> dict[str, str]:
    """label → href of the facet links with `css_class` on the page."""
    found = re.findall(rf'<a href="([^"]+)" class="{css_class}"[^>]*>.*?<span class="label">(.*?)</span>', text, re.S)
    return {html.unescape(label): html.unescape(href) for href, label in found}


def total(text: str) -> int:
    return int(re.search(r"共 <strong>(\d+)</strong> 份报告", text).group(1))


def test_year_facet_toggles_on_and_off_through_its_links(hostile):
    start = page(hostile, "/?q=一窗受理")
    assert total(start) == 14
    year_link = links(start, "facet-value")["2020"]
    filtered = page(hostile, "/" + year_link)
    assert total(filtered) == 2
    assert "年度：2020" in filtered  # the chip
    chip = re.search(r'<a class="chip" href="([^"]+)"', filtered).group(1)
    assert total(page(hostile, "/" + html.unescape(chip))) == 14
    selected = links(filtered, "facet-value selected")
    assert "2020" in selected and total(page(hostile, "/" + selected["2020"])) == 14


def test_several_values_of_one_facet_are_or_ed(hostile):
    text = page(hostile, "/?q=一窗受理&year=2020&year=2019")
    assert total(text) == 4
    assert text.count('class="chip"') == 2
    assert len(links(text, "facet-value selected")) == 2


def test_long_facet_lists_collapse_behind_more(hostile):
    text = page(hostile, "/?q=一窗受理")
    agencies = re.search(r'id="facet-agency".*?</section>', text, re.S).group(0)
    assert "<details class=\"more\">" in agencies and "更多（" in agencies
    shown, more = agencies.split("<details", 1)
    assert shown.count('class="facet-value') == 6
    assert more.count('class="facet-value') == 13 - 6


def test_region_drills_down_province_city_county(hostile):
    text = page(hostile, "/?q=一窗受理")
    region = re.search(r'id="facet-region".*?</section>', text, re.S).group(0)
    assert "另一省" in region and "测试省" in region and "丙市" not in region  # two provinces: cities listed apart
    narrowed = page(hostile, "/?q=一窗受理&province=测试省")
    region = re.search(r'id="facet-region".*?</section>', narrowed, re.S).group(0)
    # One province in play: its cities and counties are nested below it.
    assert re.search(r"测试省.*<ul>.*甲市.*<ul>.*乙县", region, re.S)
    assert total(page(hostile, "/?q=一窗受理&county=乙县")) == 2


def test_pagination_walks_every_result_once(hostile):
    url, seen, pages = "/?q=一窗受理&per_page=5", [], 0
    while url:
        text = page(hostile, url)
        seen += re.findall(r'<h3><a href="/reports/([^"?#]+)', text)
        following = re.search(r'<a href="([^"]+)" rel="next">', text)
        url = "/" + html.unescape(following.group(1)) if following else None
        pages += 1
    assert pages == 3 and len(seen) == 14 == len(set(seen))


def test_sort_by_year_puts_newest_first(hostile):
    text = page(hostile, "/?q=一窗受理&sort=year&per_page=20")
    years = [int(y) for y in re.findall(r'<p class="meta">[^·]*· (\d{4})', text)]
    assert years == sorted(years, reverse=True) and years[0] == max(FILLER_YEARS)


def test_state_survives_in_links(hostile):
    text = page(hostile, "/?q=一窗受理&sort=year&year=2020")
    facet_hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)" class="facet-value', text)]
    assert facet_hrefs and all("sort=year" in h and "q=" in h for h in facet_hrefs)


def test_empty_result_and_malformed_query_explain_themselves(hostile):
    empty = page(hostile, "/?q=没有这个词组")
    assert "没有找到匹配的报告" in empty
    bad = hostile.get("/?q=(一窗受理")
    assert bad.status_code == 400 and "括号不成对" in bad.get_data(as_text=True)
    long = hostile.get("/?q=" + "长" * 401)
    assert long.status_code == 400 and "查询过长" in long.get_data(as_text=True)
    unknown = hostile.get("/?q=section:nosuch")
    assert unknown.status_code == 400 and "没有名为“nosuch”的章节" in unknown.get_data(as_text=True)


def test_search_page_accessibility_basics(hostile):
    text = page(hostile, "/?q=一窗受理")
    assert '<html lang="zh-CN">' in text
    assert '<label for="q">' in text and 'id="q"' in text
    assert 'aria-label="筛选"' in text and 'aria-label="分页"' not in text.split("</aside>")[0]


def test_page_past_the_end_points_back(hostile):
    text = page(hostile, "/?q=一窗受理&page=50")
    assert "第 50 页没有结果" in text and "没有找到匹配的报告" not in text
