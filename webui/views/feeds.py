"""Serve stage, saved searches as Atom feeds: `/feed.atom?<search parameters>` and `/batch/feed.atom?<batch parameters>`.

The subscription is the URL (same parameters as the search page), no account; the document is built from the
index on each request, so it grows after every crawl and index (`indexer.feeds`).
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.engines import EngineError
from indexer.feeds import FeedInfo, atom_document, batch_feed_entries, search_feed_entries
from indexer.query import QueryError
from webui.params import FIELD_TITLES, query_string, request_from_args
from webui.views import engine, settings
from webui.views.batch import batch_args

blueprint = Blueprint("feeds", __name__)
ATOM = "application/atom+xml; charset=utf-8"


def feed_title(subject: str, filters: dict[str, tuple[str, ...]]) -> str:
    """A feed's name for people: what it follows (the query, a batch) and every filter, in words."""
    parts = [subject] if subject else []
    parts += [f"{FIELD_TITLES.get(name, name)}：{'、'.join(values)}" for name, values in filters.items()]
    return "年报搜索 · " + ("；".join(parts) or "全部新收录的报告")


def _report_url(report_id: str) -> str:
    return url_for("report.report_page", report_id=report_id, _external=True)


def _problem(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


@blueprint.route("/feed.atom")
def search_feed():
    """The newest reports a search finds, as Atom (page, per_page and sort are ignored: a feed is newest first)."""
    try:
        search_request = request_from_args(request.args)
        entries = search_feed_entries(engine(), settings().paths.index, search_request)
    except QueryError as exc:
        return _problem(f"{exc.message} {exc.suggestion}", 400)
    except EngineError as exc:
        return _problem(f"索引暂不可用：{exc}", 503)
    params = query_string(search_request)
    subject = f"“{search_request.q}”" if search_request.q else ""
    info = FeedInfo(title=feed_title(subject, search_request.filters),
                    self_url=url_for("feeds.search_feed", _external=True) + params,
                    page_url=url_for("search.search_page", _external=True) + params, report_url=_report_url)
    return Response(atom_document(info, entries), mimetype=ATOM)


@blueprint.route("/batch/feed.atom")
def batch_feed():
    """The newest reports matching any term of a batch (with the search page's filters), as Atom. Takes the
    batch page's own parameters (`list=<id>` or repeated `term=`; also `terms=`, one term per line)."""
    try:
        args = request.args
        if args.get("terms") and not (args.get("list") or args.get("term")):
            args = MultiDict([(k, v) for k, v in args.items(multi=True) if k != "terms"]
                             + [("term", line) for v in args.getlist("terms") for line in v.splitlines()])
        terms, filters = batch_args(args)
        if not terms:
            return _problem("缺少检索词：请用 list、term 或 terms 参数给出（每行一个）。", 400)
        entries = batch_feed_entries(engine(), settings().paths.index, list(terms), filters)
    except QueryError as exc:
        return _problem(f"{exc.message} {exc.suggestion}", 400)
    except EngineError as exc:
        return _problem(f"索引暂不可用：{exc}", 503)
    name = "、".join(terms[:5]) + (f" 等 {len(terms)} 个词" if len(terms) > 5 else "")
    info = FeedInfo(title=feed_title(f"批量：{name}", filters), self_url=request.url,
                    page_url=url_for("batch.batch_page", _external=True) + "?" + urlencode(list(args.items(multi=True))),
                    report_url=_report_url)
    return Response(atom_document(info, entries), mimetype=ATOM)
