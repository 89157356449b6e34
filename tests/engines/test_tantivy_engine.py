"""The tantivy engine's own duties: incremental updates, one writer at a time, rebuild on a switch."""
from __future__ import annotations

import dataclasses
import shutil

import pytest

from indexer import query as q
from indexer.build import build_index
from indexer.engines import IndexLocked, RebuildNeeded, open_engine
from indexer.search import SearchRequest, build_query
from nianbao.pipeline import portal_regions
from tests.conftest import write_config
from tests.engines.conftest import synthetic_docs
from tests.test_config import run_cli


def phrase_reports(engine, phrase: str) -> set[str]:
    return {r.report_id for r in engine.search(q.Phrase(phrase), offset=0, limit=100).reports}


def test_replace_and_delete_reports_in_one_commit(tmp_path):
    engine = open_engine("tantivy", tmp_path / "index", create=True)
    try:
        reports = synthetic_docs()
        engine.replace_reports(reports)
        assert engine.fingerprints() == {"r0": "fp-r0", "r1": "fp-r1", "r2": "fp-r2", "r3": "fp-r3"}
        assert phrase_reports(engine, "一窗受理") == {"r0", "r1", "r3"}
        changed = [dataclasses.replace(d, text=d.text.replace("一窗受理", "一网通办"), fingerprint="fp-new")
                   for d in reports["r0"]]
        engine.replace_reports({"r0": changed}, delete=["r2"])
        assert engine.fingerprints() == {"r0": "fp-new", "r1": "fp-r1", "r3": "fp-r3"}
        assert phrase_reports(engine, "一窗受理") == {"r1", "r3"}
        assert phrase_reports(engine, "一网通办") == {"r0"}
        assert [d.section_no for d in engine.report_sections("r0")] == list(range(len(changed)))
        assert engine.report_sections("r2") == []
    finally:
        engine.close()


def test_second_writer_is_told_the_index_is_locked_while_readers_keep_working(tmp_path):
    writer = open_engine("tantivy", tmp_path / "index", create=True)
    reports = synthetic_docs()
    writer.replace_reports({"r0": reports["r0"]})
    other = open_engine("tantivy", tmp_path / "index")
    try:
        with pytest.raises(IndexLocked, match="being written by another process"):
            other.replace_reports({"r1": reports["r1"]})
        assert phrase_reports(other, "一窗受理") == {"r0"}
        with pytest.raises(IndexLocked):  # a rebuild must not start under a running writer
            open_engine("tantivy", tmp_path / "index", create=True)
        assert phrase_reports(other, "一窗受理") == {"r0"}
        writer.replace_reports({"r1": reports["r1"]})
        assert phrase_reports(writer, "一窗受理") == {"r0", "r1"}
        writer.close()
        other.replace_reports({"r2": reports["r2"]})  # the lock went with the first writer
        assert set(other.fingerprints()) == {"r0", "r1", "r2"}
    finally:
        writer.close()
        other.close()


def test_switching_engines_asks_for_a_rebuild_then_rebuilds(demo_settings, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_settings.paths.corpus, corpus)
    build_index(corpus, tmp_path / "index", "whoosh", portal_regions(demo_settings))
    with pytest.raises(RebuildNeeded):
        open_engine("tantivy", tmp_path / "index")
    config = write_config(tmp_path, corpus)
    config.write_text(config.read_text(encoding="utf-8").replace('engine = "whoosh"', 'engine = "tantivy"'),
                      encoding="utf-8")
    refused = run_cli("--config", str(config), "search", '"一窗受理"')
    assert refused.returncode == 2 and "nianbao index --rebuild" in refused.stderr
    assert "Traceback" not in refused.stderr
    rebuilt = run_cli("--config", str(config), "index", "--rebuild")
    assert rebuilt.returncode == 0 and "5 added" in rebuilt.stdout, rebuilt.stderr
    found = run_cli("--config", str(config), "search", '"一窗受理"', "--json")
    assert '"total": 1' in found.stdout


def test_value_too_long_for_a_term_still_counts_in_facets(tmp_path):
    # tantivy skips terms over 65,530 bytes; the facet name then comes from the stored document.
    agency = "某" * 30_000
    engine = open_engine("tantivy", tmp_path / "index", create=True)
    try:
        engine.replace_reports({"r": [dataclasses.replace(synthetic_docs()["r0"][0], report_id="r", agency=agency)]})
        assert engine.search(q.MatchAll(), offset=0, limit=1).facets["agency"] == {agency: 1}
        per_section = build_query(SearchRequest(q="受理 -不存在的词"))  # counted per section, not per report
        assert engine.search(per_section, offset=0, limit=1).facets["agency"] == {agency: 1}
    finally:
        engine.close()


def test_facets_of_section_level_queries_follow_each_commit(tmp_path):
    # Per-section queries count reports by fields cached per commit: a re-indexed report's new agency
    # must show at once, whichever engine object wrote it.
    reports = synthetic_docs()
    creator = open_engine("tantivy", tmp_path / "index", create=True)
    creator.replace_reports(reports)
    creator.close()  # releases the writer lock
    reader = open_engine("tantivy", tmp_path / "index")
    tree = build_query(SearchRequest(q="受理 -不存在的词"))
    try:
        assert reader.search(tree, offset=0, limit=10).facets["agency"]["甲县审批局"] == 1
        writer = open_engine("tantivy", tmp_path / "index")
        moved = [dataclasses.replace(d, agency="戊县审批局", fingerprint="fp-moved") for d in reports["r0"]]
        writer.replace_reports({"r0": moved})
        writer.close()
        agencies = reader.search(tree, offset=0, limit=10).facets["agency"]
        assert agencies.get("戊县审批局") == 1 and "甲县审批局" not in agencies
    finally:
        reader.close()
