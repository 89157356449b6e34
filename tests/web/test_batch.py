"""Batch search: counts per term equal the concordance's, filters apply, exports cite, permalinks rerun."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from urllib.parse import quote

from tests.web.test_citations import as_dicts, cited_text, opened
from tests.web.test_kwic_export_api import csv_rows

TERMS = ("一窗受理", "政府信息公开", "审批", "没有这个词语")


def submitted(client, data: dict) -> str:
    response = client.post("/batch", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def test_counts_per_term_equal_the_concordance_with_filters_applied(demo):
    location = submitted(demo, {"terms": "\n".join(TERMS), "year": "2020"})
    query = location.split("?", 1)[1]
    data = demo.get("/api/batch?" + query).get_json()
    assert [t["term"] for t in data["terms"]] == list(TERMS) and data["filters"] == {"year": ["2020"]}
    for term in data["terms"]:
        kwic = demo.get(f"/api/kwic?q={quote(term['term'])}&year=2020").get_json()
        assert (term["reports"], term["occurrences"]) == (kwic["total_reports"], kwic["total_occurrences"])
        assert sum(y["occurrences"] for y in term["by_year"]) == term["occurrences"]
        assert {y["year"] for y in term["by_year"]} <= {2020}
        assert sum(a["reports"] for a in term["by_agency"]) == term["reports"] == len(term["report_rows"])
    page = demo.get(location).get_data(as_text=True)
    assert "没有这个词语" in page and 'id="batch-permalink"' in page


def test_the_permalink_reruns_the_stored_list(demo, demo_settings):
    location = submitted(demo, {"terms": "审批\n一窗受理"})
    assert "list=" in location and "term=" not in location
    again = submitted(demo, {"terms": "审批\n一窗受理\n审批"})  # the same list, repeats dropped: the same id
    assert again == location
    assert demo.get(location).status_code == 200
    assert demo.get("/batch?list=0123456789abcdef").status_code == 400


def test_terms_are_shown_escaped(demo):
    location = submitted(demo, {"terms": '<script>alert(1)</script>\n"><img src=x onerror=alert(2)>'})
    page = demo.get(location).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_terms_in_the_url_work_without_a_stored_list(demo):
    data = demo.get("/api/batch?term=" + quote("一窗受理") + "&term=" + quote("审批")).get_json()
    assert [t["term"] for t in data["terms"]] == ["一窗受理", "审批"]
    assert data["terms"][0]["occurrences"] > 0


def test_more_than_500_terms_is_a_clear_chinese_error(demo):
    terms = "\n".join(f"词语{n}" for n in range(501))
    response = demo.post("/batch", data={"terms": terms}, content_type="multipart/form-data")
    assert response.status_code == 400 and "词条过多：共 501 条，上限 500 条" in response.get_data(as_text=True)
    assert terms.split("\n")[0] in response.get_data(as_text=True)  # nothing the user typed is lost
    api = demo.get("/api/batch?" + "&".join(f"term=%E8%AF%8D{n}" for n in range(501)))
    assert api.status_code == 400 and "上限 500 条" in api.get_json()["error"]


def test_an_uploaded_gbk_csv_file_is_read(demo):
    upload = (io.BytesIO("词条\r\n一窗受理,备注\r\n审批\r\n".encode("gb18030")), "terms.csv")
    location = submitted(demo, {"terms": "", "file": upload})
    terms = [t["term"] for t in demo.get("/api/batch?" + location.split("?", 1)[1]).get_json()["terms"]]
    assert terms == ["词条", "一窗受理", "审批"]


def test_batch_csv_has_a_bom_and_the_source_address_in_every_row(demo):
    rows = as_dicts(csv_rows(demo.get("/export/batch.csv?term=" + quote("一窗受理") + "&term=" + quote("申请"))))
    assert {r["词条"] for r in rows} == {"一窗受理", "申请"}
    assert all(r["原文链接"].startswith("http") and r["抓取日期"] and r["标题"] for r in rows)
    for row in rows:
        assert cited_text(opened(demo, row["定位链接"])) == row["词条"]


def test_cli_batch_prints_the_same_counts_as_json_and_csv(demo, demo_config, tmp_path):
    listing = tmp_path / "terms.txt"
    listing.write_text("一窗受理\n审批\n", encoding="utf-8")
    run = [sys.executable, "-m", "nianbao.cli", "--config", str(demo_config), "batch", str(listing)]
    as_json = json.loads(subprocess.run(run + ["--json"], capture_output=True, text=True, check=True).stdout)
    web = demo.get("/api/batch?term=" + quote("一窗受理") + "&term=" + quote("审批")).get_json()
    assert [(t["reports"], t["occurrences"]) for t in as_json["terms"]] == [
        (t["reports"], t["occurrences"]) for t in web["terms"]]
    out = subprocess.run(run + ["--csv"], capture_output=True, check=True).stdout
    assert out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert rows and all(r["原文链接"].startswith("http") and "/reports/" in r["定位链接"] for r in rows)
    many = tmp_path / "many.txt"
    many.write_text("\n".join(f"词{n}" for n in range(501)), encoding="utf-8")
    refused = subprocess.run(run[:-1] + [str(many)], capture_output=True, text=True)
    assert refused.returncode == 2 and "上限 500 条" in refused.stderr and "Traceback" not in refused.stderr
