"""Score the crawler on every generated portal: crawl from the home page only, compare with the truth.

    python -m tests.crawler.portalgen score [--json] [NAME ...]

Columns: reports expected / found / missed, noise taken (a noise page or file stored as a report), other
pages stored that are not reports, requests made, requests outside the disclosure area (`/news/`, `/hdjl/`,
`/bsfw/`; the site search is fair game where robots.txt allows it), whether robots.txt and the per-host delay held (from the server's log), and seconds.
"""
from __future__ import annotations

import itertools
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.crawler.portalgen import PORTAL_NAMES, GeneratedPortal, build_portal
from tests.crawler.server import PortalServer

OFF_LIMITS = ("/news/", "/hdjl/", "/bsfw/")


def crawl_portal_once(portal: GeneratedPortal, server: PortalServer, folder: Path):
    """One crawl of the served portal from its home page; returns (settings, summary)."""
    from crawler.crawl import crawl
    from nianbao.config import load_settings
    from tests.crawler.conftest import write_crawl_config

    settings = load_settings(write_crawl_config(folder, {portal.name: server}))
    [summary] = crawl(settings)
    return settings, summary


def stored_paths(settings) -> set[str]:
    """Path (with query) of every document the crawl stored."""
    from crawler.corpus import read_corpus

    paths = set()
    for document in read_corpus(settings.paths.corpus):
        parts = urlsplit(document.url)
        paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def polite(portal: GeneratedPortal, server: PortalServer) -> tuple[bool, bool]:
    """(robots respected, per-host delay respected) from the server's own log."""
    paths = [r.path for r in server.log]
    robots = paths[:1] == ["/robots.txt"] and not (set(paths) & portal.disallowed)
    arrivals = [r.at for r in server.log]
    delay = all(b - a >= portal.crawl_delay for a, b in itertools.pairwise(arrivals))
    return robots, delay


def score_portal(name: str) -> dict:
    portal = build_portal(name)
    with tempfile.TemporaryDirectory() as folder, portal.serve() as server:
        started = time.monotonic()
        settings, summary = crawl_portal_once(portal, server, Path(folder))
        seconds = time.monotonic() - started
        stored = stored_paths(settings)
        robots, delay = polite(portal, server)
        return {"portal": name, "family": portal.family, "depth": portal.depth, "encoding": portal.encoding,
                "expected": len(portal.reports), "found": len(stored & portal.reports),
                "missed": sorted(portal.reports - stored), "noise_taken": sorted(stored & portal.noise),
                "other_taken": sorted(stored - portal.reports - portal.noise), "requests": len(server.log),
                "off_limits": sum(1 for r in server.log if r.path.startswith(OFF_LIMITS)),
                "robots_ok": robots, "delay_ok": delay, "outcome": summary.outcome, "seconds": round(seconds, 1)}


def format_table(rows: list[dict]) -> str:
    head = ("portal", "family", "depth", "encoding", "expected", "found", "noise", "other", "requests",
            "off-limits", "robots", "delay")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append(f"| {r['portal']} | {r['family']} | {r['depth']} | {r['encoding']} | {r['expected']} | "
                     f"{r['found']} | {len(r['noise_taken'])} | {len(r['other_taken'])} | {r['requests']} | "
                     f"{r['off_limits']} | {'ok' if r['robots_ok'] else 'NO'} | {'ok' if r['delay_ok'] else 'NO'} |")
    total_expected = sum(r["expected"] for r in rows)
    total_found = sum(r["found"] for r in rows)
    lines.append(f"\nfound {total_found} of {total_expected} reports; noise taken "
                 f"{sum(len(r['noise_taken']) for r in rows)}; other pages taken {sum(len(r['other_taken']) for r in rows)}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    names = [a for a in argv if not a.startswith("--")] or list(PORTAL_NAMES)
    rows = [score_portal(name) for name in names]
    print(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else format_table(rows))
    return 0 if all(r["found"] == r["expected"] and not r["noise_taken"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
