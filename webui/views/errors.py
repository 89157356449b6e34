"""Serve stage: error pages in the site's style (JSON under /api/); no tracebacks reach the user."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from indexer.engines import EngineError

MESSAGES = {
    400: ("请求无法处理", "请检查输入的查询或参数。"),
    404: ("页面不存在", "这个地址没有内容：报告可能已被移除，或链接有误。"),
    405: ("不支持的请求方式", "这个地址只接受 GET 请求。"),
    500: ("服务器出错了", "我们已记录这个问题。请稍后再试。"),
    503: ("索引暂不可用", "请稍后再试，或请管理员运行 nianbao index。"),
}


def register(app: Flask) -> None:
    """Attach the error handlers to `app`."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(EngineError, engine_error)
    app.register_error_handler(Exception, unexpected_error)


def render_error(status: int, detail: str | None = None):
    title, hint = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    if request.path.startswith("/api/"):
        return jsonify({"error": detail or title, "status": status}), status
    return render_template("error.html", status=status, title=title, hint=hint, detail=detail), status


def http_error(exc: HTTPException):
    # Werkzeug's default descriptions are English boilerplate; only our own abort() messages are shown.
    detail = exc.description if exc.description and exc.description != type(exc).description else None
    response, status = render_error(exc.code or 500, detail)
    response = make_response(response, status)
    allowed = getattr(exc, "valid_methods", None)
    if allowed:  # RFC 9110: a 405 names the methods the resource supports
        response.headers["Allow"] = ", ".join(allowed)
    return response


def engine_error(exc: EngineError):
    return render_error(503, str(exc))


def unexpected_error(exc: Exception):
    current_app.logger.exception("unexpected error on %s", request.path)
    return render_error(InternalServerError.code)
