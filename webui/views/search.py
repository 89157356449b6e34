"""Serve stage, search page: query string → `indexer.search` → results grouped by report, facets, chips."""
from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from indexer.engines import EngineError
from indexer.query import QueryError, parse_query, positive_texts
from indexer.read.report import SECTION_LABELS
from indexer.search import SearchRequest, SearchResult, search, with_readings
from webui.facets import facet_groups, region_facets
from webui.params import active_chips, clear_url, filter_params, page_url, query_string, request_from_args, sort_url
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
    facet_request = as_read(result) if result else search_request
    groups = facet_groups(facet_request, result.facet_choices()) if result else []
    regions, region_flat = region_facets(facet_request, result.facet_choices()) if result else ([], [])
    home = home_context() if result is None and error is None else {}
    return render_template(
        "search.html", request_=search_request, result=result, error=error, groups=groups, regions=regions,
        region_flat=region_flat, page_url=page_url, sort_url=sort_url, query_string=query_string(search_request),
        chips=active_chips(search_request, SECTION_LABELS, result.interpreted if result else ()),
        clear_url=clear_url(search_request, result.interpreted if result else ()),
        section_labels=SECTION_LABELS, kwic_links=kwic_links(result) if result else [], **home,
    ), status


def as_read(result: SearchResult) -> SearchRequest:
    """The request with its query words' readings made explicit: the words out of `q`, their values in the
    filters. Facet links built on it untick 金凤区 like any value, or add a second county beside it (the chip,
    not the facet, is what searches the word as text)."""
    words = {reading.word for reading in result.interpreted}
    rest = " ".join(token for token in result.request.q.split() if token not in words)
    return dataclasses.replace(result.request, q=rest,
                               filters=with_readings(result.request.filters, result.interpreted))


def kwic_links(result: SearchResult) -> list[tuple[str, str]]:
    """(phrase, concordance URL) for each word or phrase the search asks for, the search's filters kept:
    `一窗受理 OR 一网通办` offers one concordance per alternative, never the two as one literal phrase."""
    read = {reading.word for reading in result.interpreted}
    texts = [t for t in positive_texts(parse_query(result.request.q)) if t not in read]
    params = filter_params(with_readings(result.request.filters, result.interpreted))
    return [(text, url_for("kwic.kwic_page") + "?" + urlencode([("q", text)] + params)) for text in texts]
