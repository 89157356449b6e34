"""Crawl stage, the frontier: the pages one run still has to open, best first.

Order (lower first): start pages, annual-report columns and their list pages, report pages, attachments,
then disclosure hubs and department/township sub-sites (nearest first: their depth is added), and the
site search last (its results mostly repeat the columns and can run to hundreds of pages).
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field

LIST_KINDS = ("start", "column", "list", "search", "hub", "unit")
EXPLORED = ("hub", "unit")  # kinds opened only within max_depth
PRIORITY = {"start": 0, "column": 1, "list": 1, "report": 3, "attachment": 4, "hub": 10, "unit": 12, "search": 30}


@dataclass(order=True)
class Task:
    """One page to open: its kind, depth (links from a start URL), the link text and page that led to it."""

    priority: int
    seq: int
    url: str = field(compare=False)
    kind: str = field(compare=False)
    depth: int = field(compare=False, default=0)
    title: str | None = field(compare=False, default=None)
    parent: str | None = field(compare=False, default=None)
    note: str | None = field(compare=False, default=None)


class Frontier:
    """A priority queue of `Task`s in which each URL is queued once per run."""

    def __init__(self):
        self.heap: list[Task] = []
        self.queued: set[str] = set()
        self.seq = itertools.count()

    def __bool__(self) -> bool:
        return bool(self.heap)

    def __contains__(self, url: str) -> bool:
        return url in self.queued

    def push(self, url: str, kind: str, depth: int, title: str | None = None, parent: str | None = None,
             note: str | None = None) -> None:
        """Queue `url` unless it was queued before in this run."""
        if url in self.queued:
            return
        self.queued.add(url)
        priority = PRIORITY[kind] + (depth if kind in EXPLORED else 0)
        heapq.heappush(self.heap, Task(priority, next(self.seq), url, kind, depth, title, parent, note))

    def pop(self) -> Task:
        """The best task left."""
        return heapq.heappop(self.heap)
