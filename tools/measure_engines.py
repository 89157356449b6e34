"""Measure an engine on a synthetic corpus: indexing rate, phrase recall/precision, query p95, serving RSS.

A stand-in for `nianbao bench` (issue 4) until it lands. Usage:

    .venv/bin/python tools/measure_engines.py --engine tantivy --reports 20000 [--queries 300] [--workdir DIR]

Synthetic reports are the demo corpus's sections reshuffled: paragraphs drawn from real sections of the
same kind, numbers redrawn, agency/year/region drawn from small lists (≈ 6,000 characters a report).
Indexing goes through `Engine.replace_reports` in batches of 200 reports (analysis + indexing, not
extraction or parsing). Queries run in a fresh process that only opens the index ("serving process"),
each with facet counts; its peak RSS is reported.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer import query as q  # noqa: E402
from indexer.build import read_report  # noqa: E402
from indexer.engines import SectionDoc, open_engine  # noqa: E402
from indexer.normalize import normalize  # noqa: E402
from crawler.corpus import read_corpus  # noqa: E402

BATCH_REPORTS = 200
PROVINCES = {"宁夏回族自治区": {"银川市": ["金凤区", "兴庆区", "西夏区"], "中卫市": ["沙坡头区", "中宁县", "海原县"],
                              "吴忠市": ["青铜峡市", "利通区", "同心县"]},
             "甘肃省": {"兰州市": ["城关区", "七里河区"], "白银市": ["白银区", "靖远县"]},
             "陕西省": {"西安市": ["雁塔区", "碑林区"], "宝鸡市": ["渭滨区", "凤翔区"]}}
AGENCY_KINDS = ["审批服务管理局", "人民政府办公室", "财政局", "教育局", "卫生健康局", "自然资源局", "生态环境局",
                "市场监督管理局", "民政局", "交通运输局", "住房和城乡建设局", "农业农村局"]


def demo_paragraphs() -> dict[str, list[str]]:
    """Section key → paragraphs of that section across the demo corpus."""
    paragraphs: dict[str, list[str]] = {}
    for document in read_corpus(REPO / "corpus"):
        for section in read_report(document).sections:
            parts = [p for p in section.text.split("\n") if p.strip()]
            paragraphs.setdefault(section.key, []).extend(parts)
    return paragraphs


def synthetic_reports(count: int, seed: int = 8) -> dict[str, list[SectionDoc]]:
    """`count` synthetic reports, deterministic for a seed."""
    rng = random.Random(seed)
    pool = demo_paragraphs()
    keys = sorted(pool)
    regions = [(p, c, county) for p, cities in PROVINCES.items() for c, counties in cities.items() for county in counties]
    reports = {}
    for number in range(count):
        province, city, county = rng.choice(regions)
        agency = county + rng.choice(AGENCY_KINDS)
        year = rng.randint(2008, 2023)
        report_id = f"syn{number:07d}"
        docs = []
        for section_no, key in enumerate(keys):
            chosen = rng.sample(pool[key], min(len(pool[key]), rng.randint(3, 9)))
            text = "\n".join(re.sub(r"\d+", lambda _: str(rng.randint(0, 999)), p) for p in chosen)
            docs.append(SectionDoc(report_id=report_id, section_no=section_no, section=key, heading=key, text=text,
                                   title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency, year=year,
                                   province=province, city=city, county=county, fingerprint=report_id))
        reports[report_id] = docs
    return reports


def phrase_queries(reports: dict[str, list[SectionDoc]], count: int, seed: int = 9) -> list[str]:
    """Phrases of 2–8 characters cut from random sections (plus 1-character and absent ones)."""
    rng = random.Random(seed)
    docs = [d for ds in reports.values() for d in ds if len(d.text) > 20]
    phrases = []
    while len(phrases) < count:
        text = normalize(rng.choice(docs).text)
        start = rng.randrange(len(text) - 8)
        phrase = text[start:start + rng.randint(2, 8)].strip()
        if phrase and '"' not in phrase:
            phrases.append(phrase)
    return phrases + ["受", "一窗受理", "年报不存在的短语"]


def cpu_seconds() -> float:
    """CPU time of this process (tantivy's threads included) and of its reaped children (analysis workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def index_reports(engine_name: str, path: Path, reports: dict[str, list[SectionDoc]]) -> tuple[float, float]:
    """Index in batches like build.py; returns (reports per wall second, CPU seconds per report).

    The machine is shared: the CPU figure tells what free cores would do.
    """
    engine = open_engine(engine_name, path, create=True)
    ids = list(reports)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    try:
        for start in range(0, len(ids), BATCH_REPORTS):
            engine.replace_reports({rid: reports[rid] for rid in ids[start:start + BATCH_REPORTS]})
    finally:
        engine.close()
    return len(ids) / (time.perf_counter() - started), (cpu_seconds() - cpu_started) / len(ids)


def recall_precision(engine_name: str, path: Path, reports, phrases: list[str]) -> tuple[float, float]:
    """Micro-averaged over all phrases, against a substring scan of the normalised texts."""
    texts = {(d.report_id, d.section_no): normalize(d.text) for ds in reports.values() for d in ds}
    engine = open_engine(engine_name, path)
    found_total = expected_total = correct = 0
    try:
        for phrase in phrases:
            expected = {key for key, text in texts.items() if phrase in text}
            result = engine.search(q.Phrase(phrase), offset=0, limit=len(texts), facets=False)
            got = {(r.report_id, s.section_no) for r in result.reports for s in r.sections}
            found_total, expected_total, correct = found_total + len(got), expected_total + len(expected), \
                correct + len(got & expected)
    finally:
        engine.close()
    return correct / max(1, expected_total), correct / max(1, found_total)


def serve_queries(engine_name: str, path: Path, phrases: list[str]) -> dict:
    """Runs in the serving process: every phrase with facets, first page of 10; latencies and peak RSS."""
    engine = open_engine(engine_name, path)
    latencies = []
    for phrase in phrases:
        started = time.perf_counter()
        engine.search(q.Phrase(phrase), offset=0, limit=10, facets=True)
        latencies.append((time.perf_counter() - started) * 1000)
    engine.close()
    latencies.sort()
    return {"p50_ms": statistics.median(latencies), "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
            "max_ms": latencies[-1], **peak_rss_mb()}


def peak_rss_mb() -> dict:
    """This process's peak RSS and its parts now (ru_maxrss would include the parent it was forked from).

    RssFile is index pages tantivy maps (page cache the kernel may drop); RssAnon is the process's own memory.
    """
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {f"{name}_mb": int(status[name].split()[0]) / 1024 for name in ("VmHWM", "RssAnon", "RssFile")}


def scan_p95(reports, phrases: list[str]) -> float:
    """The baseline: a substring scan over every normalised section held in memory."""
    texts = [normalize(d.text) for ds in reports.values() for d in ds]
    latencies = []
    for phrase in phrases:
        started = time.perf_counter()
        sum(1 for text in texts if phrase in text)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return latencies[int(0.95 * (len(latencies) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--reuse-index", action="store_true", help="measure queries on the index left in --workdir")
    parser.add_argument("--serve", nargs=2, metavar=("INDEX", "PHRASES_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve_queries(args.engine, Path(args.serve[0]), json.loads(Path(args.serve[1]).read_text()))))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nianbao-measure-"))
    reports = synthetic_reports(args.reports)
    chars = sum(len(d.text) for ds in reports.values() for d in ds)
    phrases = phrase_queries(reports, args.queries)
    (workdir / "phrases.json").write_text(json.dumps(phrases, ensure_ascii=False), encoding="utf-8")
    index = workdir / args.engine
    result = {"engine": args.engine, "reports": args.reports, "chars_per_report": chars // args.reports,
              "queries": len(phrases)}
    if not args.reuse_index:
        rate, cpu_per_report = index_reports(args.engine, index, reports)
        # CPU ms per report: on two free cores an engine analysing in parallel (tantivy) indexes
        # 2000 / that many reports a second; one working on one core (Whoosh) 1000 / that many.
        result.update(index_reports_per_s=round(rate, 1), index_cpu_ms_per_report=round(cpu_per_report * 1000, 1))
        print(json.dumps(result), file=sys.stderr, flush=True)
    served = subprocess.run([sys.executable, __file__, "--engine", args.engine, "--serve", str(index),
                             str(workdir / "phrases.json")], capture_output=True, text=True)
    if served.returncode:
        sys.exit(f"serving process failed:\n{served.stderr}")
    result.update({k: round(v, 2) for k, v in json.loads(served.stdout).items()})
    print(json.dumps(result), file=sys.stderr, flush=True)
    recall, precision = recall_precision(args.engine, index, reports, phrases)
    result.update(recall=recall, precision=precision, scan_p95_ms=round(scan_p95(reports, phrases), 2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
