"""Crawling whole fixture portals: everything found and stored, politely; recrawls are incremental."""
from __future__ import annotations

import json

from crawler import corpus
from crawler.crawl import crawl, crawl_portal
from crawler.state import CrawlState
from nianbao.config import load_settings
from tests.conftest import shared_file
from tests.crawler import portals
from tests.crawler.conftest import write_crawl_config
from tests.crawler.server import Resource
from tests.test_config import run_cli

TRS = portals.TRS_COLUMN


def stored_by_url(settings) -> dict[str, corpus.StoredDocument]:
    documents = list(corpus.read_corpus(settings.paths.corpus))
    by_url = {d.url: d for d in documents}
    assert len(by_url) == len(documents)
    return by_url


def test_trs_portal_every_report_and_attachment_stored(trs_settings, trs_server):
    [summary] = crawl(trs_settings)
    assert (summary.outcome, summary.new, summary.changed) == ("completed", 14, 0)
    assert summary.discovered == 15 and summary.failed == 0 and summary.skipped == 1
    assert [(s.url, s.reason) for s in summary.skips] == [(trs_server.url("/zwgk/private/t20150101_1.htm"), "robots")]
    stored = stored_by_url(trs_settings)
    expected = {trs_server.url(p) for p in trs_server.routes if p.startswith(TRS) and p[len(TRS):].count("/") == 1
                and "moved" not in p}
    assert set(stored) == expected and len(stored) == portals.TRS_REPORTS + portals.TRS_ATTACHMENTS
    gbk_listed = stored[trs_server.url(TRS + "201402/t20140225_80774.htm")]
    assert gbk_listed.link_title == "平潭综合实验区地方税务局2013年信息公开年度报告"
    pdf = stored[trs_server.url(TRS + "202001/P020200120385914612345.pdf")]
    assert pdf.path.suffix == ".pdf" and pdf.content_type == "application/pdf"
    assert pdf.path.read_bytes() == shared_file(*portals.REAL_PDF).read_bytes()
    assert pdf.parent_url == trs_server.url(TRS + "202001/t20200120_80576.htm")
    assert pdf.link_title == "平潭综合实验区2019年度政府信息公开工作年度报告"
    docx = stored[trs_server.url(TRS + "202001/P020200120385914699999.docx")]
    assert docx.path.suffix == ".docx"
    redirected = stored[trs_server.url(TRS + "202202/t20220208_80613.htm")]
    assert "2021年，平潭综合实验区持续推进政务公开" in redirected.path.read_text(encoding="utf-8")


def test_trs_crawl_is_polite_by_the_servers_log(trs_settings, trs_server):
    crawl(trs_settings)
    log = trs_server.log
    assert [r.path for r in log].count("/robots.txt") == 1 and log[0].path == "/robots.txt"
    assert not any(r.path.startswith("/zwgk/private/") for r in log)
    arrivals = [r.at for r in log]
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.05  # robots Crawl-delay beats the 0.02 s config
    assert all("NianbaoBot/0.1" in r.headers["User-Agent"] and "ops@example.org" in r.headers["User-Agent"] for r in log)
    assert len(trs_server.requests_for(TRS + "202302/t20230220_80629.htm")) == 2  # 503, then 200


def test_hanweb_portal_datastore_pages_and_pdf_download(tmp_path, hanweb_server):
    settings = load_settings(write_crawl_config(tmp_path, {"hanweb": hanweb_server}))
    [summary] = crawl(settings)
    assert (summary.new, summary.failed) == (portals.HANWEB_REPORTS, 0)
    stored = stored_by_url(settings)
    assert {d.link_title for d in stored.values()} == {t for _, t in portals.HANWEB_TITLES} | {portals.HANWEB_PDF[1]}
    assert stored[hanweb_server.url(portals.HANWEB_PDF[0])].path.suffix == ".pdf"
    assert hanweb_server.requests_for("/col/col2345/index.html?uid=5678&pageNum=3")


def test_plain_portal_stores_good_reports_and_names_each_failure(tmp_path, plain_server):
    settings = load_settings(write_crawl_config(tmp_path, {"plain": plain_server}))
    [summary] = crawl(settings)
    stored = stored_by_url(settings)
    report = "/xxgk/xxgknb/{}/index.html"
    assert set(stored) == {plain_server.url(report.format(y)) for y in portals.PLAIN_STORED}
    reasons = {f.url: f.reason for f in summary.failures}
    for year, words in portals.PLAIN_FAILED.items():
        assert words in reasons[plain_server.url(report.format(year))]
    assert len(plain_server.requests_for(report.format(2019))) == 3  # a timeout is retried
    assert len(plain_server.requests_for(report.format(2018))) == 1  # too large is not
    assert not any(r.headers.get("Host", "").startswith("localhost") for r in plain_server.log)
    with CrawlState(settings.paths.state) as state:
        [run] = state.runs("plain")
        assert (run.outcome, run.new, run.failed) == ("completed", 5, 4)
        assert {e.url: e.reason for e in state.failures(run.id)} == reasons
        assert state.url(plain_server.url(report.format(2019))).status == "failed"


def test_second_crawl_downloads_nothing_then_an_edit_is_one_change(trs_settings, trs_server):
    crawl(trs_settings)
    before = stored_by_url(trs_settings)
    mark = len(trs_server.log)
    [again] = crawl(trs_settings)
    assert (again.fetched, again.not_modified, again.new, again.changed) == (0, 14, 0, 0)
    documents = [r for r in trs_server.log[mark:] if r.path.startswith(TRS) and "index" not in r.path
                 and "list" not in r.path and r.path != TRS]
    assert documents and all("If-None-Match" in r.headers for r in documents)

    edited = TRS + "201801/t20180123_80506.htm"
    trs_server.routes[edited] = Resource(portals.html_page(
        "平潭综合实验区2017年度政府信息公开工作年度报告", "2017年，平潭综合实验区政务公开工作全面推进。").encode(),
        "text/html; charset=utf-8", last_modified="Tue, 05 Mar 2024 08:00:00 GMT")
    recounted = TRS + "202202/moved_80613.htm"
    trs_server.routes[recounted] = Resource(portals.html_page(
        "平潭综合实验区2021年度政府信息公开工作年度报告", "2021年，平潭综合实验区持续推进政务公开。", counter=999).encode(),
        "text/html; charset=utf-8", last_modified="Tue, 05 Mar 2024 08:00:00 GMT")
    [third] = crawl(trs_settings)
    assert (third.changed, third.unchanged, third.new, third.not_modified) == (1, 1, 0, 12)
    after = stored_by_url(trs_settings)
    assert set(after) == set(before)
    url = trs_server.url(edited)
    assert "全面推进" in after[url].path.read_text(encoding="utf-8")
    [old] = corpus.read_versions(after[url].path.parent)
    assert old.sha256 == before[url].sha256 and "稳步推进" in old.path.read_text(encoding="utf-8")
    moved = trs_server.url(TRS + "202202/t20220208_80613.htm")
    assert after[moved].sha256 == before[moved].sha256 and not corpus.read_versions(after[moved].path.parent)


def test_removed_report_is_marked_gone_not_deleted(trs_settings, trs_server):
    crawl(trs_settings)
    path = TRS + "201801/t20180123_80506.htm"
    del trs_server.routes[path]
    [summary] = crawl(trs_settings)
    assert summary.gone == 1 and summary.failed == 0 and summary.skipped == 1  # the robots.txt one
    document = stored_by_url(trs_settings)[trs_server.url(path)]
    assert document.gone_at is not None and document.path.is_file()
    with CrawlState(trs_settings.paths.state) as state:
        assert state.url(trs_server.url(path)).status == "gone"
    trs_server.routes[path] = portals.trs_portal()[path]
    [back] = crawl(trs_settings)
    assert (back.gone, back.unchanged, back.changed) == (0, 1, 0)
    assert stored_by_url(trs_settings)[trs_server.url(path)].gone_at is None


def test_stop_flag_ends_the_run_cleanly_and_the_next_run_completes(trs_settings, trs_server):
    seen = []
    summary = crawl_portal(trs_settings, trs_settings.portal("trs"), progress=seen.append,
                           should_stop=lambda: len(seen) >= 8)
    assert summary.outcome == "stopped" and 0 < summary.new < 14
    [resumed] = crawl(trs_settings)
    assert resumed.outcome == "completed" and resumed.new + summary.new == 14 and resumed.changed == 0
    assert len(stored_by_url(trs_settings)) == 14
    with CrawlState(trs_settings.paths.state) as state:
        assert [r.outcome for r in state.runs("trs")] == ["completed", "stopped"]


def test_cli_crawl_json_summary_and_unknown_portal(trs_settings, trs_server):
    config = str(trs_settings.source)
    result = run_cli("--config", config, "crawl", "--portal", "trs", "--json")
    assert result.returncode == 0, result.stderr
    [summary] = json.loads(result.stdout)
    assert (summary["portal"], summary["new"], summary["discovered"]) == ("trs", 14, 15)
    assert summary["failures"] == [] and summary["skipped"] == 1
    assert summary["skips"] == [{"url": trs_server.url("/zwgk/private/t20150101_1.htm"), "reason": "robots"}]
    assert summary["budget"]["pages"] == summary["pages"] and summary["budget"]["max_pages"] == 2000
    reasons = {(visit["kind"], visit["via"]) for visit in summary["visits"]}
    assert {("start", None), ("hub", "政务公开"), ("hub", "政府信息公开"), ("column", "政府信息公开年报")} <= reasons
    text = run_cli("--config", config, "crawl")
    assert text.returncode == 0 and "trs: completed" in text.stdout and "未修改 not modified 14" in text.stdout
    unknown = run_cli("--config", config, "crawl", "--portal", "nope")
    assert unknown.returncode == 2 and "no portal named 'nope'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_unreachable_portal_fails_with_a_reason(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\ncorpus = "{tmp_path / "c"}"\nstate = "{tmp_path / "s.sqlite3"}"\n'
                      '[crawler]\ntimeout_seconds = 0.5\nretries = 0\n[[portals]]\nname = "dead"\ntitle = "无"\n'
                      'start_urls = ["http://127.0.0.1:9/"]\n', encoding="utf-8")
    result = run_cli("--config", str(config), "crawl", "--portal", "dead")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "dead: failed" in result.stdout and "connection failed" in result.stdout


def test_shipped_config_has_no_enabled_portal_so_crawl_explains():
    result = run_cli("crawl")
    assert result.returncode == 2 and "no enabled portal to crawl" in result.stderr
    assert "Traceback" not in result.stderr
