"""Serve stage, CSV export of search results and of a concordance (UTF-8 with BOM so Excel reads Chinese).

Every row carries the citation columns of `indexer.cite` (source address, region, publish and fetch dates,
a permalink to the exact occurrence); columns that existed before keep their positions.
"""
from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable

from flask import Blueprint, Response, abort, request, url_for

from indexer.cite import Citer, Position, missing_columns
from indexer.engines import EngineError
from indexer.kwic import concordance
from indexer.query import QueryError
from indexer.read.report import SECTION_LABELS
from indexer.schema import CSV_LINKS_AFTER, FIELDS
from indexer.search import MAX_PER_PAGE, SearchRequest, build_query, highlight_terms, match_spans, search
from webui.params import request_from_args
from webui.views import engine, settings
from webui.views.kwic import kwic_args

blueprint = Blueprint("export", __name__)
MAX_EXPORT_REPORTS = 2000
# The exported fields in declaration order, the snippet and report-page columns after CSV_LINKS_AFTER.
_EXPORTED = tuple(s for s in FIELDS if s.exported)
_SPLIT = [s.name for s in _EXPORTED].index(CSV_LINKS_AFTER) + 1
SEARCH_COLUMNS = (tuple(s.header for s in _EXPORTED[:_SPLIT]) + ("摘要", "报告页面")
                  + tuple(s.header for s in _EXPORTED[_SPLIT:]))
# Each matching section's occurrences: where they are (section:offset+length) and the sentences holding them.
POSITION_COLUMNS = ("匹配位置", "匹配段落")
SEARCH_COLUMNS += ("抓取日期", "定位链接") + POSITION_COLUMNS
_KWIC_OWN = ("report_id", "title", "agency", "year", "section", "heading")
KWIC_COLUMNS = (("report_id", "标题", "机构", "年度", "章节", "章节标题", "左侧语境", "短语", "右侧语境", "报告页面")
                + missing_columns(_KWIC_OWN) + ("位置",))
MAX_PASSAGE_CHARS = 300
_SENTENCE_END = "。！？；\n"
# Spreadsheet programs run cells starting with these as formulas; report text is untrusted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@blueprint.route("/export/search.csv")
def search_csv():
    """All matching sections of a search (up to MAX_EXPORT_REPORTS reports) as CSV."""
    try:
        base = request_from_args(request.args, strict=False)
    except QueryError as exc:
        abort(400, str(exc))
    if not (base.q or base.filters):
        abort(400, "请先输入查询。")
    rows = []
    citer = Citer(settings().paths.corpus, request.url_root, base.q)
    try:
        terms = highlight_terms(build_query(base))
        for hit in _all_hits(base):
            page = url_for("report.report_page", report_id=hit.report_id, q=base.q or None, _external=True)
            texts = {doc.section_no: doc.text for doc in engine().report_sections(hit.report_id)}
            for s in hit.sections:
                cells = [_cell_of(f.name, hit, s) for f in _EXPORTED]
                spans = match_spans(texts.get(s.section_no, ""), terms) if terms else []
                link = (citer.link(Position(hit.report_id, s.section_no, *_offset_length(spans[0]))) if spans
                        else f"{page}#s-{s.section_no}")
                rows.append((*cells[:_SPLIT], _plain(s.snippet), page, *cells[_SPLIT:],
                             citer.fetched(hit.report_id), link,
                             *_occurrences(hit.report_id, s.section_no, texts.get(s.section_no, ""), spans)))
    except (QueryError, EngineError) as exc:
        abort(400, str(exc))
    return csv_response(SEARCH_COLUMNS, rows, "nianbao-search.csv")


@blueprint.route("/export/kwic.csv")
def kwic_csv():
    """Every line of a concordance as CSV."""
    try:
        phrase, filters, sort = kwic_args(request.args)
        result = concordance(engine(), phrase, filters, sort)
    except (QueryError, EngineError) as exc:
        abort(400, str(exc))
    citer = Citer(settings().paths.corpus, request.url_root, f'"{result.phrase}"')
    rows = [(l.report_id, l.title, l.agency, l.year or "", SECTION_LABELS.get(l.section, l.section), l.heading,
             l.left, l.match, l.right,
             url_for("report.report_page", report_id=l.report_id, q=f'"{result.phrase}"', _external=True),
             *citer.columns_after(l.values, l.at, _KWIC_OWN), l.at.label())
            for l in result.lines]
    return csv_response(KWIC_COLUMNS, rows, "nianbao-kwic.csv")


def _offset_length(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], max(1, span[1] - span[0])


def _occurrences(report_id: str, section_no: int, text: str, spans: list[tuple[int, int]]) -> tuple[str, str]:
    """(positions, passages) of a section's matches: `3:120+4; …` and the sentences holding them."""
    positions = "; ".join(Position(report_id, section_no, *_offset_length(span)).label() for span in spans)
    passages = dict.fromkeys(_passage(text, start) for start, _ in spans)
    return positions, " … ".join(passages)


def _passage(text: str, at: int) -> str:
    """The sentence around offset `at` (from the previous sentence end to the next), at most MAX_PASSAGE_CHARS."""
    start = max((text.rfind(mark, 0, at) for mark in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(mark, at) for mark in _SENTENCE_END) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    start = max(start, at - MAX_PASSAGE_CHARS // 2)
    return " ".join(text[start:min(end, start + MAX_PASSAGE_CHARS)].split())


def _all_hits(base: SearchRequest):
    for page in range(1, MAX_EXPORT_REPORTS // MAX_PER_PAGE + 1):
        result = search(engine(), SearchRequest(q=base.q, filters=base.filters, sort=base.sort, page=page,
                                                per_page=MAX_PER_PAGE))
        yield from result.hits
        if page >= result.pages:
            break


def csv_response(columns: Iterable[str], rows: Iterable[Iterable], filename: str) -> Response:
    """A CSV download: UTF-8 with BOM, CRLF lines, formula-looking cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    response = Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell_of(name: str, hit, section) -> str:
    """One exported field of a search hit's section: section fields from the section, the rest from the report."""
    if name == "section":
        return SECTION_LABELS.get(section.section, section.section)
    if name == "heading":
        return section.heading
    value = hit.report_id if name == "report_id" else hit.values.get(name)
    return "" if value is None else str(value)


def _plain(snippet_html: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", snippet_html))
