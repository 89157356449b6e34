"""Serve stage, home page: the search page without a query or filters (`templates/home.html`, included by
`search.html`). It says what the index holds (totals, coverage by province → city → county and by year,
newest reports), lets people browse by region, year and agency without typing a query (each link is the
results page with filters and an empty query, newest first), and shows how to add a county portal.

The overview is computed by `indexer.overview` and cached per index generation; a missing or broken index
still gets the page, with the steps that build one.
"""
from __future__ import annotations

from flask import url_for

from indexer.engines import EngineError
from indexer.overview import OVERVIEWS, Overview
from webui.views import engine, settings

AGENCIES_SHOWN = 12
AGENCIES_LISTED = 500
# The portal entry the home page and the README show (tests load it with the real config loader).
PORTAL_EXAMPLE = '''[[portals]]
name = "pingtan"
title = "平潭综合实验区党工委管委会"
start_urls = ["https://www.pingtan.gov.cn/"]
allowed_hosts = ["www.pingtan.gov.cn"]
region = ["福建省", "福州市", "平潭综合实验区"]'''


def home_context() -> dict:
    """What `home.html` shows: the overview (None with `home_error` when the index cannot be read)."""
    overview, error = None, None
    try:
        overview = OVERVIEWS.overview(engine(), settings().paths.corpus)
    except EngineError as exc:
        error = f"索引暂不可用：{exc}"
    return {"overview": overview, "home_error": error, "browse_url": browse_url, "portal_example": PORTAL_EXAMPLE,
            "first_run": first_run(overview), "agencies_shown": AGENCIES_SHOWN, "agencies_listed": AGENCIES_LISTED}


def first_run(overview: Overview | None) -> bool:
    """Whether the index cannot show other years, trends and comparisons yet (no agency reports twice)."""
    return overview is None or not overview.repeated_agencies


def browse_url(*path: tuple[str, object]) -> str:
    """The results page listing every report under the filters `path` (an empty query), newest first."""
    return url_for("search.search_page", **{name: value for name, value in path}, sort="year")
