"""Concordance (counts equal substring counts), trend, CSV exports and the JSON API."""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

from crawler.corpus import read_corpus
from indexer.normalize import normalize
from tests.web.conftest import EVIL_PHRASE_COUNT, FILLER_YEARS


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads the Chinese right
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_kwic_count_equals_substring_count_in_the_stored_files(demo, demo_settings):
    raw = sum(d.path.read_text(encoding="utf-8").count("一窗受理") for d in read_corpus(demo_settings.paths.corpus))
    data = demo.get("/api/kwic?q=一窗受理").get_json()
    assert raw > 1 and data["total_occurrences"] == raw == len(data["lines"])
    assert all(line["match"] == "一窗受理" for line in data["lines"])


def test_kwic_count_equals_substring_count_of_every_report_text(demo):
    for phrase in ("审批", "政府信息公开", "申请"):
        data = demo.get(f"/api/kwic?q={quote(phrase)}").get_json()
        reports = {line["report_id"] for line in data["lines"]}
        expected = 0
        for report_id in {h["report_id"] for h in demo.get("/api/search?per_page=100&q=" + quote(phrase)).get_json()["hits"]}:
            sections = demo.get(f"/api/reports/{report_id}").get_json()["sections"]
            expected += sum(normalize(s["text"]).count(phrase) for s in sections)
        assert data["total_occurrences"] == expected > 0, phrase
        assert data["total_reports"] == len(reports)


def test_kwic_folds_pdf_spacing_and_shows_context(hostile):
    data = hostile.get("/api/kwic?q=一窗受理&year=2020&agency=测试局").get_json()
    assert data["total_occurrences"] == EVIL_PHRASE_COUNT
    # "一窗 受理" (PDF spacing) is already joined by the read stage's cleanup; it still counts.
    assert {"一窗受理"} == {line["match"] for line in data["lines"]}
    first = next(line for line in data["lines"] if line["right"].startswith("<script>"))
    assert first["left"].endswith("本机关推行")


def test_kwic_trend_counts_reports_per_year(hostile):
    data = hostile.get("/api/kwic?q=一窗受理").get_json()
    trend = {point["year"]: point["reports"] for point in data["trend"]}
    assert trend[2020] == 2 and trend[2019] == 2 and trend[2015] == 1
    assert sum(trend.values()) == data["total_reports"] == len(FILLER_YEARS) + 2
    text = hostile.get("/kwic?q=一窗受理").get_data(as_text=True)
    assert "<svg" in text and text.count("<rect") == max(FILLER_YEARS) - min(FILLER_YEARS) + 1


def test_kwic_sorts(hostile):
    for sort, key in (("left", lambda l: l["left"][::-1]), ("right", lambda l: l["right"]),
                      ("agency", lambda l: l["agency"])):
        lines = hostile.get(f"/api/kwic?q=一窗受理&sort={sort}").get_json()["lines"]
        assert [key(l) for l in lines] == sorted(key(l) for l in lines), sort
    years = [l["year"] for l in hostile.get("/api/kwic?q=一窗受理").get_json()["lines"]]
    assert years == sorted(years, reverse=True)
    assert hostile.get("/api/kwic?q=一窗受理&sort=bogus").status_code == 400


def test_kwic_ignores_quotes_like_the_search_box(demo):
    plain = demo.get("/api/kwic?q=一窗受理").get_json()["total_occurrences"]
    for written in ('"一窗受理"', "“一窗受理”", '一窗"受理'):
        assert demo.get("/api/kwic?q=" + quote(written)).get_json()["total_occurrences"] == plain, written


def test_kwic_errors(hostile):
    assert hostile.get("/api/kwic?q=").status_code == 400
    assert "短语过长" in hostile.get("/kwic?q=" + "长" * 101).get_data(as_text=True)


def test_kwic_csv(hostile):
    rows = csv_rows(hostile.get("/export/kwic.csv?q=一窗受理&agency=测试局&year=2020"))
    assert rows[0][:4] == ["report_id", "标题", "机构", "年度"] and len(rows) == 1 + EVIL_PHRASE_COUNT
    assert {r[7] for r in rows[1:]} == {"一窗受理"}


def test_search_csv_has_every_matching_section_and_defuses_formulas(hostile):
    result = hostile.get("/api/search?q=主动公开&per_page=2").get_json()
    rows = csv_rows(hostile.get("/export/search.csv?q=主动公开&per_page=2"))
    assert len(rows) == 1 + result["total_sections"]  # every page, not just the first
    assert len({r[0] for r in rows[1:]}) == result["total"]
    evil = [r for r in rows if "HYPERLINK" in r[10]]
    assert evil and all(not cell.startswith("=") for r in rows for cell in r)
    assert hostile.get("/export/search.csv").status_code == 400


def test_api_search_takes_the_page_parameters(hostile):
    data = hostile.get("/api/search?q=一窗受理&year=2020&year=2019&sort=year&per_page=3").get_json()
    assert data["total"] == 4 and data["per_page"] == 3 and data["sort"] == "year"
    assert [h["year"] for h in data["hits"]] == [2020, 2020, 2019]
    assert set(data["facets"]) >= {"agency", "year", "section", "province", "city", "county"}
    bad = hostile.get('/api/search?q="一窗')
    assert bad.status_code == 400 and bad.get_json()["error"]


def test_api_report(demo):
    hit = demo.get("/api/search?q=一窗受理").get_json()["hits"][0]
    data = demo.get(f"/api/reports/{hit['report_id']}").get_json()
    assert data["agency"] == hit["agency"] and data["year"] == hit["year"]
    assert any("一窗受理" in s["text"] for s in data["sections"])
    assert data["original"]["content_type"] == "text/plain"
    assert data["links"]["original"].endswith(f"/reports/{hit['report_id']}/original")
    missing = demo.get("/api/reports/ffffffffffffffff")
    assert missing.status_code == 404 and missing.get_json()["error"]


def test_openapi_document_describes_every_api_route(demo):
    doc = demo.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/api/search", "/api/reports/{report_id}", "/api/kwic", "/api/data",
                                 "/api/reports/{report_id}/statistics", "/api/batch"}
    for path in doc["paths"].values():
        for response in path["get"]["responses"].values():
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref.split("/")[-1] in doc["components"]["schemas"]


def test_kwic_page_pages_long_concordances(demo):
    total = demo.get("/api/kwic?q=政府").get_json()["total_occurrences"]
    assert total > 200
    first = demo.get("/kwic?q=政府").get_data(as_text=True)
    assert first.count('<td class="match">') == 200 and 'rel="next"' in first
    last = demo.get("/kwic?q=政府&page=2").get_data(as_text=True)
    assert last.count('<td class="match">') == total - 200 and 'rel="next"' not in last
    assert re.search(rf"第 201–{total} 处", last)
