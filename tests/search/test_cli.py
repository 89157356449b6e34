"""`nianbao search --json` and `nianbao bench --json`: the shapes other tools read."""
from __future__ import annotations

import json

from indexer.engines.base import FACET_FIELDS
from tests.test_config import run_cli

LATENCY = {"p50_ms", "p95_ms", "max_ms"}


def test_search_json_has_every_facet_field_and_totals(search_settings):
    result = run_cli("--config", str(search_settings.source), "search", "公开", "--year", "2020", "--limit", "3",
                     "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(FACET_FIELDS) == set(data["facets"])
    assert data["total"] >= len(data["hits"]) and data["total_sections"] >= data["total"]
    assert len(data["hits"]) <= 3 and {h["year"] for h in data["hits"]} == {2020}
    assert [f["value"] for f in data["facets"]["year"]] == [2020]


def test_bench_json_keys_and_exact_phrases(tmp_path, demo_config):
    # Both engines in one run: the build starts reader workers inside the bench's engine process.
    result = run_cli("--config", str(demo_config), "bench", "--reports", "40", "--engine", "whoosh,tantivy", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"reports", "text_mb", "engines", "scan"} and data["reports"] == 40
    assert set(data["engines"]) == {"whoosh", "tantivy"}
    for engine in data["engines"].values():
        assert set(engine) == {"build", "query", "query_facets", "recall", "precision", "serving_peak_rss_mb",
                               "batch"}
        assert set(engine["build"]) == {"reports_per_s", "mb_per_s", "index_mb", "peak_rss_mb"}
        assert set(engine["query"]) == set(engine["query_facets"]) == set(data["scan"]["query"]) == LATENCY
        assert engine["recall"] == engine["precision"] == 1.0
        assert engine["build"]["index_mb"] > 0 and engine["serving_peak_rss_mb"] > 0
        # The batch case: the engine's counts per term equal the scan's, both timed in this run.
        assert engine["batch"]["agrees"] and engine["batch"]["terms"] == data["scan"]["batch"]["terms"] == 200
        assert engine["batch"]["seconds"] >= 0 and data["scan"]["batch"]["seconds"] >= 0
        assert engine["batch"]["peak_rss_mb"] > 0  # the batch process's own peak (issue 18: bounded at scale)
    assert set(data["scan"]) == {"query", "batch"}
    assert data["text_mb"] > 0


def test_bench_checkpoints_measure_each_size_by_growing_one_index(demo_config):
    result = run_cli("--config", str(demo_config), "bench", "--reports", "20", "--checkpoints", "10,50",
                     "--engine", "tantivy", "--sample", "15")
    assert result.returncode == 0, result.stderr
    blocks = [line for line in result.stdout.splitlines() if " reports, " in line and "built with" in line]
    assert [line.split(" reports,")[0] for line in blocks] == ["10", "20"]  # 50 is past the end: ignored
    # Each checkpoint adds only its new reports to the index built so far.
    assert result.stdout.count("(10 reports added)") == 2
    assert result.stdout.count("recall 1.0  precision 1.0") == 2
    assert result.stdout.count("batch of 200 terms") == 1
    as_json = run_cli("--config", str(demo_config), "bench", "--reports", "12", "--checkpoints", "6",
                      "--engine", "tantivy", "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["reports"] == 12 and [c["reports"] for c in data["checkpoints"]] == [6]
    assert data["checkpoints"][0]["engines"]["tantivy"]["recall"] == 1.0
    assert "batch" not in data["checkpoints"][0]["engines"]["tantivy"]


def test_bench_checkpoints_that_are_not_numbers_are_one_line(demo_config):
    result = run_cli("--config", str(demo_config), "bench", "--reports", "5", "--checkpoints", "10k")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--checkpoints" in result.stderr


def test_bench_unknown_engine_is_one_line(demo_config):
    result = run_cli("--config", str(demo_config), "bench", "--reports", "5", "--engine", "whoosh,lucene")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unknown search engine 'lucene'" in result.stderr


def test_synthetic_corpus_is_deterministic_and_varied(tmp_path):
    from crawler.corpus import read_corpus
    from indexer.bench_corpus import write_synthetic_corpus
    from tests.conftest import REPO

    first = write_synthetic_corpus(REPO / "corpus", tmp_path / "a", 12, seed=7)
    second = write_synthetic_corpus(REPO / "corpus", tmp_path / "b", 12, seed=7)
    texts_a = sorted(d.path.read_bytes() for d in read_corpus(tmp_path / "a"))
    texts_b = sorted(d.path.read_bytes() for d in read_corpus(tmp_path / "b"))
    assert first == second and texts_a == texts_b and len(texts_a) == 12
    assert len({t.split(b"\n", 1)[0] for t in texts_a}) > 6  # titles: agencies and years vary
