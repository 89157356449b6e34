"""Bench stage, the batch case of `nianbao bench`: BATCH_TERMS terms counted by `indexer.batch.run_batch` on each
engine, and by a plain substring scan over every section (the reference), in the same run.

The terms are drawn, for a fixed seed, from the synthetic corpus itself (2–6 characters of its text), so most
occur somewhere: some in nearly every report, some in a few. Both sides report the totals they found, and
`agrees` says whether the engine's counts equal the scan's.
"""
from __future__ import annotations

import random
import time

from indexer.bench_measure import peak_rss_mb
from indexer.normalize import normalize
from indexer.records import SectionDoc

BATCH_TERMS = 200
SEED = 16


def batch_terms(docs: list[SectionDoc], count: int = BATCH_TERMS, seed: int = SEED) -> tuple[str, ...]:
    """`count` distinct terms cut from random sections' text (CJK letters and digits only, 2–6 characters)."""
    rng = random.Random(seed)
    texts = [normalize(doc.text) for doc in rng.sample(docs, min(len(docs), 2000))]
    texts = [t for t in texts if len(t) >= 6]
    terms: dict[str, None] = {}
    for _ in range(count * 50):
        if len(terms) >= count or not texts:
            break
        text = rng.choice(texts)
        length = rng.randint(2, 6)
        start = rng.randrange(0, len(text) - length + 1)
        term = text[start:start + length]
        if all("\u4e00" <= ch <= "\u9fff" or ch.isdigit() for ch in term):
            terms[term] = None
    return tuple(terms)


def scan_batch(docs: list[SectionDoc], terms: tuple[str, ...]) -> dict:
    """The reference: every section's normalised text (prepared once, untimed) searched for every term."""
    texts = [(doc.report_id, normalize(doc.text)) for doc in docs]
    started = time.perf_counter()
    totals = []
    for term in terms:
        counts: dict[str, int] = {}
        for report_id, text in texts:
            if term in text:
                counts[report_id] = counts.get(report_id, 0) + text.count(term)
        totals.append((len(counts), sum(counts.values())))
    seconds = time.perf_counter() - started
    return {"terms": list(terms), "seconds": round(seconds, 2), "totals": totals}


def engine_batch(name: str, index, terms: tuple[str, ...], scan_totals: list | None) -> dict:
    """`run_batch` on the engine at `index` (opened as a serving process would), timed once after a warm-up.
    `scan_totals` is None when the scan saw only a sample of the corpus: then nothing is compared."""
    from indexer.batch import run_batch
    from indexer.engines import open_engine

    engine = open_engine(name, index)
    try:
        run_batch(engine, terms[:5])  # warm-up: jieba and the engine's caches
        started = time.perf_counter()
        result = run_batch(engine, terms)
        seconds = time.perf_counter() - started
    finally:
        engine.close()
    totals = [[t.reports, t.occurrences] for t in result.terms]
    return {"seconds": round(seconds, 2), "terms": len(terms), "peak_rss_mb": peak_rss_mb(), "agrees": None if scan_totals is None else totals == [list(t) for t in scan_totals],
            "occurrences": sum(t.occurrences for t in result.terms)}


def format_batch(data: dict) -> list[str]:
    """Lines for `format_bench`: each engine's batch time beside the scan's."""
    scan = data["scan"]["batch"]
    lines = [f"\nbatch of {len(scan['terms'])} terms (reports and occurrences per term, by year and agency): "
             f"scan {scan['seconds']} s"]
    for name, result in data["engines"].items():
        b = result["batch"]
        verdict = {None: "the scan saw a sample: not compared", True: "same counts as the scan"}.get(
            b["agrees"], "COUNTS DIFFER FROM THE SCAN")
        lines.append(f"  {name:<10} {b['seconds']} s, peak RSS {b['peak_rss_mb']} MB  "
                     f"({b['occurrences']} occurrences; {verdict})")
    return lines
