"""Serve stage: Flask pages and the JSON API over `indexer.search`, `indexer.reports` and `indexer.kwic`."""
from __future__ import annotations

import atexit
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask

from indexer.engines.cache import EngineCache
from nianbao.config import Settings

if TYPE_CHECKING:
    from webui.admin import ConsoleOperations

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(settings: Settings, *, operations: ConsoleOperations | None = None) -> Flask:
    """The web application for `settings`. It owns its engine cache (`app.extensions["nianbao.engines"]`),
    closed when the process exits (or earlier by whoever stops serving).

    `operations` is the shell's operations service (`nianbao.status.Operations`) the console reads and
    queues recrawls through; without it the console answers 503 and the public site works as ever.
    """
    app = Flask(__name__)
    app.config["NIANBAO"] = settings
    engines = EngineCache(settings.index.engine, settings.paths.index, settings.index.options())
    app.extensions["nianbao.engines"] = engines
    atexit.register(engines.close)
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # keep the documented field order (query, total, hits, facets …)

    from webui.views import api, batch, compare, data, errors, export, feeds, kwic, report, search

    for module in (search, report, kwic, export, api, data, compare, feeds, batch):
        app.register_blueprint(module.blueprint)
    errors.register(app)
    from webui import admin

    admin.register(app, operations)
    app.jinja_env.filters["safe_url"] = safe_url
    app.jinja_env.tests["portal_home"] = portal_home
    from webui.public_url import PublicURL

    app.wsgi_app = PublicURL(app.wsgi_app, settings.web.public_url)  # absolute links never echo the Host header

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    return app


def safe_url(url: str | None) -> str:
    """Only http(s) links reach an href: report URLs are untrusted (no `javascript:`)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else "#"


def portal_home(url: str | None) -> bool:
    """Whether a report's `url` is only its portal's home page (the report's own address is unknown, as for
    the bundled demo reports): the "原文" link then says so instead of promising the report."""
    parts = urlsplit((url or "").strip())
    return bool(parts.netloc) and not parts.query and parts.path.lower() in ("", "/", "/index.html", "/index.htm")
