"""The report viewer and the download of the cached original file."""
from __future__ import annotations

import re
from urllib.parse import quote

from crawler.corpus import read_corpus
from tests.web.conftest import filler_agency


def report_id_for(client, query: str) -> str:
    return client.get(f"/api/search?q={quote(query)}").get_json()["hits"][0]["report_id"]


def test_report_page_shows_metadata_toc_and_highlight(demo):
    report_id = report_id_for(demo, '"一窗受理"')
    text = demo.get(f"/reports/{report_id}?q=%22一窗受理%22").get_data(as_text=True)
    assert "青铜峡市审批服务管理局" in text and "2020" in text and "宁夏回族自治区 吴忠市 青铜峡市" in text
    assert '<mark id="hit-1">一窗受理</mark>' in text
    assert 'href="#hit-1"' in text  # "jump to first hit" works without JavaScript
    toc = re.findall(r'<a href="#(s-\d+)">', text)
    assert toc and all(f'id="{anchor}"' in text for anchor in toc)
    assert f'/reports/{report_id}/original' in text


def test_result_links_open_the_report_at_the_first_hit(demo):
    text = demo.get("/?q=一窗受理").get_data(as_text=True)
    link = re.search(r'<h3><a href="([^"]+)"', text).group(1)
    assert link.endswith("#hit-1")
    assert '<mark id="hit-1">' in demo.get(link.split("#")[0].replace("&amp;", "&")).get_data(as_text=True)


def test_other_years_of_the_same_agency_are_linked(hostile):
    report_id = report_id_for(hostile, f"agency:{filler_agency(0)} year:2021")
    text = hostile.get(f"/reports/{report_id}").get_data(as_text=True)
    other = re.search(r'class="other-years".*?</nav>', text, re.S).group(0)
    assert "2010" in other and other.count("<li>") == 1


def test_original_download_is_the_stored_file(demo, demo_settings):
    report_id = report_id_for(demo, '"一窗受理"')
    response = demo.get(f"/reports/{report_id}/original")
    stored = next(d for d in read_corpus(demo_settings.paths.corpus) if d.doc_id == report_id)
    assert response.status_code == 200 and response.data == stored.path.read_bytes()
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]


def test_html_original_is_sent_as_html_attachment_in_a_sandbox(hostile):
    report_id = report_id_for(hostile, "year:2019 agency:测试局")
    response = hostile.get(f"/reports/{report_id}/original")
    assert response.headers["Content-Type"] == "text/html"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_paths_outside_the_corpus_are_never_served(demo):
    for attempt in ("..%2F..%2Fconfig.toml", "..", "%2e%2e", "*", "qingtongxia", "..%5c..%5cconfig.toml",
                    "0000000000000000"):
        for suffix in ("", "/original"):
            response = demo.get(f"/reports/{attempt}{suffix}")
            assert response.status_code == 404, (attempt, suffix)
    assert demo.get("/reports/../../config.toml/original").status_code == 404


def test_unknown_report_gets_a_styled_404(demo):
    response = demo.get("/reports/ffffffffffffffff")
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "页面不存在" in text and 'lang="zh-CN"' in text and "style.css" in text


def test_query_that_cannot_highlight_still_shows_the_report(demo):
    report_id = report_id_for(demo, '"一窗受理"')
    response = demo.get(f"/reports/{report_id}?q=%22broken")
    assert response.status_code == 200 and "查询无法高亮" in response.get_data(as_text=True)
