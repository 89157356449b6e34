"""Crawl stage, portal contracts: what a portal entry expects a run to find, checked after every run.

Pure. In the spirit of scrapy's spider contracts: `expect_min_reports` (report pages and attachments
discovered, robots-skipped ones not counted), `expect_families` (CMS families of the list pages that held
reports) and `expect_years` (report years named in the titles found). A portal redesign that empties a
column breaks the contract the day it happens; `nianbao status` and the console show it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from nianbao.config import PortalSettings


@dataclass(frozen=True)
class Findings:
    """What one run found on a portal, as a contract sees it."""

    reports: int
    families: frozenset[str]
    years: Counter


@dataclass(frozen=True)
class Check:
    """One expectation and what the run found."""

    name: str
    expected: object
    found: object
    ok: bool

    def to_json(self) -> dict:
        return {"name": self.name, "expected": self.expected, "found": self.found, "ok": self.ok}


@dataclass(frozen=True)
class ContractResult:
    """Every expectation of a portal checked against one run."""

    portal: str
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def to_json(self) -> dict:
        return {"ok": self.ok, "checks": [check.to_json() for check in self.checks]}


def check_contract(portal: PortalSettings, found: Findings) -> ContractResult | None:
    """The portal's contract checked against `found`; None when the entry states no expectation."""
    if not portal.has_contract:
        return None
    checks = []
    if portal.expect_min_reports is not None:
        checks.append(Check("min_reports", portal.expect_min_reports, found.reports,
                            found.reports >= portal.expect_min_reports))
    if portal.expect_families:
        missing = sorted(set(portal.expect_families) - found.families)
        checks.append(Check("families", sorted(portal.expect_families), sorted(found.families), not missing))
    if portal.expect_years:
        present = sorted(y for y in portal.expect_years if found.years.get(y))
        checks.append(Check("years", sorted(portal.expect_years), present, len(present) == len(portal.expect_years)))
    return ContractResult(portal.name, tuple(checks))


def describe_json(result: dict) -> str:
    """One line for the terminal from `ContractResult.to_json()`: it holds, or which expectation failed."""
    if result["ok"]:
        return "契约 contract: holds (" + ", ".join(f"{c['name']} {_short(c['found'])}" for c in result["checks"]) + ")"
    broken = "; ".join(f"{c['name']}: expected {_short(c['expected'])}, found {_short(c['found'])}"
                       for c in result["checks"] if not c["ok"])
    return f"契约 contract: BROKEN — {broken}"


def _short(value: object) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)
