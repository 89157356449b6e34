"""Search page and JSON search API: request parameters → `indexer.search` → template or JSON."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, g, jsonify, render_template, request

from indexer.engines import EngineError, open_engine
from indexer.query import QueryError
from indexer.report import SECTION_LABELS
from indexer.search import FILTER_FIELDS, SearchRequest, search

blueprint = Blueprint("search", __name__)

FACET_TITLES = {"agency": "机构", "year": "年度", "section": "章节", "province": "省份", "city": "城市",
                "county": "区县"}


def engine():
    """This request's engine (a Whoosh searcher is not thread-safe: one per request)."""
    if "engine" not in g:
        settings = current_app.config["NIANBAO"]
        g.engine = open_engine(settings.index.engine, settings.paths.index)
    return g.engine


def request_from_args(args) -> SearchRequest:
    """The SearchRequest a URL's query string describes (same names as the CLI options)."""
    def number(name: str, default: int) -> int:
        try:
            return int(args.get(name, default))
        except ValueError:
            return default

    filters = {name: tuple(v for v in args.getlist(name) if v) for name in FILTER_FIELDS}
    return SearchRequest(q=args.get("q", "").strip(), filters={k: v for k, v in filters.items() if v},
                         sort=args.get("sort", "relevance"), page=number("page", 1),
                         per_page=number("per_page", 10))


def toggle_url(search_request: SearchRequest, name: str, value) -> str:
    """URL of the same search with one facet value switched on or off (back to page 1)."""
    filters = {k: list(v) for k, v in search_request.filters.items()}
    values = filters.setdefault(name, [])
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return "?" + urlencode(_params(search_request, filters, page=1), doseq=True)


def page_url(search_request: SearchRequest, page: int) -> str:
    """URL of another page of the same search."""
    filters = {k: list(v) for k, v in search_request.filters.items()}
    return "?" + urlencode(_params(search_request, filters, page=page), doseq=True)


def _params(search_request: SearchRequest, filters: dict, page: int) -> list[tuple[str, str]]:
    params = [("q", search_request.q)] + [(k, v) for k, values in filters.items() for v in values]
    if search_request.sort != "relevance":
        params.append(("sort", search_request.sort))
    if page > 1:
        params.append(("page", str(page)))
    return params


@blueprint.route("/")
def search_page():
    search_request = request_from_args(request.args)
    result, error, status = None, None, 200
    if search_request.q or search_request.filters:
        try:
            result = search(engine(), search_request)
        except QueryError as exc:
            error, status = str(exc), 400
        except EngineError as exc:
            error, status = f"索引不可用：{exc}", 503
    return render_template("search.html", request_=search_request, result=result, error=error,
                           facet_titles=FACET_TITLES, toggle_url=toggle_url, page_url=page_url,
                           section_labels=SECTION_LABELS), status


@blueprint.route("/api/search")
def api_search():
    try:
        result = search(engine(), request_from_args(request.args))
    except QueryError as exc:
        return jsonify({"error": exc.message, "suggestion": exc.suggestion}), 400
    except EngineError as exc:
        return jsonify({"error": str(exc)}), 503
    return jsonify(result.to_json())
