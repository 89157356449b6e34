"""Serve stage, absolute links: built from `[web] public_url`, never from the request's Host header.

A WSGI middleware sets the scheme, host and path prefix every absolute URL is made from (the API's links,
the OpenAPI server URL, CSV links, routing redirects such as /admin → /admin/) before Flask sees the
request, so a forged `Host:` cannot put another site into a cached page or a JSON answer. Without a public
URL the server's own name and port are used. Behind a proxy that serves Nianbao under a path
(`https://example.cn/nianbao`), the proxy must strip that prefix; it becomes SCRIPT_NAME here.
"""
from __future__ import annotations

from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": "80", "https": "443"}


class PublicURL:
    """Wrap a WSGI app so that it sees the configured public URL as its host."""

    def __init__(self, app, public_url: str = ""):
        self.app = app
        parts = urlsplit(public_url.rstrip("/")) if public_url else None
        self.scheme, self.netloc, self.prefix = (parts.scheme, parts.netloc, parts.path) if parts else (None, None, "")

    def __call__(self, environ: dict, start_response):
        scheme = self.scheme or environ.get("wsgi.url_scheme", "http")
        environ["wsgi.url_scheme"] = scheme
        environ["HTTP_HOST"] = self.netloc or _server_address(environ, scheme)
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        if self.prefix:
            environ["SCRIPT_NAME"] = self.prefix
        return self.app(environ, start_response)


def _server_address(environ: dict, scheme: str) -> str:
    """`name:port` of the listening server (set by the WSGI server, not by the client)."""
    name, port = environ.get("SERVER_NAME", "localhost"), str(environ.get("SERVER_PORT", ""))
    return name if port in ("", _DEFAULT_PORTS.get(scheme)) else f"{name}:{port}"
