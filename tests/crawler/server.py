"""A real HTTP server on 127.0.0.1:0 serving a scripted fixture portal (in the spirit of scrapy's mockserver).

Each path (optionally with its query, in any parameter order) maps to a `Resource`: body, status, scripted
statuses per hit, delay, redirect, a huge streamed body, Retry-After; a path in `dynamic` is answered by a
function of its query (CMS endpoints such as Hanweb's `dataproxy.jsp`). Validators (ETag/Last-Modified) are
sent and honoured with 304. Every request is logged with its method, arrival time, headers and the status
served, so tests can prove pacing, robots and conditional requests from the server's side.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode


@dataclass
class Resource:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    statuses: list[int] = field(default_factory=list)  # served first, one per hit, then `status`
    retry_after: str | None = None
    location: str | None = None
    delay: float = 0.0
    stream_bytes: int = 0  # a body of this many bytes, streamed without Content-Length
    last_modified: str = "Mon, 04 Mar 2024 08:00:00 GMT"
    validators: bool = True


@dataclass
class LoggedRequest:
    at: float
    path: str
    headers: dict
    method: str = "GET"
    status: int | None = None  # filled in once the answer is sent

    @property
    def conditional(self) -> bool:
        """The request carried If-None-Match or If-Modified-Since."""
        return "If-None-Match" in self.headers or "If-Modified-Since" in self.headers


class PortalServer:
    """Serve `routes` until `stop()`; `url(path)` gives the absolute URL of a path."""

    def __init__(self, routes: dict[str, Resource],
                 dynamic: dict[str, Callable[[dict[str, str]], Resource | None]] | None = None):
        self.routes = dict(routes)
        self.dynamic = dict(dynamic or {})
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PortalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests_for(self, path: str) -> list[LoggedRequest]:
        return [r for r in self.log if r.path == path]

    def resource(self, path: str) -> Resource | None:
        bare, _, query = path.partition("?")
        if path in self.routes:
            return self.routes[path]
        if query and (found := self.routes.get(bare + "?" + sorted_query(query))):
            return found
        if bare in self.dynamic:
            return self.dynamic[bare](dict(parse_qsl(query)))
        return self.routes.get(bare)

    def record(self, path: str, headers: dict, method: str = "GET") -> LoggedRequest:
        entry = LoggedRequest(time.monotonic(), path, headers, method)
        with self._lock:
            self.log.append(entry)
        return entry


def sorted_query(query: str) -> str:
    """A query string with its parameters sorted, so routes match whatever order a crawler writes them in."""
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


def _handler_for(server: PortalServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            self.entry = server.record(self.path, dict(self.headers), self.command)
            resource = server.resource(self.path)
            if resource is None:
                return self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")
            if resource.delay:
                time.sleep(resource.delay)
            status = resource.statuses.pop(0) if resource.statuses else resource.status
            if resource.stream_bytes:
                return self._stream(resource)
            extra = {}
            if resource.location:
                extra["Location"] = resource.location.replace("{base}", server.base).replace("{port}", str(server.port))
            if resource.retry_after and status != 200:
                extra["Retry-After"] = resource.retry_after
            if status == 200 and resource.validators:
                etag = '"' + hashlib.sha1(resource.body).hexdigest()[:16] + '"'
                extra.update({"ETag": etag, "Last-Modified": resource.last_modified})
                if self._fresh(etag, resource.last_modified):
                    return self._send(304, b"", None, extra)
            self._send(status, resource.body if status == 200 else b"error", resource.content_type, extra)

        def _fresh(self, etag: str, last_modified: str) -> bool:
            if self.headers.get("If-None-Match"):
                return self.headers["If-None-Match"] == etag
            return self.headers.get("If-Modified-Since") == last_modified

        def _stream(self, resource: Resource) -> None:
            self.entry.status = 200
            self.send_response(200)
            self.send_header("Content-Type", resource.content_type)
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(resource.stream_bytes // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self, status: int, body: bytes, content_type: str | None, extra: dict | None = None) -> None:
            self.entry.status = status
            try:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
