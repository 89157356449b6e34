"""Crawl stage, display: a progress bar while crawling and the per-portal summary in words."""
from __future__ import annotations

import sys
from collections.abc import Callable

from crawler.contract import describe_json
from crawler.crawl import PortalSummary

_LABELS = (("discovered", "发现 discovered"), ("fetched", "下载 fetched"), ("not_modified", "未修改 not modified"),
           ("new", "新增 new"), ("changed", "变更 changed"), ("unchanged", "内容未变 unchanged"),
           ("failed", "失败 failed"), ("gone", "已下线 gone"), ("deferred", "暂缓 deferred"),
           ("skipped", "跳过 skipped (robots.txt)"))


class Progress:
    """A tqdm bar on stderr, one tick per URL handled; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool | None = None):
        from tqdm import tqdm

        self.bar = tqdm(desc="crawl", unit="url", file=sys.stderr, disable=not sys.stderr.isatty()
                        if enabled is None else not enabled, dynamic_ncols=True)

    def __call__(self, event: dict) -> None:
        self.bar.set_description(event["portal"], refresh=False)
        self.bar.set_postfix(new=event["new"], changed=event["changed"], failed=event["failed"], refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        """Remove the bar."""
        self.bar.close()


def echo_summary(summary: PortalSummary, echo: Callable[[str], None]) -> None:
    """Print one portal's summary: counts, outcome, and every failure with its reason."""
    counts = ", ".join(f"{label} {getattr(summary, key)}" for key, label in _LABELS)
    echo(f"{summary.portal}: {summary.outcome} in {summary.seconds:.1f}s — {counts}; "
         f"{summary.pages} list pages, {summary.requests} requests")
    budget = summary.budget
    if budget:
        echo(f"  explored: {budget['pages']} of at most {budget['max_pages']} list pages, hubs up to depth "
             f"{budget['max_depth']} ({budget['not_visited']} left for lack of budget, {budget['too_deep']} too deep)")
    if summary.message:
        echo(f"  note: {summary.message}")
    if summary.contract is not None:
        echo(f"  {describe_json(summary.contract)}")
    for failure in summary.failures:
        echo(f"  failed: {failure.url}: {failure.reason}")
