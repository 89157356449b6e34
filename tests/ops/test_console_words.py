"""The console speaks Chinese: schedules in words, recorded reasons put in words (the raw line kept one click
away), times in the configured zone with the zone named, attempts that agree with the reasons."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from werkzeug.security import generate_password_hash

from crawler.state import CrawlState
from nianbao.config import load_settings
from nianbao.schedule_words import describe_cron, describe_schedule
from nianbao.status import Operations
from tests.conftest import REPO
from tests.crawler.server import PortalServer, Resource
from tests.ops.conftest import write_ops_config
from tests.ops.test_console import PASSWORD, YEARLY, csrf_token, log_in
from webui import create_app
from webui.admin.auth import PASSWORD_ENV
from webui.admin.wording import reason_zh


@pytest.fixture(autouse=True)
def no_password_from_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


@pytest.mark.parametrize(("cron", "words"), [
    ("0 3 * * 1", "每周一 03:00"), ("0 3 * * *", "每天 03:00"), ("0 3 1 * *", "每月1日 03:00"),
    ("30 2 1,15 * *", "每月1日、15日 02:30"), ("10 3 * * 1-5", "每周一至周五 03:10"), ("0 3 * * 0", "每周日 03:00"),
    ("0 3 * * 7", "每周日 03:00"), ("0 3 * * 1,3,5", "每周一、三、五 03:00"), ("0 3 L * *", "每月最后一天 03:00"),
    ("0 3 1 1 *", "每年1月1日 03:00"), ("0 3 * 1-4 *", "1至4月每天 03:00"), ("*/15 * * * *", "每 15 分钟"),
    ("0 3,15 * * *", "每天 03:00、15:00"), ("0 3 1 * 1", "每月1日及每周一 03:00"), ("0 3 * * mon", "每周一 03:00"),
])
def test_cron_expressions_in_words(cron, words):
    assert describe_cron(cron) == words


def test_unusual_crons_are_left_to_the_cron_string_and_seasons_are_named():
    assert describe_cron("0 3 * * 1#2") == "" and describe_cron("not cron") == ""
    assert describe_schedule("0 3 * * 1", "0 3 * * *", (1, 2, 3, 4)) == "每周一 03:00；1至4月改为每天 03:00"
    assert describe_schedule("0 3 * * 1#2") == "按 cron「0 3 * * 1#2」"
    assert describe_schedule("") == "不定期（仅手动）"


@pytest.mark.parametrize(("recorded", "chinese"), [
    ("refused: robots.txt unavailable (connection failed: ConnectionError (gave up after 4 attempts))",
     "已拒绝：无法取得 robots.txt（连接失败（ConnectionError），尝试 4 次后放弃）"),
    ("refused: robots.txt unavailable (earlier in this run: HTTP 503 (gave up after 3 attempts))",
     "已拒绝：本次运行先前未能取得该站的 robots.txt（HTTP 503（服务暂不可用），尝试 3 次后放弃），本地址未再请求"),
    ("robots", "robots.txt 禁止抓取此地址"), ("refused: disallowed by robots.txt", "robots.txt 禁止抓取此地址"),
    ("refused: evil.example.com is not an allowed host", "已拒绝：evil.example.com 不在允许的主机之内"),
    ("HTTP 404", "HTTP 404（页面不存在）"), ("HTTP 502 (gave up after 4 attempts)", "HTTP 502（网关错误），尝试 4 次后放弃"),
    ("HTTP 503, Retry-After 100000s is longer than allowed", "HTTP 503：服务器要求 100000 秒后重试，超过允许的等待时间"),
    ("more than 5 redirects", "重定向超过 5 次"),
    ("too large: 104857600 bytes declared, limit 52428800", "文件过大：声明 104857600 字节，上限 52428800 字节，未下载"),
    ("too slow: 40 bytes in 40s, minimum 1024 bytes/s", "传输过慢：40 秒只收到 40 字节（最低 1024 字节/秒）"),
    ("deadline: no complete response within 600s", "超过单次请求时限：600 秒内没有收到完整响应"),
    ("timed out after 30s", "等待 30 秒无响应（超时）"), ("no start URL could be fetched", "所有起始网址都无法获取"),
    ("needs OCR: the PDF has no text layer (3 pages, scanned images)", "需要文字识别（OCR）：PDF 没有文字层，是扫描图片"),
    ("broken or unreadable DOCX: BadZipFile: Bad CRC-32", "DOCX 文件损坏或无法读取"),
    ("超过内存上限：2048 MB", "超过内存上限：2048 MB"), ("something new", "其他原因：something new"),
])
def test_recorded_reasons_in_chinese(recorded, chinese):
    assert reason_zh(recorded) == chinese


@pytest.fixture
def unreachable_robots():
    """A portal whose robots.txt always answers 503: every URL is refused after the retries."""
    routes = {"/robots.txt": Resource(status=503), "/": Resource(b"<html><body>home</body></html>")}
    with PortalServer(routes) as server:
        yield server


def test_a_refused_url_shows_the_attempts_its_reason_names_in_the_console(tmp_path, unreachable_robots):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    config = write_ops_config(tmp_path, {"qingshan": (unreachable_robots, YEARLY)}, web=web)
    crawled = subprocess.run([sys.executable, "-m", "nianbao.cli", "--config", str(config), "crawl", "--portal",
                              "qingshan"], capture_output=True, text=True, cwd=REPO, timeout=120)
    settings = load_settings(config)
    with CrawlState(settings.paths.state) as state:
        [run] = state.runs("qingshan")
        [failure] = state.failures(run.id)
    gave_up = int(re.search(r"gave up after (\d+) attempts", failure.reason)[1])
    assert failure.attempts == gave_up == run.requests == len(unreachable_robots.requests_for("/robots.txt")), crawled

    app = create_app(settings, operations=Operations(settings))
    client = app.test_client()
    log_in(client)
    page = client.get(f"/admin/runs/{run.id}").text
    cells = re.search(r'data-label="原因">(.*?)</td>.*?data-label="请求次数">(\d+)</td>', page, re.S)
    assert f"尝试 {gave_up} 次后放弃" in cells[1] and int(cells[2]) == gave_up
    assert "所有起始网址都无法获取" in page and "<code>no start URL could be fetched</code>" in page  # raw kept
    assert "Failed URLs" not in page and "reason" not in re.sub(r"<[^>]+>|class=\"[^\"]*\"", "", page).lower()


def test_times_are_shown_in_the_configured_zone_and_the_zone_is_named(tmp_path, unreachable_robots):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    config = write_ops_config(tmp_path, {"qingshan": (unreachable_robots, "0 3 * * 1")}, web=web)
    config.write_text(config.read_text(encoding="utf-8").replace('timezone = "UTC"', 'timezone = "Asia/Shanghai"'),
                      encoding="utf-8")
    settings = load_settings(config)
    with CrawlState(settings.paths.state) as state:
        run_id = state.start_run("qingshan")
        state.db.execute("UPDATE runs SET started_at = '2026-12-02T17:30:26+00:00' WHERE id = ?", (run_id,))
        state.finish_run(run_id, {}, "completed")
        later = state.start_run("qingshan")  # a recent finished run: the next slot is in the future
        state.finish_run(later, {}, "completed")
    app = create_app(settings, operations=Operations(settings))
    client = app.test_client()
    log_in(client)
    page = client.get("/admin/runs").text
    assert "2026-12-03 01:30" in page and "2026-12-02T17:30" not in re.sub(r'"[^"]*"', "", page)
    assert "Asia/Shanghai（UTC+08:00）" in page
    page = client.get("/admin/").text
    next_run = re.search(r'data-label="下次运行">(.*?)</td>', page, re.S)[1]
    assert re.search(r"\d{4}-\d{2}-\d{2} 03:00", next_run)  # the cron's 03:00 in Shanghai, not 19:00 UTC
    assert "每周一 03:00" in page and "<code" in page and "0 3 * * 1" in page  # words beside the cron
    assert csrf_token(client, "/admin/")


def test_corpus_entries_the_index_skips_are_listed_with_their_reason(tmp_path, unreachable_robots):
    web = f'[web]\nadmin_password_hash = "{generate_password_hash(PASSWORD)}"\n'
    settings = load_settings(write_ops_config(tmp_path, {"qingshan": (unreachable_robots, YEARLY)}, web=web))
    folder = settings.paths.corpus / "qingshan" / "0123456789abcdef"
    folder.mkdir(parents=True)
    (folder / "record.json").write_text('{"filename": "../../../../etc/passwd"}', encoding="utf-8")
    client = create_app(settings, operations=Operations(settings)).test_client()
    log_in(client)
    page = client.get("/admin/stats").text
    assert "无法索引的语料条目（1）" in page and "0123456789abcdef" in page
    assert re.search(r'data-label="原因"><span class="reason">[^<]*(越出|不存在)', page)
