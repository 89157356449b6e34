"""The statistics database beside the index: filled by `nianbao index`, incremental, rebuildable, and read by
`nianbao stats` (JSON and CSV with the same numbers)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from crawler.corpus import doc_id_for, write_document
from indexer.statsdb import stats_path
from nianbao.config import load_settings
from tests.conftest import write_config
from tests.parse.test_statistics_tables import text_report
from tests.test_config import run_cli
from tests.web.conftest import PORTALS

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PORTAL = PORTALS  # testland: 测试省 甲市 乙县


def report(year: int, new: int = 12) -> bytes:
    text = text_report().replace("某某局2022年", f"某某局{year}年")
    return text.replace("一、本年新收政府信息公开申请数量\t10\t2\t0\t0\t0\t0\t12",
                        f"一、本年新收政府信息公开申请数量\t10\t2\t0\t0\t0\t0\t{new}").encode()


def add(corpus: Path, year: int, content: bytes) -> None:
    write_document(corpus, "testland", f"http://testland.invalid/{year}.txt", content, content_type="text/plain",
                   extension="txt", link_title=f"某某局{year}年政府信息公开工作年度报告")


@pytest.fixture()
def config(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    add(corpus, 2021, report(2021))
    add(corpus, 2022, report(2022, new=15))
    return write_config(tmp_path, corpus, PORTAL)


def stats_json(config: Path, *args: str) -> dict:
    result = run_cli("--config", str(config), "stats", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_index_fills_the_statistics_database_in_wal_mode(config):
    assert run_cli("--config", str(config), "index").returncode == 0
    settings = load_settings(config)
    path = stats_path(settings.paths.index)
    assert path.parent == Path(settings.paths.index).parent
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    table = stats_json(config, "--measure", "new")
    assert table["years"] == [2021, 2022]
    assert table["rows"][0]["agency"] == "乙县某某局" and table["rows"][0]["values"] == {"2021": 12, "2022": 15}


def test_csv_has_a_bom_and_the_same_numbers_as_json(config):
    run_cli("--config", str(config), "index")
    result = run_cli("--config", str(config), "stats", "--measure", "granted_share", "--csv")
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    table = stats_json(config, "--measure", "granted_share")
    assert rows[0][:5] == ["机构", "省", "市", "县", "2021年予以公开占办理结果比例（%）"]
    assert [float(v) for v in rows[1][4:]] == [table["rows"][0]["values"]["2021"], table["rows"][0]["values"]["2022"]]
    assert table["rows"][0]["values"]["2021"] == 62.5  # 予以公开 5 of 8 results


def rowids(config: Path) -> dict[int, int]:
    with sqlite3.connect(stats_path(load_settings(config).paths.index)) as conn:
        return dict(conn.execute("SELECT year, rowid FROM reports"))


def test_updates_are_incremental_and_removals_are_dropped(config):
    run_cli("--config", str(config), "index")
    before = rowids(config)
    corpus = load_settings(config).paths.corpus
    add(corpus, 2022, report(2022, new=20))
    run_cli("--config", str(config), "index")
    after = rowids(config)
    assert after[2021] == before[2021] and after[2022] != before[2022]  # only the changed report was read again
    assert stats_json(config)["rows"][0]["values"]["2022"] == 20
    shutil.rmtree(Path(corpus) / "testland" / doc_id_for("http://testland.invalid/2021.txt"))
    run_cli("--config", str(config), "index")
    assert stats_json(config)["years"] == [2022]


def test_stats_rebuilds_from_the_corpus_and_explains_a_missing_database(config):
    settings = load_settings(config)
    missing = run_cli("--config", str(config), "stats")
    assert missing.returncode == 2 and "nianbao index" in missing.stderr
    rebuilt = stats_json(config, "--rebuild", "--measure", "review")
    assert rebuilt["rows"][0]["values"] == {"2021": 1, "2022": 1}
    assert stats_path(settings.paths.index).exists()


def test_unknown_measure_is_one_line(config):
    run_cli("--config", str(config), "index")
    result = run_cli("--config", str(config), "stats", "--measure", "nonsense")
    assert result.returncode == 2 and "unknown measure" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared (real reports)")
def test_cross_year_checks_pair_one_body_a_year_apart(tmp_path):
    corpus = tmp_path / "corpus"
    for name in ("202403_87885", "202503_97791", "202603_105587"):
        write_document(corpus, "pingtan", f"https://www.pingtan.gov.cn/{name}.htm",
                       (SHARED / "real" / "pingtan" / f"{name}.html").read_bytes(), content_type="text/html",
                       extension="html")
    config = write_config(tmp_path, corpus, "")
    assert run_cli("--config", str(config), "index").returncode == 0
    with sqlite3.connect(stats_path(load_settings(config).paths.index)) as conn:
        found = dict(((year, check), status) for year, check, status in conn.execute(
            "SELECT r.year, c.id, c.status FROM checks c JOIN reports r USING (report_id) WHERE c.id LIKE 'years.%'"))
    assert found == {(2024, "years.carry"): "PASS", (2024, "years.regulations_valid"): "PASS",
                     (2024, "years.normative_valid"): "FAIL",  # 470 + 62 − 33 = 499, printed 440
                     (2025, "years.carry"): "PASS", (2025, "years.regulations_valid"): "PASS",
                     (2025, "years.normative_valid"): "FAIL"}  # 440 + 58 − 45 = 453, printed 546


def test_index_refills_a_lost_statistics_database_without_touching_the_index(config):
    # The build reads each report once for the index and the statistics; a report the index already has
    # is still read when only the statistics lack it.
    assert run_cli("--config", str(config), "index").returncode == 0
    stats_path(load_settings(config).paths.index).unlink()
    again = run_cli("--config", str(config), "index", "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["added"], summary["replaced"], summary["unchanged"]) == (0, 0, 2)
    assert stats_json(config, "--measure", "new")["rows"][0]["values"] == {"2021": 12, "2022": 15}
