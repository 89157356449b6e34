"""Serve stage, statistics: `/data` (a measure as agencies × years, filters, chart, CSV, JSON), the chart SVG,
`/api/data`, `/api/reports/<id>/statistics`, and the statistics block of the report viewer (a template global)."""
from __future__ import annotations

from contextlib import closing
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request

from indexer.measures import FILTERS, MEASURES, UnknownMeasure, measure_table
from indexer.query import QueryError
from indexer.schema import FieldValueError, parse_year_range
from indexer.statsdb import connect, report_statistics, stats_path
from webui.statistics import chart_svg, statistics_view
from webui.views import settings

blueprint = Blueprint("data", __name__)


def _table():
    """The measure table the request's parameters ask for, or None when there is no statistics database yet."""
    measure = request.args.get("measure", "new")
    years = request.args.get("year", "")  # not stripped: the document declares exactly what is read
    filters = {name: [v.strip() for v in request.args.getlist(name) if v.strip()] for name in FILTERS}
    try:
        span = parse_year_range(years) if years else None
        with closing(connect(stats_path(settings().paths.index))) as conn:
            return measure_table(conn, measure, filters, span, request.args.get("sort", "agency"))
    except FileNotFoundError:
        return None
    except (UnknownMeasure, QueryError, FieldValueError) as exc:
        abort(400, description=getattr(exc, "message", str(exc)))


@blueprint.route("/data")
def data_page():
    """A chosen measure as agencies × years with filters, sortable, a chart, CSV and JSON links."""
    table = _table()
    args = request.args.to_dict(flat=False)
    return render_template("data.html", table=table, measures=MEASURES, args=args,
                           measure=request.args.get("measure", "new"), sort=request.args.get("sort", "agency"),
                           query_string=request.query_string.decode("utf-8", "replace"))


@blueprint.route("/data.csv")
def data_csv():
    """The same table as CSV (UTF-8 with BOM: Excel opens it with the Chinese headers intact)."""
    table = _table()
    if table is None:
        abort(404)
    return Response(table.to_csv().encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=nianbao-{table.measure}.csv"})


@blueprint.route("/data/chart.svg")
def data_chart():
    """The chart of the table, for an `<img>` (its own CSP forbids scripts even when opened directly)."""
    table = _table()
    if table is None:
        abort(404)
    width = min(max(request.args.get("width", 800, type=int), 320), 1200)  # phones get a chart drawn for them
    response = Response(chart_svg(table, width), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@blueprint.route("/api/data")
def api_data():
    """The table as JSON: measure, label, unit, years, rows (agency, region, values and report ids per year)."""
    table = _table()
    if table is None:
        return jsonify({"error": "还没有统计数据库：请先运行 nianbao index。"}), 503
    return jsonify(table.to_json())


@blueprint.route("/api/reports/<report_id>/statistics")
def api_report_statistics(report_id: str):
    """One report's stored statistics: the `parse --json` `statistics` shape, cross-year checks included."""
    found = stored_statistics(report_id)
    if found is None:
        return jsonify({"error": f"没有编号为 {report_id} 的报告的统计数据。"}), 404
    return jsonify(found)


def stored_statistics(report_id: str) -> dict | None:
    try:
        with closing(connect(stats_path(settings().paths.index))) as conn:
            return report_statistics(conn, report_id)
    except FileNotFoundError:
        return None


@blueprint.app_template_global()
def sorted_by(sort: str) -> str:
    """This page's query string with another `sort` (the other parameters kept)."""
    kept = [(k, v) for k, values in request.args.lists() if k != "sort" for v in values]
    return "?" + urlencode(kept + [("sort", sort)])


@blueprint.app_template_global()
def report_statistics_view(report_id: str) -> dict | None:
    """For the report viewer: the report's tables and checks as plain data (None when nothing was read)."""
    return statistics_view(stored_statistics(report_id))
