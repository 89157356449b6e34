"""The results page's reading of the query: region chips that undo themselves, multi-valued filters whose facet
keeps the other values, per-phrase concordance links that keep the filters, and `within`."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from tests.web.test_search_page import links, page, total


def chips(text: str) -> dict[str, str]:
    """chip text → href of the removable chips on the page."""
    found = re.findall(r'<a class="chip" href="([^"]+)"[^>]*>(.*?)<span', text, re.S)
    return {" ".join(html.unescape(label).split()): html.unescape(href) for href, label in found}


def test_a_county_word_is_a_chip_whose_removal_searches_it_as_text(demo):
    text = page(demo, "/?q=金凤区 申请")
    assert total(text) == 1 and "银川市金凤区审批服务管理局" in text
    assert "地区：金凤区" in chips(text)
    undo = chips(text)["地区：金凤区"]
    assert parse_qs(urlsplit(undo).query) == {"q": ["金凤区 申请"], "literal": ["金凤区"]}
    as_text = page(demo, "/" + undo)
    assert "地区：金凤区" not in chips(as_text) and total(as_text) >= 1
    assert 'name="literal" value="金凤区"' in as_text  # the next search from this page keeps it text
    api = demo.get("/api/search?q=金凤区 申请").get_json()
    assert api["interpreted"] == [{"word": "金凤区", "field": "county", "title": "地区", "value": "金凤区"}]
    assert demo.get("/api/search?q=金凤区 申请&literal=金凤区").get_json()["interpreted"] == []


def test_two_years_picked_in_the_facet_keep_the_others_listed(demo):
    start = page(demo, "/?q=公开")
    years = {label: int(count) for label, count in re.findall(
        r'<span class="label">(\d{4})</span> <span class="count">(\d+)</span>', start)}
    assert len(years) >= 3
    first = page(demo, "/" + links(start, "facet-value")["2017"])
    assert total(first) == years["2017"]
    listed = links(first, "facet-value")
    assert "2020" in listed and "2017" in links(first, "facet-value selected")  # other years stay, with counts
    both = page(demo, "/" + listed["2020"])
    assert total(both) == years["2017"] + years["2020"]
    assert set(links(both, "facet-value selected")) >= {"2017", "2020"}
    assert {"年度：2017", "年度：2020"} <= set(chips(both))


def test_kwic_links_are_one_per_alternative_and_keep_the_filters(demo):
    text = page(demo, "/?q=一窗受理 OR 一网通办&year=2020")
    offered = dict((html.unescape(label), html.unescape(href)) for href, label in
                   re.findall(r'<a href="(/kwic\?[^"]+)">([^<]+)</a>', text))
    assert set(offered) == {"一窗受理", "一网通办"}
    for phrase, href in offered.items():
        assert parse_qs(urlsplit(href).query) == {"q": [phrase], "year": ["2020"]}
        occurrences = re.search(r"共出现 <strong>(\d+)</strong> 次", page(demo, href)).group(1)
        assert int(occurrences) >= 1, phrase  # not the two as one literal phrase (0 hits)
    single = page(demo, '/?q="一窗受理"&county=青铜峡市')
    href = html.unescape(re.search(r'<a href="(/kwic\?[^"]+)">短语索引</a>', single).group(1))
    assert parse_qs(urlsplit(href).query) == {"q": ["一窗受理"], "county": ["青铜峡市"]}


def test_within_section_is_a_checkbox_that_sticks(demo):
    text = page(demo, "/?q=金凤区 申请&literal=金凤区&within=section")
    assert re.search(r'name="within" value="section"\s*checked', text)
    assert "within=section" in html.unescape(links(text, "facet-value")["2020"])
    assert demo.get("/api/search?q=公开&within=page").status_code == 400


def test_the_read_county_is_ticked_in_the_facet_as_a_plain_filter(demo):
    text = page(demo, "/?q=金凤区 申请")
    ticked = links(text, "facet-value selected")["金凤区"]
    assert parse_qs(urlsplit(ticked).query) == {"q": ["申请"]}
    beside = links(text, "facet-value")["中宁县"]
    assert parse_qs(urlsplit(beside).query) == {"q": ["申请"], "county": ["金凤区", "中宁县"]}
    assert total(page(demo, "/" + beside)) == 2
