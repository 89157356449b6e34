"""Several years of real reports (../shared/real, read at test time): other years, the trend, the overview."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from nianbao.config import load_settings
from nianbao.pipeline import index_corpus
from tests.conftest import write_config
from tests.web.real_material import PORTALS, write_real_corpus
from webui import create_app


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The web app over a temporary index of the real reports."""
    folder = tmp_path_factory.mktemp("real")
    stored = write_real_corpus(folder / "corpus")
    settings = load_settings(write_config(folder, folder / "corpus", PORTALS))
    summary = index_corpus(settings)
    assert summary.added == stored and not summary.failed
    return create_app(settings).test_client()


def hit_for(client, query: str) -> dict:
    return client.get(f"/api/search?q={quote(query)}").get_json()["hits"][0]


def other_years(page: str) -> list[int]:
    nav = re.search(r'class="other-years".*?</nav>', page, re.S)
    return [int(y) for y in re.findall(r"<li><a [^>]*>(\d{4}) · ", nav.group(0))] if nav else []


def test_report_viewer_lists_the_agencys_other_years(real):
    hit = hit_for(real, "agency:平潭综合实验区 year:2025")
    assert hit["agency"] == "平潭综合实验区"
    years = other_years(real.get(f"/reports/{hit['report_id']}").get_data(as_text=True))
    assert {2024, 2023, 2018, 2016, 2015} <= set(years) and 2025 not in years
    assert years == sorted(years, reverse=True)


def test_pdf_reports_of_two_years_link_each_other(real):
    hit = hit_for(real, "county:洪泽区 year:2024")
    assert other_years(real.get(f"/reports/{hit['report_id']}").get_data(as_text=True)) == [2023]


def trend_rows(page: str) -> dict[int, list[str]]:
    table = re.search(r'<table class="trend-table".*?</table>', page, re.S).group(0)
    return {int(year): cells for year, *cells in (
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:])}


def test_trend_shows_several_years_as_a_share_of_each_years_reports(real):
    page = real.get("/kwic?q=" + quote("政府信息公开")).get_data(as_text=True)
    rows = trend_rows(page)
    assert {2011, 2013, 2018, 2023, 2024, 2025} <= set(rows)
    # columns: reports that year, reports mentioning it, share, occurrences
    assert rows[2013][0] == "3" and rows[2013][1] == "3" and rows[2013][2] == "100%"
    assert rows[2017] == ["0", "0", "—", "0"]  # a year without reports still has its slot, said plainly
    assert "占当年报告的比例" in re.search(r"<figcaption.*?</figcaption>", page, re.S).group(0)
    labels = re.findall(r'font-size="13" fill="#1d2330">([^<]*)</text>', page)
    assert "100%" in labels
    assert '<svg' in page and 'role="img"' in page


def test_trend_can_show_raw_counts_and_keeps_the_filters(real):
    share = real.get("/kwic?q=" + quote("政府信息公开")).get_data(as_text=True)
    raw_link = re.search(r'<a href="([^"]*trend=raw[^"]*)"', share).group(1).replace("&amp;", "&")
    raw = real.get(raw_link).get_data(as_text=True)
    assert "提及的报告数" in re.search(r"<figcaption.*?</figcaption>", raw, re.S).group(0)
    assert "3" in re.findall(r'font-size="13" fill="#1d2330">([^<]*)</text>', raw)
    filtered = real.get("/kwic?q=" + quote("政府信息公开") + "&county=" + quote("洪泽区")).get_data(as_text=True)
    assert set(trend_rows(filtered)) == {2023, 2024}
    assert trend_rows(filtered)[2024][:3] == ["1", "1", "100%"]


def test_home_page_shows_the_real_coverage(real):
    page = real.get("/").get_data(as_text=True)
    totals = re.sub(r"<[^>]+>|\s+", "", re.search(r'<ul class="totals">(.*?)</ul>', page, re.S).group(1))
    assert totals.startswith("16份报告") and "10个年度（2011–2025）" in totals
    assert "示例数据" not in page and "没有一个机构有两份以上的报告" not in page
    tree = re.search(r'<ul class="region-tree">.*?</section>', page, re.S).group(0)
    assert re.search(r"福建省</span> <span class=\"count\">14 份", tree)
    assert re.search(r"江苏省</span> <span class=\"count\">2 份", tree)
    assert "平潭综合实验区" in tree and "洪泽区" in tree
    assert "平潭综合实验区2025年度政府信息公开工作年度报告" in re.search(
        r'<ol class="newest-list">(.*?)</ol>', page, re.S).group(1)
