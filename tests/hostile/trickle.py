"""A real HTTP server on 127.0.0.1 that sends its body at one byte per second (the review's slow portal)."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY_BYTES = 100_000  # at one byte a second: 28 hours


class TrickleServer:
    """`/robots.txt` answers 404 at once; every other path announces BODY_BYTES and trickles them."""

    def __init__(self):
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def __enter__(self) -> TrickleServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for(self, path: str, limit: float = 60) -> None:
        """Block until the server has been asked for `path` (a hang guard, not a timing)."""
        deadline = time.monotonic() + limit
        while path not in self.requests:
            assert time.monotonic() < deadline, f"nobody asked for {path}"
            time.sleep(0.05)


def _handler(server: TrickleServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            server.requests.append(self.path)
            if self.path == "/robots.txt":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(BODY_BYTES))
            self.end_headers()
            try:
                for _ in range(BODY_BYTES):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass  # the client gave up: that is the point

        def log_message(self, *args) -> None:
            pass

    return Handler
