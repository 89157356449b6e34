"""Crawl stage, `nianbao check-portal`: crawl one portal with a small budget into a scratch folder (the real
corpus and crawl database are never written, except that the contract result is recorded for `status` and
the console) and say what was found and how: families, columns, list pages, reports per year, contract.
"""
from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crawler.crawl import PortalSummary, crawl_portal
from crawler.state import CrawlState
from nianbao.config import PortalSettings, Settings

DEFAULT_BUDGET = 60


@dataclass(frozen=True)
class PortalCheck:
    """What a small crawl of a portal found, and whether the portal's contract holds."""

    portal: str
    summary: PortalSummary
    holds: bool

    @property
    def columns(self) -> list[dict]:
        """The list pages that held reports (columns and their pages), in visiting order."""
        return [v for v in self.summary.visits if v["reports"]]

    @property
    def families(self) -> list[str]:
        return sorted({v["family"] for v in self.columns if v["family"]})

    def to_json(self) -> dict:
        summary = self.summary
        return {"portal": self.portal, "holds": self.holds, "outcome": summary.outcome, "families": self.families,
                "columns": self.columns, "pages": summary.pages, "budget": summary.budget,
                "reports": summary.found, "years": summary.years,
                "skips": [{"url": s.url, "reason": s.reason} for s in summary.skips],
                "failures": [{"url": f.url, "reason": f.reason} for f in summary.failures],
                "contract": summary.contract}


def check_portal(settings: Settings, portal: PortalSettings, max_pages: int = DEFAULT_BUDGET) -> PortalCheck:
    """Crawl `portal` into a scratch folder with at most `max_pages` list pages; record the contract result."""
    budget = min(max_pages, portal.max_pages or max_pages)
    with tempfile.TemporaryDirectory(prefix="nianbao-check-") as folder:
        scratch = dataclasses.replace(settings, paths=dataclasses.replace(
            settings.paths, corpus=Path(folder) / "corpus", state=Path(folder) / "state.sqlite3"))
        summary = crawl_portal(scratch, dataclasses.replace(portal, max_pages=budget))
    found = summary.found
    if summary.contract is None:  # no contract: a portal that yields no report is still broken
        holds = summary.outcome == "completed" and found > 0
    else:
        holds = summary.contract["ok"]
    with CrawlState(settings.paths.state) as state:
        checks = summary.contract["checks"] if summary.contract else [
            {"name": "min_reports", "expected": 1, "found": found, "ok": holds}]
        state.save_contract(portal.name, None, "check-portal", holds, checks)
    return PortalCheck(portal.name, summary, holds)


def format_check(check: PortalCheck) -> list[str]:
    """The check in words, one line each."""
    summary = check.summary
    head = (f"{check.portal}: {summary.outcome}, {summary.pages} list pages (budget {summary.budget['max_pages']}, "
            f"depth {summary.budget['max_depth']}), {summary.requests} requests, "
            f"{summary.found} reports found")
    lines = [head, f"  families: {', '.join(check.families) or 'none'}", "  columns:"]
    lines += [f"    {v['family'] or '?':7} {v['reports']:3} reports  {v['url']}  ({v['kind']}"
              f"{': ' + v['via'] if v['via'] else ''}, depth {v['depth']})" for v in check.columns] or ["    none"]
    lines.append("  reports per year: " + (" · ".join(f"{y} {n}" for y, n in summary.years.items()) or "none"))
    if summary.budget["not_visited"]:
        lines.append(f"  budget reached: {summary.budget['not_visited']} list pages not visited")
    lines += [f"  skipped ({s.reason}): {s.url}" for s in summary.skips]
    lines += [f"  failed: {f.url}: {f.reason}" for f in summary.failures]
    result = summary.contract
    if result is None:
        lines.append("  契约 contract: none configured; " + ("reports found" if check.holds else "NO REPORT FOUND"))
    else:
        lines.append("  契约 contract: " + ("holds" if result["ok"] else "BROKEN"))
        lines += [f"    {'ok ' if c['ok'] else 'NO '} {c['name']}: expected {c['expected']}, found {c['found']}"
                  for c in result["checks"]]
    return lines



