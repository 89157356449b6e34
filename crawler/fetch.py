"""Crawl stage, fetching: the only module that speaks HTTP.

One `Fetcher` per portal run. It is polite and bounded: honest User-Agent with a contact, robots.txt
(and its Crawl-delay) obeyed, one request at a time per host with a pause between them, retries with
exponential backoff on connection errors/timeouts/429/5xx (Retry-After honoured), no retry on other
4xx, conditional GET (If-None-Match / If-Modified-Since), a size limit enforced while streaming, and
redirects followed only within the portal's allowed hosts. Failures come back as a `Response` with
`error` set (a short reason in words), never as an exception — except `Stopped`.

Library traps, for the next engineer:
- requests' `Response.encoding` is ISO-8859-1 for any text/* without a charset parameter; we never use
  it. `Response.text()` decodes with `crawler.page.decode_page`, the policy the reader uses too.
- `allow_redirects=False`: requests would otherwise follow a redirect to any host before we can refuse.
- The read timeout is per socket read: a server that sends one byte a second never trips it. So each
  request runs in a helper thread (`_Transfer`) while the caller waits in short slices: the total deadline
  (`request_deadline_seconds`, connect to last byte) and a stop request hold whatever the socket does, and
  the body is read with `read1` (whatever has arrived) so the minimum rate is checked as bytes come in.
  urllib3's `HTTPResponse.shutdown()` wakes the blocked read so the abandoned thread ends too.
"""
from __future__ import annotations

import email.utils
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from protego import Protego

from crawler.page import decode_page
from nianbao.config import CrawlerSettings

MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_WAIT_SLICE = 0.2  # how often a waiting request looks at the stop flag and the deadline
_NOT_RETRIED = ("too slow", "deadline")  # such a request already used its whole budget


class Stopped(Exception):
    """The caller asked the crawl to stop (checked while waiting between requests)."""


@dataclass(frozen=True)
class Validators:
    """What a previous fetch told us, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Response:
    """The outcome of fetching one URL: a body, a 304, or a failure with its reason."""

    url: str
    final_url: str
    status: int | None
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: int = 0
    location: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    @property
    def gone(self) -> bool:
        return self.status in (404, 410)

    def text(self) -> str:
        """The body decoded as a web page (see `decode_page`)."""
        return decode_page(self.content, self.charset)


def user_agent_for(settings: CrawlerSettings) -> str:
    """The User-Agent header: the configured agent plus the operator's contact address."""
    if settings.contact and settings.contact not in settings.user_agent:
        return f"{settings.user_agent} (contact: {settings.contact})"
    return settings.user_agent


class Fetcher:
    """Polite HTTP for one portal: robots, per-host pacing, retries, limits, allowed hosts."""

    def __init__(self, settings: CrawlerSettings, allowed_hosts: set[str], *, delay_seconds: float | None = None,
                 should_stop: Callable[[], bool] | None = None, on_request: Callable[[str], None] | None = None):
        self.settings = settings
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.delay = settings.delay_seconds if delay_seconds is None else delay_seconds
        self.should_stop = should_stop or (lambda: False)
        self.on_request = on_request or (lambda url: None)
        self.user_agent = user_agent_for(settings)
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
        self._robots: dict[str, Protego | None] = {}
        self._robots_errors: dict[str, str] = {}
        self._last_done: dict[str, float] = {}

    def close(self) -> None:
        """Release the connection pool."""
        self.session.close()

    def allowed_host(self, url: str) -> bool:
        """True when `url` is http(s) on one of the portal's hosts (`host` or `host:port`, see `site_of`)."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and site_of(url) in self.allowed_hosts

    def fetch(self, url: str, validators: Validators | None = None) -> Response:
        """GET `url` politely; a 304, a body, or a failure with its reason.

        `attempts` counts the requests made for this URL; when it is refused because of robots.txt, the
        robots.txt requests made on its behalf count too, so "robots.txt unavailable (… gave up after 4
        attempts)" stands beside 4 attempts, not 0 (a successful fetch counts only its own requests).
        """
        current, attempts = url, 0
        for _ in range(MAX_REDIRECTS + 1):
            robots_tries = self._load_robots(current)
            refusal = self._refusal(current, fresh=robots_tries > 0)
            if refusal:
                return Response(url, current, None, error=refusal, attempts=attempts + robots_tries)
            response, tries = self._get(url, current, validators)
            attempts += tries
            if response.error or response.status not in (301, 302, 303, 307, 308):
                return _with_attempts(response, attempts)
            location = response.location
            if not location:
                return Response(url, current, response.status, error=f"HTTP {response.status} without Location",
                                attempts=attempts)
            current = urljoin(current, location)
        return Response(url, current, None, error=f"more than {MAX_REDIRECTS} redirects", attempts=attempts)

    def _refusal(self, url: str, fresh: bool) -> str | None:
        if not self.allowed_host(url):
            return f"refused: {site_of(url) or url} is not an allowed host"
        robots = self._robots[urlsplit(url).netloc]
        if robots is None:
            earlier = "" if fresh else "earlier in this run: "  # this URL made no request of its own
            return f"refused: robots.txt unavailable ({earlier}{self._robots_errors[urlsplit(url).netloc]})"
        if not robots.can_fetch(url, self.user_agent):
            return "refused: disallowed by robots.txt"
        return None

    def _load_robots(self, url: str) -> int:
        """Fetch the host's robots.txt once per run; returns the requests made now (0 when known already)."""
        parts = urlsplit(url)
        if parts.netloc in self._robots or not self.allowed_host(url):
            return 0
        response, tries = self._get_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        self._robots[parts.netloc] = _parse_robots(response)
        self._robots_errors[parts.netloc] = response.error or f"HTTP {response.status}"
        return tries

    def _get_robots(self, robots_url: str) -> tuple[Response, int]:
        """robots.txt, following redirects within the allowed hosts (RFC 9309: at most five), and the requests made."""
        current, requests_made = robots_url, 0
        for _ in range(MAX_REDIRECTS):
            response, tries = self._get(robots_url, current, None)
            requests_made += tries
            if not response.location or response.status not in (301, 302, 303, 307, 308):
                return response, requests_made
            current = urljoin(current, response.location)
            if not self.allowed_host(current):
                break
        # Redirected away or in circles: treat it like a missing robots.txt, as RFC 9309 allows.
        return Response(robots_url, current, 404, error="robots.txt redirected elsewhere"), requests_made

    def _get(self, url: str, current: str, validators: Validators | None) -> tuple[Response, int]:
        """One URL without following redirects, retried on transient failures."""
        attempt = 0
        while True:
            attempt += 1
            response, retry_after = self._attempt(url, current, validators)
            transient = response.status in _RETRY_STATUSES or (
                response.status is None and response.error and not response.error.startswith(_NOT_RETRIED))
            if not transient or attempt > self.settings.retries:
                if transient and attempt > 1:
                    response = _reason(response, f"{response.error or f'HTTP {response.status}'} "
                                                 f"(gave up after {attempt} attempts)")
                return response, attempt
            wait = self.settings.backoff_seconds * 2 ** (attempt - 1)
            if retry_after is not None:
                if retry_after > self.settings.max_retry_after_seconds:
                    return _reason(response, f"HTTP {response.status}, Retry-After {retry_after:.0f}s is "
                                             f"longer than allowed"), attempt
                wait = max(wait, retry_after)
            self._sleep(wait)

    def _attempt(self, url: str, current: str, validators: Validators | None) -> tuple[Response, float | None]:
        host = urlsplit(current).netloc
        self._wait_turn(host)
        self.on_request(current)
        try:
            return self._bounded(url, current, validators)
        finally:
            self._last_done[host] = time.monotonic()

    def _bounded(self, url: str, current: str, validators: Validators | None) -> tuple[Response, float | None]:
        """One GET in a helper thread; returns when it ends, at the deadline, or raises `Stopped` on request."""
        deadline = self.settings.request_deadline_seconds
        transfer = _Transfer(lambda t: self._request(url, current, validators, t), time.monotonic() + deadline)
        while not transfer.finished.wait(_WAIT_SLICE):
            if self.should_stop():
                transfer.cancel()
                raise Stopped()
            if time.monotonic() >= transfer.deadline:
                transfer.cancel()
                return Response(url, current, None, error=f"deadline: no complete response within {deadline:g}s"), None
        if transfer.error is not None:
            raise transfer.error
        return transfer.result

    def _request(self, url: str, current: str, validators: Validators | None,
                 transfer: _Transfer) -> tuple[Response, float | None]:
        try:
            with self.session.get(current, headers=_conditional_headers(validators), stream=True,
                                  allow_redirects=False, timeout=self.settings.timeout_seconds) as raw:
                transfer.raw = raw.raw
                return self._read(url, current, raw, transfer), _retry_after(raw.headers.get("Retry-After"))
        except requests.Timeout:
            return Response(url, current, None, error=f"timed out after {self.settings.timeout_seconds:g}s"), None
        except requests.RequestException as exc:
            return Response(url, current, None, error=f"connection failed: {type(exc).__name__}"), None

    def _read(self, url: str, current: str, raw: requests.Response, transfer: _Transfer) -> Response:
        headers = raw.headers
        media, charset = _content_type(headers.get("Content-Type", ""))
        base = dict(url=url, final_url=current, status=raw.status_code, content_type=media, charset=charset)
        if raw.is_redirect:
            return Response(**base, location=headers.get("Location"))
        if raw.status_code != 200:
            return Response(**base, etag=headers.get("ETag"), last_modified=headers.get("Last-Modified"),
                            error=None if raw.status_code == 304 else f"HTTP {raw.status_code}")
        limit = self.settings.max_bytes
        declared = headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            return Response(**base, error=f"too large: {declared} bytes declared, limit {limit}")
        body = bytearray()
        try:
            while not transfer.cancelled and (chunk := raw.raw.read1(_CHUNK)):
                body += chunk
                if len(body) > limit:
                    return Response(**base, error=f"too large: aborted after {len(body)} bytes, limit {limit}")
                slow = transfer.too_slow(len(body), self.settings)
                if slow:
                    return Response(**base, error=slow)
        except (OSError, ValueError, requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            return Response(**base, error=f"connection failed: {type(exc).__name__}")
        return Response(**base, content=bytes(body), etag=headers.get("ETag"),
                        last_modified=headers.get("Last-Modified"))

    def crawl_delay(self, host: str) -> float:
        """Seconds between two requests to `host`: the larger of the configured delay and robots Crawl-delay."""
        robots = self._robots.get(host)
        robots_delay = robots.crawl_delay(self.user_agent) if robots is not None else None
        return max(self.delay, float(robots_delay or 0))

    def _wait_turn(self, host: str) -> None:
        last = self._last_done.get(host)
        if last is not None:
            self._sleep(last + self.crawl_delay(host) - time.monotonic())

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + max(0.0, seconds)
        while True:
            if self.should_stop():
                raise Stopped()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.1))


class _Transfer:
    """One request running in a daemon thread, watched by the fetcher's own thread."""

    def __init__(self, request: Callable[[_Transfer], tuple[Response, float | None]], deadline: float):
        self.started, self.deadline = time.monotonic(), deadline
        self.finished = threading.Event()
        self.cancelled = False
        self.raw = None  # urllib3's response once the headers are in, so `cancel` can wake a blocked read
        self.result: tuple[Response, float | None] | None = None
        self.error: BaseException | None = None
        threading.Thread(target=self._run, args=(request,), daemon=True, name="nianbao-fetch").start()

    def _run(self, request) -> None:
        try:
            self.result = request(self)
        except BaseException as exc:  # noqa: BLE001 - handed to the fetcher's thread, which raises it
            self.error = exc
        finally:
            self.finished.set()

    def cancel(self) -> None:
        self.cancelled = True
        try:
            if self.raw is not None:
                self.raw.shutdown()
        except (OSError, ValueError, RuntimeError, AttributeError):
            pass  # already closed or released: nothing is blocked on it

    def too_slow(self, received: int, settings: CrawlerSettings) -> str | None:
        """Why the body is abandoned: past the deadline, or slower than the minimum rate once past the grace."""
        now = time.monotonic()
        if now >= self.deadline:
            return f"deadline: body incomplete after {now - self.started:.0f}s ({received} bytes)"
        elapsed = now - self.started
        if elapsed > settings.timeout_seconds and received < settings.min_bytes_per_second * elapsed:
            return (f"too slow: {received} bytes in {elapsed:.0f}s, minimum {settings.min_bytes_per_second} "
                    "bytes/s")
        return None


def site_of(url: str) -> str:
    """`host` for the scheme's default port, else `host:port` — what `allowed_hosts` entries are matched against."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if port in (None, default) else f"{host}:{port}"


def allowed_sites(allowed_hosts: tuple[str, ...], start_urls: tuple[str, ...]) -> set[str]:
    """The `site_of` values a portal may be fetched from.

    An entry without a port means that host on its default port and on the ports of the start URLs;
    `127.0.0.1:9000` is a different site from `127.0.0.1:9001`. No entries: the start URLs' own sites.
    """
    if not allowed_hosts:
        return {site_of(url) for url in start_urls}
    ports = {site_of(url).partition(":")[2] for url in start_urls} - {""}
    sites = set()
    for entry in (h.strip().lower() for h in allowed_hosts):
        sites.add(entry)
        if ":" not in entry:
            sites.update(f"{entry}:{port}" for port in ports)
    return sites


def _parse_robots(response: Response) -> Protego | None:
    """RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one (5xx, network) nothing."""
    if response.ok:
        return Protego.parse(decode_page(response.content, response.charset))
    if response.status is not None and 400 <= response.status < 500:
        return Protego.parse("")
    return None


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", params, re.IGNORECASE)
    return media.strip().lower(), match.group(1) if match else None


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _reason(response: Response, error: str) -> Response:
    return Response(response.url, response.final_url, response.status, error=error)


def _with_attempts(response: Response, attempts: int) -> Response:
    return Response(**{**response.__dict__, "attempts": attempts})
