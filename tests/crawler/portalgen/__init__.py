"""Generated fixture portals that look like the country (issue 14): CMS-family templates assembled into
whole county portals, served by a real `PortalServer`, each knowing its truth.

    from tests.crawler.portalgen import build_portal, PORTAL_NAMES
    portal = build_portal("trs-hub-gbk")
    with portal.serve() as server: ...          # crawl from server.url("/") only
    portal.reports, portal.noise                # paths a crawler must / must not store

`python -m tests.crawler.portalgen score` crawls every portal from its home page and prints a table of
reports expected / found / noise taken (see `score.py`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tests.crawler.portalgen.catalog import BUILDERS, CRAWL_DELAY
from tests.crawler.portalgen.site import EDITED, Site, file_bytes, report_text
from tests.crawler.server import PortalServer, Resource

PORTAL_NAMES = tuple(BUILDERS)
_MARK = "推进政务公开标准化"  # a sentence every generated report text has


@dataclass(frozen=True)
class GeneratedPortal:
    """A generated portal: its routes and what a perfect crawl of it stores."""

    name: str
    family: str
    depth: int          # hub pages between the home page and the (first) annual-report column
    site: Site
    crawl_delay: float = CRAWL_DELAY

    @property
    def encoding(self) -> str:
        return self.site.encoding.label

    @property
    def reports(self) -> set[str]:
        """Paths (with query) of every report page and attachment the crawler must store."""
        return set(self.site.reports)

    @property
    def noise(self) -> set[str]:
        """Paths of pages and files that look close to reports but must not be stored."""
        return set(self.site.noise)

    @property
    def disallowed(self) -> set[str]:
        """Report paths robots.txt forbids: never requested, recorded as skipped."""
        return set(self.site.disallowed)

    def serve(self) -> PortalServer:
        return PortalServer(self.site.routes, self.site.dynamic)

    def editable_report(self) -> str:
        """A report (an HTML page with its full text if there is one, else a file) that `edited` can change."""
        pages = [p for p in sorted(self.site.reports) if p.endswith(".html") and
                 _MARK in self.site.routes[p].body.decode(self.site.encoding.name)]
        return (pages or sorted(self.site.reports))[0]

    def edited(self, path: str, phrase: str) -> Resource:
        """The report at `path` with `phrase` added to its text, and a newer Last-Modified."""
        old = self.site.routes[path]
        if not path.endswith(".html"):
            agency, year = re.match(r"(.+?)(\d{4})年度", self.site.reports[path]).groups()
            lines = report_text(agency, int(year), phrase)
            return Resource(file_bytes(path.rsplit(".", 1)[1], [self.site.reports[path], *lines]),
                            old.content_type, last_modified=EDITED)
        text = old.body.decode(self.site.encoding.name).replace(_MARK, f"{phrase}，{_MARK}")
        return Resource(text.encode(self.site.encoding.name), old.content_type, last_modified=EDITED)


def build_portal(name: str) -> GeneratedPortal:
    """Generate the portal called `name` (one of `PORTAL_NAMES`)."""
    builder, family, depth = BUILDERS[name]
    return GeneratedPortal(name, family, depth, builder())
