"""Serve stage, year to year: one agency's two reports side by side as a stacked, section-aligned diff."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from indexer.compare import compare_reports, default_partner
from indexer.reports import read_report_detail
from webui.views import engine, settings

blueprint = Blueprint("compare", __name__)


@blueprint.route("/reports/<report_id>/compare")
def compare_page(report_id: str):
    """The report compared with another year of its agency (`with`, default: the closest earlier year)."""
    detail = read_report_detail(engine(), settings().paths.corpus, report_id)
    if detail is None:
        abort(404)
    partner = request.args.get("with", "").strip() or default_partner(detail.record, detail.other_years)
    comparison = compare_reports(engine(), report_id, partner) if partner else None
    if partner and comparison is None:
        abort(404)
    return render_template("compare.html", report=detail, partner=partner, comparison=comparison)
