"""Serve stage, batch search page: a pasted or uploaded term list → counts per term, by year and agency.

The form posts the list (so a file can be uploaded); the answer is a redirect to a GET permalink that reruns
the batch on today's index: `/batch?list=<id>` (the list stored under its content id beside the state
database) or, when nothing can be stored, `/batch?term=…&term=…` with the terms in the URL. Filters are the
search page's parameters. `/export/batch.csv` and `/api/batch` take the same parameters.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.batch import (
    CSV_COLUMNS,
    MAX_FILE_BYTES,
    MAX_TERMS,
    BatchResult,
    decode_terms_file,
    parse_terms,
    read_terms,
    run_batch,
    store_terms,
)
from indexer.cite import Citer
from indexer.engines import EngineError
from indexer.query import QueryError
from indexer.schema import BY_NAME, FILTER_FIELDS
from webui.params import filters_from_args
from webui.views import engine, settings
from webui.views.export import csv_response

blueprint = Blueprint("batch", __name__)
MAX_FORM_BYTES = MAX_FILE_BYTES + 64 * 1024
MAX_BY_AGENCY = 5


def lists_folder() -> Path:
    """Where term lists are stored: `batches/` beside the state database."""
    return Path(settings().paths.state).parent / "batches"


def batch_args(args) -> tuple[tuple[str, ...], dict]:
    """(terms, filters) of a batch URL: `list=<id>` or repeated `term=`, plus the search filters."""
    filters = filters_from_args(args)
    if args.get("list"):
        return read_terms(lists_folder(), args["list"]), filters
    return parse_terms("\n".join(args.getlist("term"))), filters


def permalink_params(terms: tuple[str, ...], filters: dict) -> list[tuple[str, str]]:
    """The GET parameters that rerun this batch: a stored list id, or the terms themselves."""
    try:
        head = [("list", store_terms(lists_folder(), terms))]
    except OSError:  # a read-only state folder: the terms travel in the URL instead
        head = [("term", term) for term in terms]
    return head + [(name, value) for name, values in filters.items() for value in values]


@blueprint.route("/batch", methods=["GET", "POST"])
def batch_page():
    """The form, and (with `list=` or `terms=`) the counts per term."""
    if request.method == "POST":
        return _submitted()
    result, error, status, terms, filters = None, None, 200, (), {}
    if request.args.get("list") or request.args.get("term"):
        try:
            terms, filters = batch_args(request.args)
            result = run_batch(engine(), terms, filters)
        except QueryError as exc:
            error, status = (exc.message, exc.suggestion), 400
        except EngineError as exc:
            error, status = (f"索引暂不可用：{exc}", "请稍后再试，或请管理员运行 nianbao index。"), 503
    query = urlencode(list(request.args.items(multi=True)))
    return render_template("batch.html", result=result, error=error, terms=terms, filters=filters, query=query,
                           fields=[BY_NAME[name] for name in FILTER_FIELDS], max_terms=MAX_TERMS,
                           max_by_agency=MAX_BY_AGENCY, top_agencies=top_agencies), status


def _submitted():
    """A posted list (textarea and/or file): store it, then redirect to its permalink (POST → GET)."""
    if (request.content_length or 0) > MAX_FORM_BYTES:
        abort(413, f"提交的内容过大（上限 {MAX_FORM_BYTES // 1024} KB）。请分批提交。")
    request.max_content_length = MAX_FORM_BYTES  # chunked bodies too
    try:
        text = request.form.get("terms", "")
        upload = request.files.get("file")
        if upload and upload.filename:
            text += "\n" + decode_terms_file(upload.read(MAX_FILE_BYTES + 1), upload.filename)
        # The form has a box for every filter field: the ones left empty are no filter.
        filled = MultiDict([(k, v) for k, v in request.form.items(multi=True) if k != "terms" and v.strip()])
        terms, filters = parse_terms(text), filters_from_args(filled)
    except QueryError as exc:
        return render_template("batch.html", result=None, error=(exc.message, exc.suggestion),
                               terms=(), filters={}, query="", fields=[BY_NAME[n] for n in FILTER_FIELDS],
                               max_terms=MAX_TERMS, max_by_agency=MAX_BY_AGENCY, typed=request.form.get("terms", ""),
                               top_agencies=top_agencies), 400
    return redirect(url_for("batch.batch_page") + "?" + urlencode(permalink_params(terms, filters)), code=303)


def top_agencies(by_agency: dict, limit: int = MAX_BY_AGENCY) -> list[tuple[str, list[int]]]:
    """The agencies with the most occurrences first."""
    return sorted(by_agency.items(), key=lambda item: (-item[1][1], item[0]))[:limit]


@blueprint.route("/export/batch.csv")
def batch_csv():
    """One row per term and report, every row with its citation (source address included)."""
    result = _run_or_400()
    return csv_response(CSV_COLUMNS, result.csv_rows(Citer(settings().paths.corpus, request.url_root)),
                        "nianbao-batch.csv")


def _run_or_400() -> BatchResult:
    try:
        terms, filters = batch_args(request.args)
        return run_batch(engine(), terms, filters)
    except QueryError as exc:
        abort(400, f"{exc.message} {exc.suggestion or ''}".strip())
