"""Serve stage, JSON API: `/api/search` (the CLI's JSON shape), `/api/reports/<id>`, `/api/kwic`, OpenAPI."""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from indexer.batch import run_batch
from indexer.cite import Citer
from indexer.engines import EngineError
from indexer.kwic import concordance
from indexer.query import QueryError
from indexer.reports import read_report_detail
from indexer.search import search
from webui.openapi import openapi_document
from webui.params import request_from_args
from webui.views import engine, settings
from webui.views.batch import batch_args
from webui.views.kwic import kwic_args

blueprint = Blueprint("api", __name__, url_prefix="/api")


@blueprint.errorhandler(QueryError)
def query_error(exc: QueryError):
    return jsonify({"error": exc.message, "suggestion": exc.suggestion}), 400


@blueprint.errorhandler(EngineError)
def engine_error(exc: EngineError):
    return jsonify({"error": str(exc)}), 503


@blueprint.route("/search")
def api_search():
    """Search results as JSON: the `nianbao search --json` shape."""
    return jsonify(search(engine(), request_from_args(request.args)).to_json())


@blueprint.route("/reports/<report_id>")
def api_report(report_id: str):
    """One report as JSON, with links to its page and its original file."""
    detail = read_report_detail(engine(), settings().paths.corpus, report_id)
    if detail is None:
        return jsonify({"error": f"没有编号为 {report_id} 的报告。"}), 404
    data = detail.to_json()
    data["links"] = {
        "page": url_for("report.report_page", report_id=report_id, _external=True),
        "original": url_for("report.original_file", report_id=report_id, _external=True) if detail.document else None,
    }
    return jsonify(data)


@blueprint.route("/kwic")
def api_kwic():
    """A concordance as JSON."""
    phrase, filters, sort = kwic_args(request.args)
    return jsonify(concordance(engine(), phrase, filters, sort).to_json())


@blueprint.route("/batch")
def api_batch():
    """Counts per term of a batch (by year and agency), each report it occurs in with its citation."""
    terms, filters = batch_args(request.args)
    return jsonify(run_batch(engine(), terms, filters).to_json(Citer(settings().paths.corpus, request.url_root)))


@blueprint.route("/openapi.json")
def api_openapi():
    """The OpenAPI document of this API."""
    return jsonify(openapi_document(request.host_url.rstrip("/")))
