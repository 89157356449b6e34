"""Citable results: every export row names its source and links to the exact occurrence; the viewer opens there."""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

from tests.web.test_kwic_export_api import csv_rows


def as_dicts(rows: list[list[str]]) -> list[dict]:
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def report_json(client, report_id: str) -> dict:
    return client.get(f"/api/reports/{report_id}").get_json()


def opened(client, permalink: str) -> str:
    """The viewer page a permalink opens (its path and query, on this app)."""
    parts = urlsplit(permalink)
    assert parts.fragment == "occurrence"
    return client.get(f"{parts.path}?{parts.query}").get_data(as_text=True)


def cited_text(page: str) -> str:
    match = re.search(r'<span id="occurrence"></span><mark[^>]*class="cited"[^>]*>([^<]*)</mark>', page)
    assert match, "no cited occurrence on the page"
    return match.group(1)


def test_every_kwic_csv_row_cites_its_source_and_opens_at_its_occurrence(demo):
    rows = as_dicts(csv_rows(demo.get("/export/kwic.csv?q=" + quote("政府信息公开"))))
    assert len(rows) == demo.get("/api/kwic?q=" + quote("政府信息公开")).get_json()["total_occurrences"]
    reports = {r["report_id"]: report_json(demo, r["report_id"]) for r in rows}
    for row in rows:
        report = reports[row["report_id"]]
        assert row["原文链接"] == report["url"] and row["原文链接"].startswith("http")
        assert (row["省份"], row["城市"], row["区县"]) == tuple(report["region"][k] or "" for k in
                                                          ("province", "city", "county"))
        assert "发布日期" in row and row["抓取日期"] == report["original"]["fetched_at"]
    positions = {(row["report_id"], row["位置"]) for row in rows}
    assert len(positions) == len(rows) == len({row["定位链接"] for row in rows})  # each its own place
    for row in rows[:3] + rows[-3:]:
        assert cited_text(opened(demo, row["定位链接"])) == "政府信息公开"


def test_kwic_page_links_every_line_to_its_own_occurrence(demo):
    page = demo.get("/kwic?q=" + quote("一窗受理")).get_data(as_text=True)
    links = [link.replace("&amp;", "&") for link in re.findall(r'<td class="match"><a href="([^"]+)"', page)]
    assert len(links) == len(set(links)) > 1 and all(link.endswith("#occurrence") for link in links)
    offsets = [parse_qs(urlsplit(link).query)["offset"][0] for link in links]
    second = opened(demo, links[1])
    assert cited_text(second) == "一窗受理"
    # The cited mark sits exactly at the line's offset in its section's original text.
    query = parse_qs(urlsplit(links[1]).query)
    report_id = urlsplit(links[1]).path.rsplit("/", 1)[1]
    section = report_json(demo, report_id)["sections"][int(query["section_no"][0])]
    assert section["text"][int(offsets[1]):int(offsets[1]) + 4] == "一窗受理"


def test_search_csv_rows_carry_every_occurrence_position_and_whole_sentences(demo):
    rows = as_dicts(csv_rows(demo.get("/export/search.csv?q=" + quote('"一窗受理"'))))
    assert rows and all(row["原文链接"].startswith("http") and row["抓取日期"] for row in rows)
    for row in rows:
        sections = report_json(demo, row["report_id"])["sections"]
        for position in row["匹配位置"].split("; "):
            number, offset, length = map(int, re.fullmatch(r"(\d+):(\d+)\+(\d+)", position).groups())
            assert sections[number]["text"][offset:offset + length] == "一窗受理"
        assert row["匹配段落"].count("一窗受理") >= 1 and "…" not in row["匹配段落"].split(" … ")[0]
        assert cited_text(opened(demo, row["定位链接"])) == "一窗受理"


def test_viewer_explains_a_position_that_is_not_in_the_report(demo):
    hit = demo.get("/api/search?q=" + quote("一窗受理")).get_json()["hits"][0]
    for query in ("section_no=0&offset=999999&length=4", "section_no=99&offset=1&length=1",
                  "section_no=x&offset=1", "section_no=0&offset=-1&length=2"):
        response = demo.get(f"/reports/{hit['report_id']}?{query}")
        assert response.status_code == 200 and "无法定位" in response.get_data(as_text=True), query


def test_viewer_shows_the_publish_date_and_links_the_archived_original(demo):
    hit = demo.get("/api/search?q=" + quote("一窗受理")).get_json()["hits"][0]
    page = demo.get(f"/reports/{hit['report_id']}").get_data(as_text=True)
    assert "<dt>发布日期</dt>" in page
    assert f'href="/reports/{hit["report_id"]}/archived"' in page
    archived = demo.get(f"/reports/{hit['report_id']}/archived")
    assert archived.status_code == 200 and archived.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert archived.headers["Content-Disposition"].startswith("inline;")
    assert "sandbox" in archived.headers["Content-Security-Policy"]
    assert "一窗受理" in archived.get_data(as_text=True)
    assert demo.get("/reports/..%2F..%2Fetc/archived").status_code == 404
    assert demo.get("/reports/ffffffffffffffff/archived").status_code == 404


def test_archived_html_is_shown_sandboxed_never_with_its_scripts(hostile):
    hit = next(h for h in hostile.get("/api/search?q=" + quote("一窗受理") + "&year=2019").get_json()["hits"]
               if h["agency"])
    archived = hostile.get(f"/reports/{hit['report_id']}/archived")
    assert archived.headers["Content-Type"].startswith("text/html")
    policy = archived.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "script" not in policy
    assert archived.headers["X-Content-Type-Options"] == "nosniff"


def test_csv_cells_are_readable_by_a_spreadsheet(demo):
    data = demo.get("/export/kwic.csv?q=" + quote("一窗受理")).data
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert "青铜峡市" in {cell for row in rows for cell in row}
