"""Serve stage, report viewer: metadata, section contents, full text with the query highlighted, original file."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from markupsafe import Markup, escape

from indexer.ledger import copies_of
from indexer.query import QueryError
from indexer.read.report import SECTION_LABELS
from indexer.reports import ReportDetail, read_report_detail
from indexer.search import SearchRequest, build_query, highlight_terms, match_spans
from webui.views import engine, settings

blueprint = Blueprint("report", __name__)


@blueprint.route("/reports/<report_id>")
def report_page(report_id: str):
    """One report: metadata, contents, full text with the query highlighted, other years."""
    detail = read_report_detail(engine(), settings().paths.corpus, report_id)
    if detail is None:
        abort(404)
    query = request.args.get("q", "").strip()
    terms, notice = (), None
    if query:
        try:
            terms = highlight_terms(build_query(SearchRequest(q=query)))
        except QueryError as exc:
            notice = f"查询无法高亮：{exc.message}"
    sections, hits = highlighted_sections(detail, terms)
    return render_template("report.html", report=detail, query=query, sections=sections, hits=hits,
                           notice=notice, section_labels=SECTION_LABELS,
                           copies=copies_of(engine(), settings().paths.index, report_id))


@blueprint.route("/reports/<report_id>/original")
def original_file(report_id: str):
    """The cached original as fetched; always a download, never rendered on our origin."""
    detail = read_report_detail(engine(), settings().paths.corpus, report_id)
    if detail is None or detail.document is None:
        abort(404)
    response = send_file(detail.document.path, mimetype=detail.download_type, as_attachment=True,
                         download_name=detail.download_name, max_age=3600)
    response.headers["Content-Type"] = detail.download_type  # Flask would append a wrong "charset=utf-8"
    # Fetched HTML is untrusted: if a browser ever renders it, give it no powers.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def highlighted_sections(detail: ReportDetail, terms: tuple[str, ...]) -> tuple[list[tuple], int]:
    """(section, highlighted HTML) per section, hits numbered `hit-1`, `hit-2`… across the report."""
    out, number = [], 0
    for section in detail.sections:
        spans = match_spans(section.text, terms) if terms else []
        out.append((section, numbered_marks(section.text, spans, number)))
        number += len(spans)
    return out, number


def numbered_marks(text: str, spans: list[tuple[int, int]], before: int) -> Markup:
    """Escaped `text` with each span in `<mark id="hit-N">`, counting on from `before`."""
    parts, last = [], 0
    for offset, (start, end) in enumerate(spans, start=before + 1):
        parts.append(escape(text[last:start]))
        parts.append(Markup('<mark id="hit-{}">{}</mark>').format(offset, text[start:end]))
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
