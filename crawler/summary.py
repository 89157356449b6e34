"""Crawl stage, results: what one crawl of one portal did (`crawl --json` prints these, the daemon logs them)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Failure:
    """A URL that could not be fetched or stored, and why, in words."""

    url: str
    reason: str


@dataclass(frozen=True)
class PortalSummary:
    """What one crawl of one portal did."""

    portal: str
    run_id: int | None
    outcome: str
    discovered: int = 0
    fetched: int = 0
    not_modified: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    gone: int = 0
    requests: int = 0
    deferred: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    failures: tuple[Failure, ...] = ()
    message: str | None = None
    skips: tuple[Failure, ...] = ()
    budget: dict = field(default_factory=dict)
    visits: tuple[dict, ...] = ()
    contract: dict | None = None
    years: dict = field(default_factory=dict)
    found: int = 0  # report pages and attachments discovered, less those robots.txt disallows

    def to_json(self) -> dict:
        """The summary as plain JSON-able data."""
        data = {k: v for k, v in self.__dict__.items() if k not in ("failures", "skips", "visits")}
        data["failures"] = [{"url": f.url, "reason": f.reason} for f in self.failures]
        data["skips"] = [{"url": f.url, "reason": f.reason} for f in self.skips]
        data["visits"] = list(self.visits)
        return data
