"""Serve stage, search page: query string → `indexer.search` → results grouped by report, facets, chips."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from indexer.engines import EngineError
from indexer.query import QueryError
from indexer.read.report import SECTION_LABELS
from indexer.search import SearchRequest, search
from webui.facets import facet_groups, region_facets
from webui.params import active_chips, page_url, query_string, request_from_args, sort_url
from webui.views import engine
from webui.views.home import home_context

blueprint = Blueprint("search", __name__)


@blueprint.route("/")
def search_page():
    """The search page: form, results grouped by report, facets, chips, sort and pages."""
    result, error, status = None, None, 200
    try:
        search_request = request_from_args(request.args, strict=False)
    except QueryError as exc:
        search_request, error, status = SearchRequest(q=request.args.get("q", "").strip()), (
            exc.message, exc.suggestion), 400
    if error is None and (search_request.q or search_request.filters):
        try:
            result = search(engine(), search_request)
        except QueryError as exc:
            error, status = (exc.message, exc.suggestion), 400
        except EngineError as exc:
            error, status = (f"索引暂不可用：{exc}", "请稍后再试，或请管理员运行 nianbao index。"), 503
    groups = facet_groups(search_request, result.facets) if result else []
    regions, region_flat = region_facets(search_request, result.facets) if result else ([], [])
    home = home_context() if result is None and error is None else {}
    return render_template(
        "search.html", request_=search_request, result=result, error=error, groups=groups, regions=regions,
        region_flat=region_flat, chips=active_chips(search_request, SECTION_LABELS), page_url=page_url,
        sort_url=sort_url, query_string=query_string(search_request), section_labels=SECTION_LABELS, **home,
    ), status
