"""Serve stage, phrase concordance (KWIC) page with its per-year trend chart."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from indexer.cite import ANCHOR
from indexer.engines import EngineError
from indexer.kwic import KWIC_SORTS, concordance
from indexer.query import QueryError
from indexer.read.report import SECTION_LABELS
from webui import trend
from webui.params import filters_from_args
from webui.views import engine

blueprint = Blueprint("kwic", __name__)
LINES_PER_PAGE = 200
SORT_TITLES = {"year": "年份", "agency": "机构", "left": "左侧语境", "right": "右侧语境"}


def kwic_args(args) -> tuple[str, dict, str]:
    """(phrase, filters, sort) from a KWIC URL; same filter names as the search page."""
    return args.get("q", ""), filters_from_args(args), args.get("sort", "year")


@blueprint.route("/kwic")
def kwic_page():
    """The concordance of a phrase with its trend chart, sortable and paged."""
    result, error, status = None, None, 200
    try:
        phrase, filters, sort = kwic_args(request.args)
    except QueryError as exc:
        phrase, filters, sort = request.args.get("q", ""), {}, "year"
        error, status = (exc.message, exc.suggestion), 400
    if error is None and phrase.strip():
        try:
            result = concordance(engine(), phrase, filters, sort)
        except QueryError as exc:
            error, status = (exc.message, exc.suggestion), 400
        except EngineError as exc:
            error, status = (f"索引暂不可用：{exc}", "请稍后再试，或请管理员运行 nianbao index。"), 503
    trend_chart = trend.trend_chart(engine(), result, filters, request.args.get("trend")) if result else None
    pages = max(1, -(-len(result.lines) // LINES_PER_PAGE)) if result else 1
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    lines = result.lines[(page - 1) * LINES_PER_PAGE:page * LINES_PER_PAGE] if result else ()
    return render_template("kwic.html", phrase=phrase, filters=filters, sort=sort if sort in KWIC_SORTS else "year",
                           result=result, lines=lines, page=page, pages=pages, first=(page - 1) * LINES_PER_PAGE,
                           error=error, trend_chart=trend_chart, percent=trend.percent, sorts=SORT_TITLES,
                           section_labels=SECTION_LABELS, anchor=ANCHOR), status
