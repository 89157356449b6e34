"""Serve stage, report viewer: metadata, section contents, full text with the query highlighted, original file."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from markupsafe import Markup, escape

from indexer.cite import ANCHOR, Position, parse_position
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
    cited = None
    try:
        cited = parse_position(report_id, request.args, {s.section_no: len(s.text) for s in detail.sections})
    except ValueError as exc:
        notice = f"无法定位：{exc}"
    sections, hits = highlighted_sections(detail, terms, cited)
    return render_template("report.html", report=detail, query=query, sections=sections, hits=hits,
                           notice=notice, section_labels=SECTION_LABELS,
                           cited=cited, anchor=ANCHOR, copies=copies_of(engine(), settings().paths.index, report_id))


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


# Stored files a browser may show in place: HTML only inside a CSP sandbox (no scripts, forms, plugins or
# requests to other sites), so the page as fetched is readable yet has no powers on our origin.
VIEWABLE_TYPES = ("text/html", "text/plain", "text/markdown")
ARCHIVED_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@blueprint.route("/reports/<report_id>/archived")
def archived_file(report_id: str):
    """The archived original shown in the browser (text and HTML, sandboxed); other types are downloaded."""
    detail = read_report_detail(engine(), settings().paths.corpus, report_id)
    if detail is None or detail.document is None:
        abort(404)
    viewable = detail.download_type in VIEWABLE_TYPES
    response = send_file(detail.document.path, mimetype=detail.download_type, as_attachment=not viewable,
                         download_name=detail.download_name, max_age=3600)
    response.headers["Content-Type"] = detail.download_type + _utf8_charset(detail.document.path, viewable)
    response.headers["Content-Security-Policy"] = ARCHIVED_POLICY
    return response


def _utf8_charset(path, viewable: bool) -> str:
    """`; charset=utf-8` for a viewable file that is valid UTF-8 (browsers guess wrong for plain text without
    it); otherwise nothing, and an HTML page's own `<meta charset>` decides (many portals serve GBK)."""
    if not viewable:
        return ""
    try:
        path.read_bytes().decode("utf-8")
    except (UnicodeDecodeError, OSError):
        return ""
    return "; charset=utf-8"


def highlighted_sections(detail: ReportDetail, terms: tuple[str, ...],
                         cited: Position | None = None) -> tuple[list[tuple], int]:
    """(section, highlighted HTML) per section, hits numbered `hit-1`, `hit-2`… across the report; the
    `cited` occurrence (a permalink's) is marked `cited` after an `#occurrence` anchor."""
    out, number = [], 0
    for section in detail.sections:
        spans = match_spans(section.text, terms) if terms else []
        here = (cited.offset, cited.offset + cited.length) if cited and cited.section_no == section.section_no else None
        out.append((section, numbered_marks(section.text, spans, number, here)))
        number += len(spans)
    return out, number


def numbered_marks(text: str, spans: list[tuple[int, int]], before: int,
                   cited: tuple[int, int] | None = None) -> Markup:
    """Escaped `text` with each span in `<mark id="hit-N">`, counting on from `before`; the `cited` span is
    marked too (as that hit when they coincide; hits it only overlaps are shown as the cited span)."""
    marks = [(start, end, Markup(' id="hit-{}"').format(n) + (Markup(' class="cited" tabindex="-1"')
                                                             if (start, end) == cited else ""))
             for n, (start, end) in enumerate(spans, start=before + 1)]
    if cited and cited not in spans:
        marks = [m for m in marks if m[1] <= cited[0] or m[0] >= cited[1]]
        marks.append((*cited, Markup(' class="cited" tabindex="-1"')))
    parts, last = [], 0
    for start, end, attributes in sorted(marks, key=lambda m: m[0]):
        parts.append(escape(text[last:start]))
        anchor = Markup('<span id="{}"></span>').format(ANCHOR) if (start, end) == cited else ""
        parts.append(anchor + Markup("<mark{}>{}</mark>").format(attributes, text[start:end]))
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
