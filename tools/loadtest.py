"""Load test for `nianbao serve`: N concurrent clients for T seconds over a mixed query set, loopback only.

    python tools/loadtest.py --url http://127.0.0.1:8000 --clients 20 --seconds 30

Bounded on purpose: at most 64 clients, 120 seconds and 200,000 requests, and only 127.0.0.1/localhost,
so it cannot be pointed at someone else's server. Prints requests/s, latency percentiles and errors;
exits 1 when any request failed (status >= 400 other than the expected 400s, or no answer).
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import quote, urlsplit

MAX_CLIENTS, MAX_SECONDS, MAX_REQUESTS = 64, 120, 200_000
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# A mix of what people do: phrase and word searches, facets, pages, report views, KWIC, API, CSV.
PATHS = [
    "/?q=" + quote('"一窗受理"'), "/?q=" + quote("审批"), "/?q=" + quote("审批") + "&year=2020",
    "/?q=" + quote("依申请公开 OR 主动公开") + "&sort=year", "/?q=" + quote("申请") + "&page=2&per_page=2",
    "/?q=" + quote("section:requests 申请"), "/api/search?q=" + quote("政府信息公开"),
    "/kwic?q=" + quote("一窗受理"), "/api/kwic?q=" + quote("审批"), "/export/search.csv?q=" + quote("审批"),
    "/?q=" + quote('"不存在的短语"'), "/?q=" + quote('"未闭合'),  # an empty result and a 400 explained
]
EXPECTED_400 = {"/?q=" + quote('"未闭合')}


def report_paths(host: str, port: int) -> list[str]:
    """Report pages of the first search results, so the mix includes the report viewer."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", "/api/search?per_page=5&q=" + quote("政府信息公开"))
    hits = json.loads(connection.getresponse().read()).get("hits", [])
    connection.close()
    return [f"/reports/{h['report_id']}?q={quote('公开')}" for h in hits]


def client(host: str, port: int, paths: list[str], stop_at: float, offset: int, results: list, budget) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    n = offset
    while time.monotonic() < stop_at and budget.acquire(blocking=False):
        path = paths[n % len(paths)]
        n += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            ok = response.status < 400 or (response.status == 400 and path in EXPECTED_400)
            results.append((time.perf_counter() - started, ok, f"{response.status} {path}"))
        except (OSError, http.client.HTTPException) as exc:
            results.append((time.perf_counter() - started, False, f"{type(exc).__name__} {path}"))
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.close()


def run(url: str, clients: int, seconds: float) -> dict:
    """Hammer `url` and return the measured numbers."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"loadtest: refusing {parts.hostname}: loopback only")
    clients, seconds = min(clients, MAX_CLIENTS), min(seconds, MAX_SECONDS)
    host, port = parts.hostname, parts.port or 80
    paths = PATHS + report_paths(host, port)
    results: list = []
    budget = threading.BoundedSemaphore(MAX_REQUESTS)
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(host, port, paths, started + seconds, i, results, budget))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = sorted(r[0] for r in results)
    errors = [r[2] for r in results if not r[1]]
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(results),
            "requests_per_second": round(len(results) / elapsed, 1), "p50_ms": round(cuts[49] * 1000, 1),
            "p95_ms": round(cuts[94] * 1000, 1), "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0,
            "errors": len(errors), "error_samples": sorted(set(errors))[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    numbers = run(args.url, args.clients, args.seconds)
    print(json.dumps(numbers, ensure_ascii=False))
    sys.exit(1 if numbers["errors"] or not numbers["requests"] else 0)


if __name__ == "__main__":
    main()
