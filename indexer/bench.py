"""Bench stage: `nianbao bench` — build a synthetic corpus, index it with each engine, time a fixed query mix.

Each engine is built and queried in its own (spawned) process so its peak RSS is its own; the build reads and
analyses in `jobs` worker processes, as `nianbao index --jobs` does. The same query mix is answered by a
linear in-memory substring scan (`indexer/engines/reference/scan.py`, the reference engine's matcher) over a
sample of at most SAMPLE_REPORTS reports (every k-th), which is also the ground truth for recall and
precision: an engine's matches within the sample must be exactly the scan's. The serving RSS is read
after timing the queries and before checking recall and precision (which reads the sample's matches back).
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.corpus import read_corpus
from indexer import bench_batch
from indexer.bench_corpus import SyntheticCorpus
from indexer.bench_measure import peak_rss_mb
from indexer.read.report import Region

ROUNDS = 3
SAMPLE_REPORTS = 20_000  # the scan holds its sample in memory: ~20,000 reports is ~1 GB
# (label, query, filters, page): rare and very common phrases, 2-character words, multi-word, with and without
# filters, deep pages.
QUERY_MIX = (
    ("rare phrase", '"一窗受理"', {}),
    ("rare phrase, agency", '"沙坡头区教育局"', {}),
    ("rare phrase, 5 chars", '"最多跑一次"', {}),
    ("common phrase", '"政府信息公开"', {}),
    ("common long phrase", '"中华人民共和国政府信息公开条例"', {}),
    ("common phrase, digits", '"12345"', {}),
    ("phrase across words", '"信息公开工作"', {}),
    ("phrase, date", '"2020年1月1日"', {}),
    ("phrase, latin", '"www.yinchuan.gov.cn"', {}),
    ("2-char word", "公开", {}),
    ("2-char word", "审批", {}),
    ("2-char word, rare", "复议", {}),
    ("multi-word", "一窗受理 审批", {}),
    ("multi-word, common", "政务 公开 服务", {}),
    ("OR", "一网通办 OR 放管服", {}),
    ("NOT", "行政复议 -诉讼", {}),
    ("phrase + year filter", '"政府信息公开"', {"year": ("2020",)}),
    ("word + section filter", "审批", {"section": ("requests",)}),
    ("phrase + agency filter", '"统计期限"', {"agency": ("教育局",)}),
    ("word + region/year range", "公开 province:宁夏 year:2018..2022", {}),
    ("deep page, common word", "公开", {}, 50),
    ("deep page, common phrase", '"政府信息公开"', {}, 100),
    ("deep page, multi-word", "政务 公开 服务", {}, 100),
)


_MIX = tuple((*entry, 1)[:4] for entry in QUERY_MIX)  # page 1 unless given


def run_bench(source: Path, reports: int, engines: list[str], *, seed: int = 4, jobs: int | None = None,
              sample: int = SAMPLE_REPORTS, checkpoints: tuple[int, ...] = (),
              progress=lambda message: None) -> dict:
    """Run the whole bench; returns the `--json` shape (see the README, "Benchmarks").

    `checkpoints`: smaller sizes measured on the way. The corpus grows to each size in turn and each engine's
    index is updated incrementally (only the new reports are read), so one run gives the figures at every
    size for the cost of building the largest; their results are under `"checkpoints"`. The batch case runs at
    the final size only.
    """
    jobs = jobs or os.cpu_count() or 1
    sizes = sorted({size for size in checkpoints if 0 < size < reports}) + [reports]
    measured = []
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as temp:
        corpus = SyntheticCorpus(source, Path(temp) / "corpus", seed)
        for size in sizes:
            measured.append(_run_size(corpus, size, engines, Path(temp), jobs, sample, size == reports, progress))
    *earlier, final = measured
    return {**final, "checkpoints": earlier} if earlier else final


def _run_size(corpus: SyntheticCorpus, size: int, engines: list[str], temp: Path, jobs: int, sample: int,
              last: bool, progress) -> dict:
    """Grow the corpus to `size`, update each engine's index, and measure."""
    progress(f"writing synthetic reports up to {size} …")
    started = time.perf_counter()
    corpus.grow_to(size)
    documents = list(read_corpus(corpus.dest))
    text_mb = sum(d.path.stat().st_size for d in documents) / 1e6
    progress(f"  {time.perf_counter() - started:.0f} s; scanning a sample (baseline and ground truth) …")
    scan_result, truth = _run_scan(documents[::-(-len(documents) // sample)], corpus.regions)
    results = {}
    for name in engines:
        progress(f"{name}: building up to {size} reports and querying …")
        index = temp / f"index-{name}"
        results[name] = _in_child(name, corpus.dest, corpus.regions, index, truth, jobs)
        build = results[name]["build"]  # MB/s of the reports this step added, at the corpus's mean report size
        build["mb_per_s"] = round(build["reports_per_s"] * text_mb / len(documents), 3)
        if last:
            whole = scan_result["reports"] == len(documents)  # else the scan's batch counts cover a sample
            results[name]["batch"] = _batch_in_child(name, index, scan_result["batch"], whole)
            shutil.rmtree(index, ignore_errors=True)
    return {"reports": size, "text_mb": round(text_mb, 2), "jobs": jobs, "engines": results, "scan": scan_result}


def _in_child(name: str, corpus: Path, regions: dict[str, Region], index: Path, truth: list[set[str]],
              jobs: int | None) -> dict:
    """Build (or update) in one fresh process, query in another, so each phase's peak RSS is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        build = pool.submit(_build_engine, name, corpus, regions, index, jobs).result()
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        result = pool.submit(_query_engine, name, index, truth).result()
    return {"build": build, **result}


def _batch_in_child(name: str, index: Path, scan: dict, whole: bool) -> dict:
    """The batch case (`indexer.bench_batch`) on the built index, in a fresh process like the query mix."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(bench_batch.engine_batch, name, index, tuple(scan["terms"]),
                           scan["totals"] if whole else None).result()


def _build_engine(name: str, corpus: Path, regions: dict[str, Region], index: Path, jobs: int) -> dict:
    """Build the index at `index`, or bring an existing one up to date (a checkpoint's reports are added)."""
    from indexer.build import update_engine
    from indexer.engines import open_engine

    started, cpu_started = time.perf_counter(), _cpu_seconds()
    engine = open_engine(name, index, create=not index.exists())
    summary = update_engine(engine, corpus, regions, jobs=jobs)
    engine.close()
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return {"reports_per_s": round(summary.added / seconds, 1),
            "index_mb": round(_folder_mb(index), 2), "peak_rss_mb": peak_rss_mb(),
            "seconds": round(seconds, 1), "failed": len(summary.failed), "added": summary.added,
            "cpu_ms_per_report": round(1000 * cpu / max(1, summary.added), 2)}


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the reader workers, once their pool is closed): what
    a build costs whatever else runs on the machine, so `2 / cpu_ms_per_report` bounds the rate on 2 idle cores."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _query_engine(name: str, index: Path, truth: list[set[str]]) -> dict:
    """Open the index as a serving process would and time the query mix; `serving_peak_rss_mb` is this process's
    peak while doing so (read before the accuracy check)."""
    from indexer.engines import open_engine

    engine = open_engine(name, index)
    try:
        plain, _, plain_cpu = _time_queries(engine, facets=False)
        faceted, per_query, faceted_cpu = _time_queries(engine, facets=True)
        serving = peak_rss_mb()
        recall, precision = _accuracy(engine, truth)
    finally:
        engine.close()
    return {"query": plain, "query_facets": faceted, "recall": recall, "precision": precision,
            "serving_peak_rss_mb": serving, "per_query_ms": per_query,
            "cpu": {"query": plain_cpu, "query_facets": faceted_cpu}}


def _time_queries(engine, *, facets: bool) -> tuple[dict, list[float], dict]:
    """Wall-clock latency, median per query, and CPU time (which other processes on the machine do not inflate)."""
    from indexer.search import SearchRequest, search

    requests = [SearchRequest(q=text, filters=filters, facets=facets, page=page) for _, text, filters, page in _MIX]
    for request in requests:  # warm-up: first use loads jieba and the column caches
        search(engine, request)
    samples: list[list[float]] = [[] for _ in requests]
    cpu: list[float] = []
    for _ in range(ROUNDS):
        for n, request in enumerate(requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            search(engine, request)
            samples[n].append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    wall = _latency([s for row in samples for s in row])
    return wall, [round(statistics.median(row), 1) for row in samples], _latency(cpu)


def _accuracy(engine, truth: list[set[str]]) -> tuple[float, float]:
    """Micro-averaged recall and precision of every query of the mix against the scan, within its sample (the
    last item of `truth`: the sampled report ids)."""
    from indexer.search import SearchRequest, build_query

    found = expected = correct = 0
    sampled = truth[-1]
    for (_, text, filters, _), wanted in zip(_MIX, truth):
        # Only the sample's sections are read back: reading every match costs minutes at 200,000 reports.
        got = engine.matching_keys(build_query(SearchRequest(q=text, filters=filters)), reports=sampled)
        found, expected, correct = found + len(got), expected + len(wanted), correct + len(got & wanted)
    return (round(correct / expected, 6) if expected else 1.0, round(correct / found, 6) if found else 1.0)


def _run_scan(documents: list, regions: dict[str, Region]) -> tuple[dict, list[set[str]]]:
    """Time the query mix on the scan over `documents`; its matches per query, then the ids of `documents`."""
    from indexer.build import read_report
    from indexer.engines.reference import scan
    from indexer.records import report_record, section_docs
    from indexer.search import SearchRequest, build_query

    def docs_of(document) -> list:
        report = read_report(document, regions.get(document.portal))
        return section_docs(report_record(document.doc_id, report, ""), report)

    docs = [doc for d in documents for doc in docs_of(d)]
    sections = scan.prepare(docs)
    trees = [build_query(SearchRequest(q=text, filters=filters)) for _, text, filters, _ in _MIX]
    for tree in trees:  # warm-up, as for the engines
        scan.scan(tree, sections)
    samples, cpu, per_query, truth = [], [], [], []
    for tree in trees:
        row = []
        for _ in range(ROUNDS):
            started, cpu_started = time.perf_counter(), time.process_time()
            matches = scan.scan(tree, sections)
            scan.facet_counts(matches)
            row.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        samples += row
        per_query.append(round(statistics.median(row), 1))
        truth.append({m.doc.doc_key for m in matches})
    batch = bench_batch.scan_batch(docs, bench_batch.batch_terms(docs))
    return {"query": _latency(samples), "cpu": _latency(cpu), "per_query_ms": per_query, "reports": len(documents),
            "sections": len(sections), "matches": [len(t) for t in truth], "batch": batch}, truth + [{d.doc_id for d in documents}]


def bench_json(data: dict) -> dict:
    """Only the keys other tools read (the issue's `--json` shape), plus `checkpoints` when sizes were measured on
    the way (the same shape, without the batch case)."""
    build_keys = ("reports_per_s", "mb_per_s", "index_mb", "peak_rss_mb")
    out = {"reports": data["reports"], "text_mb": data["text_mb"],
           "engines": {name: {"build": {k: r["build"][k] for k in build_keys}, "query": r["query"],
                              "query_facets": r["query_facets"], "recall": r["recall"], "precision": r["precision"],
                              "serving_peak_rss_mb": r["serving_peak_rss_mb"],
                              **({"batch": {k: r["batch"][k] for k in ("seconds", "terms", "agrees", "peak_rss_mb")}}
                                 if "batch" in r else {})}
                       for name, r in data["engines"].items()},
           "scan": {"query": data["scan"]["query"], "batch": {"seconds": data["scan"]["batch"]["seconds"],
                                                            "terms": len(data["scan"]["batch"]["terms"])}}}
    if data.get("checkpoints"):
        out["checkpoints"] = [bench_json(checkpoint) for checkpoint in data["checkpoints"]]
    return out


def _ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:.1f}" if fast else "∞"


def _latency(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "max_ms": round(ordered[-1], 1)}


def _folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def format_bench(data: dict) -> str:
    """The bench result for people: each checkpoint, then the final size, then the batch case."""
    parts = [_format_size(checkpoint) for checkpoint in data.get("checkpoints", ())] + [_format_size(data)]
    return "\n\n".join(parts) + "\n" + "\n".join(bench_batch.format_batch(data))


def _format_size(data: dict) -> str:
    """One size's figures: totals per engine, then the query mix against the scan."""
    lines = [f"{data['reports']} reports, {data['text_mb']} MB of text, built with --jobs {data['jobs']}; "
             f"scan and accuracy over a sample of {data['scan']['reports']} reports ({data['scan']['sections']} "
             "sections)"]
    for name, result in data["engines"].items():
        b, q, f = result["build"], result["query"], result["query_facets"]
        lines += [f"\n[{name}] build {b['seconds']} s ({b['added']} reports added): {b['reports_per_s']} reports/s, {b['mb_per_s']} MB/s, "
                  f"index {b['index_mb']} MB, peak RSS {b['peak_rss_mb']} MB; CPU {b['cpu_ms_per_report']} ms a "
                  f"report (all processes)",
                  f"  query        p50 {q['p50_ms']} ms  p95 {q['p95_ms']} ms  max {q['max_ms']} ms",
                  f"  query+facets p50 {f['p50_ms']} ms  p95 {f['p95_ms']} ms  max {f['max_ms']} ms",
                  "  CPU time     " + "   ".join(f"{label} p50 {c['p50_ms']} p95 {c['p95_ms']} max {c['max_ms']} ms"
                                                  for label, c in (("query", result["cpu"]["query"]),
                                                                   ("query+facets", result["cpu"]["query_facets"]))),
                  f"  recall {result['recall']}  precision {result['precision']}  "
                  f"serving process peak RSS {result['serving_peak_rss_mb']} MB"]
    s = data["scan"]["query"]
    c = data["scan"]["cpu"]
    lines.append(f"\n[scan of the sample] p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  max {s['max_ms']} ms"
                 f"   (CPU time p50 {c['p50_ms']} p95 {c['p95_ms']} max {c['max_ms']} ms)")
    for name, result in data["engines"].items():
        f = result["query_facets"]
        fc = result["cpu"]["query_facets"]
        lines.append(f"  scan ÷ {name} (with facets): p50 {_ratio(s['p50_ms'], f['p50_ms'])}×, "
                     f"p95 {_ratio(s['p95_ms'], f['p95_ms'])}×; in CPU time p50 {_ratio(c['p50_ms'], fc['p50_ms'])}×, "
                     f"p95 {_ratio(c['p95_ms'], fc['p95_ms'])}×")
    lines.append("\nper query (median ms, with facets)  " + "  ".join(f"{n:>7}" for n in data["engines"])
                 + "     scan  matches")
    for n, (label, text, filters, page) in enumerate(_MIX):
        engine_ms = "  ".join(f"{r['per_query_ms'][n]:>7}" for r in data["engines"].values())
        shown = text + "".join(f" --{k} {' '.join(v)}" for k, v in filters.items()) + (f" p.{page}" if page > 1 else "")
        lines.append(f"  {shown:<34} {engine_ms}  {data['scan']['per_query_ms'][n]:>7}  "
                     f"{data['scan']['matches'][n]:>7}  ({label})")
    return "\n".join(lines)
